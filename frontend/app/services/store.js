import { useLegacyStore } from '@warp-drive/legacy';
import { JSONAPICache } from '@warp-drive/json-api';

// WarpDrive 5.8 in "legacy" mode: Model classes plus the JSONAPIAdapter and
// JSONAPISerializer. `legacyRequests: true` restores store.query/queryRecord/
// findRecord and record.save(), which go through app/adapters/*.
const Store = useLegacyStore({
  linksMode: false,
  legacyRequests: true,
  cache: JSONAPICache,
});

export default Store;
