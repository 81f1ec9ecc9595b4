import { Model, attr } from '@warp-drive/legacy/model';

/**
 * One place the user is signed in: a `sessions` resource of GET /api/sessions
 * (one refresh-token family on the server). Read-only; destroyRecord() is
 * DELETE /api/sessions/<id>, which signs that session out. `current` is true
 * for the session of this browser (the token making the request).
 */
export default class SessionModel extends Model {
  @attr clientId;
  @attr clientName;
  @attr signedInAt;
  @attr lastActiveAt;
  @attr ip;
  @attr userAgent;
  @attr browser;
  @attr os;
  @attr current;
}
