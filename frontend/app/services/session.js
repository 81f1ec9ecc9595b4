import SessionService from 'ember-simple-auth/services/session';
import Configuration from 'ember-simple-auth/configuration';
import LocalStorageStore from 'ember-simple-auth/session-stores/local-storage';
import EphemeralStore from 'ember-simple-auth/session-stores/ephemeral';
import { service } from '@ember/service';
import { isTesting } from '@embroider/macros';
import OAuth2Authenticator from 'frontend/authenticators/oauth2';
import SocialAuthenticator from 'frontend/authenticators/social';

/**
 * ESA's in-memory test store, plus the redirect target that the real
 * localStorage store keeps (so tests see the same redirects as the app).
 */
class TestSessionStore extends EphemeralStore {
  redirectTarget = null;

  setRedirectTarget(url) {
    this.redirectTarget = url;
  }

  getRedirectTarget() {
    return this.redirectTarget;
  }

  clearRedirectTarget() {
    this.redirectTarget = null;
  }
}

const EXPIRED_FLAG = 'authsite-session-expired';

/**
 * ember-simple-auth 8.4 configuration without resolver lookups
 * (`'ember-simple-auth': { useResolver: false }` in config/environment.js): the
 * service builds its configuration, session store and authenticators itself.
 */
export default class AppSessionService extends SessionService {
  @service router;
  @service currentUser;

  #ending = null;

  createConfiguration(owner) {
    const ENV = owner.resolveRegistration('config:environment');
    return Configuration.load({
      rootURL: ENV.rootURL,
      routeAfterAuthentication: 'users',
      useResolver: false,
    });
  }

  createSessionStore(owner) {
    if (isTesting()) {
      return new TestSessionStore(owner);
    }
    // localStorage: the session survives reloads and is shared between tabs.
    return new LocalStorageStore(owner);
  }

  createAuthenticators(owner) {
    // 'authenticator:oauth2' (password) and 'authenticator:social' (a Google
    // authorization code); the session store remembers which one signed in.
    return [new OAuth2Authenticator(owner), new SocialAuthenticator(owner)];
  }

  async handleAuthentication(routeAfterAuthentication) {
    await this.currentUser.load();
    super.handleAuthentication(routeAfterAuthentication);
    // ESA keeps the redirect target (in localStorage) when it retries the
    // attempted transition instead; drop it so that a later sign-in in this tab
    // does not jump to a stale page.
    this.clearRedirectTarget();
  }

  /**
   * Called by the adapter when the API answers 401 to a signed-in user (token
   * revoked or expired beyond refresh). Ends the session once however many
   * requests fail at the same time, remembers the page so that signing in
   * again comes back to it, and leaves a note for the login page.
   */
  endExpiredSession() {
    if (!this.isAuthenticated) {
      return Promise.resolve();
    }
    if (!this.#ending) {
      const url = this.router.currentURL;
      if (url && !url.startsWith('/login')) {
        this.setRedirectTarget(url);
      }
      globalThis.sessionStorage?.setItem(EXPIRED_FLAG, '1');
      this.#ending = this.invalidate().finally(() => {
        this.#ending = null;
      });
    }
    return this.#ending;
  }

  /** True once after a session ended by a 401 (read by the login page). */
  takeExpiredNotice() {
    const expired = globalThis.sessionStorage?.getItem(EXPIRED_FLAG) === '1';
    globalThis.sessionStorage?.removeItem(EXPIRED_FLAG);
    return expired;
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
