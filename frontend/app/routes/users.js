import Route from '@ember/routing/route';
import { service } from '@ember/service';
import config from 'frontend/config/environment';

export default class UsersRoute extends Route {
  @service session;
  @service store;

  queryParams = {
    page: { refreshModel: true },
  };

  beforeModel(transition) {
    // Remembers the transition so that signing in comes back here.
    this.session.requireAuthentication(transition, 'login');
  }

  model({ page }) {
    const number = Math.max(1, Number.parseInt(page, 10) || 1);
    // GET /api/users?page[number]=N&page[size]=M (JSON:API pagination);
    // staff get everyone, other users only themselves.
    return this.store.query('user', {
      page: { number, size: config.usersPageSize },
    });
  }
}
