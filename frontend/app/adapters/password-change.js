import ApplicationAdapter from './application';

/**
 * POST /api/password-changes: `changePassword({ currentPassword, newPassword })`
 * resolves on 204 and rejects with an InvalidError whose `errors` point at
 * /data/attributes/current-password or /data/attributes/new-password (422).
 *
 * A plain request rather than a `password-change` model: the server answers
 * 204 with no resource to keep, and a record would keep both passwords in the
 * store's cache after the request. `ajax` is documented as private in
 * WarpDrive 5.8 (pinned in package-lock.json); it gives this request the bearer
 * header, the 401 handling and the error classes of every other API request.
 */
export default class PasswordChangeAdapter extends ApplicationAdapter {
  changePassword({ currentPassword, newPassword }) {
    const attributes = { 'new-password': newPassword };
    if (currentPassword) {
      attributes['current-password'] = currentPassword;
    }
    return this.ajax(this.buildURL('password-change'), 'POST', {
      data: { data: { type: 'password-changes', attributes } },
    });
  }
}
