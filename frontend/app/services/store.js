import { useLegacyStore } from '@warp-drive/legacy';
import { JSONAPICache } from '@warp-drive/json-api';
import {
  Model,
  restoreDeprecatedModelRequestBehaviors,
} from '@warp-drive/legacy/model';

// WarpDrive 5.8 in "legacy" mode: Model classes plus the JSONAPIAdapter and
// JSONAPISerializer. `legacyRequests: true` restores store.query/queryRecord/
// findRecord and record.save(), which go through app/adapters/*.
const Store = useLegacyStore({
  linksMode: false,
  legacyRequests: true,
  cache: JSONAPICache,
});

export default Store;

// The legacy request path for records too: record.save() and destroyRecord()
// go through the adapters (user.save() → PATCH /api/me, destroyRecord() on
// the security page → DELETE). Once, on the base class: WarpDrive 5.8 defines
// a non-configurable `isReloading` on Model.prototype at every call, so a
// second call (one per model class) throws "Cannot redefine property".
restoreDeprecatedModelRequestBehaviors(Model);
