import Route from '@ember/routing/route';
import { service } from '@ember/service';

export default class ProfileRoute extends Route {
  @service session;
  @service store;

  beforeModel(transition) {
    this.session.requireAuthentication(transition, 'login');
  }

  model() {
    // Always fresh from GET /api/me (see app/adapters/user.js).
    return this.store.queryRecord('user', { me: true });
  }
}
