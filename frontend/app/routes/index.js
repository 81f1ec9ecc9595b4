import Route from '@ember/routing/route';
import { service } from '@ember/service';

// `/` has no page of its own: signed-in users go to the users list, everyone
// else to the login page.
export default class IndexRoute extends Route {
  @service session;
  @service router;

  beforeModel() {
    this.router.replaceWith(this.session.isAuthenticated ? 'users' : 'login');
  }
}
