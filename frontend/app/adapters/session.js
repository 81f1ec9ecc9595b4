import ApplicationAdapter from './application';

/**
 * /api/sessions: the default URLs (GET /api/sessions, DELETE
 * /api/sessions/<id>), plus the one request that is not about a single
 * record, "sign out everywhere else".
 */
export default class SessionAdapter extends ApplicationAdapter {
  /**
   * DELETE /api/sessions/others (204): ends every session of the user but the
   * one making the request. Goes through `ajax` (documented as private in
   * WarpDrive 5.8, pinned in package-lock.json) so that the bearer header,
   * the 401 handling and the error classes are the same as for every record.
   */
  signOutOthers() {
    return this.ajax(`${this.buildURL('session')}/others`, 'DELETE');
  }
}
