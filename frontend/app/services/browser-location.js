import Service from '@ember/service';

/**
 * Whole-page navigation away from the app (to an identity provider's
 * authorization page). A service so that tests can replace it and look at the
 * URL instead of leaving the test page.
 */
export default class BrowserLocationService extends Service {
  get origin() {
    return window.location.origin;
  }

  assign(url) {
    window.location.assign(url);
  }
}
