import Route from '@ember/routing/route';
import { service } from '@ember/service';

export default class ApplicationRoute extends Route {
  @service session;
  @service currentUser;
  @service router;

  constructor() {
    super(...arguments);
    // After moving to another page, put keyboard and screen-reader focus at the
    // start of the new content (the page title has already changed). Not on the
    // first page load, and not when only query params change (paginating keeps
    // focus on the Previous/Next control).
    this.router.on('routeDidChange', (transition) => {
      if (!transition.from || transition.from.name === transition.to?.name) {
        return;
      }
      document.getElementById('main')?.focus({ preventScroll: false });
    });
  }

  async beforeModel() {
    // Restores the session from localStorage (refreshing an expired access
    // token if needed) and wires ESA's authentication/invalidation handlers.
    await this.session.setup();
    await this.currentUser.load();
  }
}
