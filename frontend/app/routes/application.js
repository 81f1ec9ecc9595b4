import Route from '@ember/routing/route';
import { service } from '@ember/service';

export default class ApplicationRoute extends Route {
  @service session;
  @service currentUser;

  async beforeModel() {
    // Restores the session from localStorage (refreshing an expired access
    // token if needed) and wires ESA's authentication/invalidation handlers.
    await this.session.setup();
    await this.currentUser.load();
  }
}
