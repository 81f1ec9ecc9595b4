import Service, { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';

/**
 * The signed-in user (`GET /api/me`), loaded once per authentication.
 */
export default class CurrentUserService extends Service {
  @service session;
  @service store;

  @tracked user = null;

  async load() {
    if (!this.session.isAuthenticated) {
      this.user = null;
      return null;
    }
    try {
      // The user adapter maps `{ me: true }` to GET /api/me.
      this.user = await this.store.queryRecord('user', { me: true });
    } catch {
      // A 401 has already invalidated the session (see the adapter); any other
      // failure (server down) leaves the header without an email and lets the
      // page that needs data report the problem.
      this.user = null;
    }
    return this.user;
  }

  clear() {
    this.user = null;
  }
}
