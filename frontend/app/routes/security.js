import Route from '@ember/routing/route';
import { service } from '@ember/service';
import { action } from '@ember/object';
import config from 'frontend/config/environment';

/**
 * /security: where the user is signed in, the apps they allowed, their ways
 * to sign in, a password form and their recent activity (`?page=N`).
 *
 * Entering the page loads the four lists in parallel. Paging the activity
 * (a change of `page` only) loads just the events and keeps the rest of the
 * page, and its state, on screen. The lists live on the controller, which the
 * page's components ask to reload them after a change.
 */
export default class SecurityRoute extends Route {
  @service session;
  @service store;

  queryParams = {
    page: { refreshModel: true },
  };

  beforeModel(transition) {
    this.session.requireAuthentication(transition, 'login');
  }

  async model({ page }, transition) {
    const number = Math.max(1, Number.parseInt(page, 10) || 1);
    // GET /api/events?page[number]=N&page[size]=M
    const events = this.store.query('event', {
      page: { number, size: config.eventsPageSize },
    });
    if (this.#isPaging(transition)) {
      return { events: await events };
    }
    const [sessions, authorizations, signInMethods] = await Promise.all([
      this.store.query('session', {}),
      this.store.query('authorization', {}),
      this.store.query('sign-in-method', {}),
    ]);
    return { sessions, authorizations, signInMethods, events: await events };
  }

  setupController(controller, model) {
    super.setupController(controller, model);
    controller.show(model);
  }

  #isPaging(transition) {
    return transition.from?.name === this.routeName;
  }

  // Paging the activity keeps the page on screen (the activity table is
  // marked busy) instead of replacing it with the loading template: the
  // `loading` event handler of the Ember guides ("Loading / Error Substates").
  @action
  loading(transition) {
    if (!this.#isPaging(transition)) {
      return true;
    }
    // eslint-disable-next-line ember/no-controller-access-in-routes -- the guides' pattern
    const controller = this.controllerFor(this.routeName);
    controller.isPaging = true;
    transition.promise.finally(() => {
      controller.isPaging = false;
    });
    return false;
  }
}
