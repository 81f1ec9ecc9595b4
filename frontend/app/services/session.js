import SessionService from 'ember-simple-auth/services/session';
import Configuration from 'ember-simple-auth/configuration';
import LocalStorageStore from 'ember-simple-auth/session-stores/local-storage';
import { service } from '@ember/service';
import { isTesting } from '@embroider/macros';
import OAuth2Authenticator from 'frontend/authenticators/oauth2';

/**
 * ember-simple-auth 8.4 configuration without resolver lookups: the service
 * builds its configuration, session store and authenticators itself.
 */
export default class AppSessionService extends SessionService {
  @service router;
  @service currentUser;

  createConfiguration(owner) {
    const ENV = owner.resolveRegistration('config:environment');
    return Configuration.load({
      rootURL: ENV.rootURL,
      routeAfterAuthentication: 'users',
      useResolver: false,
    });
  }

  createSessionStore(owner) {
    // Tests get ESA's in-memory store (the base class does that when testing).
    if (isTesting()) {
      return super.createSessionStore(owner);
    }
    // localStorage: the session survives reloads and is shared between tabs.
    return new LocalStorageStore(owner);
  }

  createAuthenticators(owner) {
    return [new OAuth2Authenticator(owner)];
  }

  async handleAuthentication(routeAfterAuthentication) {
    await this.currentUser.load();
    super.handleAuthentication(routeAfterAuthentication);
    // ESA keeps the redirect target (in sessionStorage) when it retries the
    // attempted transition instead; drop it so that a later sign-in in this tab
    // does not jump to a stale page.
    this.clearRedirectTarget();
  }

  handleInvalidation(routeAfterInvalidation) {
    if (isTesting()) {
      // ESA reloads the page at rootURL (clearing every in-memory record of the
      // previous user) but skips that in tests; go to the login page instead.
      this.currentUser.clear();
      this.router.transitionTo('login');
      return;
    }
    super.handleInvalidation(routeAfterInvalidation);
  }
}
