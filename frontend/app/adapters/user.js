import ApplicationAdapter from './application';

/**
 * The signed-in user lives at the singleton URL /api/me rather than at
 * /api/users/{id}:
 *
 * - `store.queryRecord('user', { me: true })` → GET /api/me. The `me` flag only
 *   picks the URL and is removed from the query string (this is the
 *   current-user pattern ember-simple-auth's guides use).
 * - `user.save()` → PATCH /api/me. The API has no writable /api/users/{id};
 *   /api/me is the only place a user can change (and only their own record).
 *
 * Everything else (store.query, findRecord) uses the default /api/users URLs.
 */
export default class UserAdapter extends ApplicationAdapter {
  get meURL() {
    return `${this.buildURL()}/me`;
  }

  urlForQueryRecord(query, modelName) {
    if (query?.me) {
      delete query.me;
      return this.meURL;
    }
    return super.urlForQueryRecord(query, modelName);
  }

  urlForUpdateRecord() {
    return this.meURL;
  }
}
