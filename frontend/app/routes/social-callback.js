import Route from '@ember/routing/route';
import { service } from '@ember/service';
import { waitForPromise } from '@ember/test-waiters';
import {
  providerErrorMessage,
  socialCallbackMessage,
  socialErrorMessage,
} from 'frontend/utils/errors';

/**
 * /login/:provider/callback — where the provider sends the browser back with
 * `?code=…&state=…` (or `?error=…`). Checks the answer against the sign-in
 * this tab started (app/services/social-sign-in.js), then has the server
 * exchange the code (authenticator:social) while the page says so. Any
 * problem ends on the login page with a message in its error alert.
 *
 * The query string is read from the transition (`transition.to.queryParams`
 * holds every parameter of the URL), so no query params are declared and the
 * route works with the 'history' location of the app and 'none' of the tests.
 */
export default class SocialCallbackRoute extends Route {
  @service session;
  @service socialSignIn;
  @service router;

  constructor() {
    super(...arguments);
    this.router.on('routeWillChange', this.#replaceCallbackURL);
  }

  willDestroy() {
    this.router.off('routeWillChange', this.#replaceCallbackURL);
    super.willDestroy(...arguments);
  }

  // Whatever page follows the callback (the signed-in page, or the login page)
  // replaces it in the browser history: Back never returns to a used code.
  #replaceCallbackURL = (transition) => {
    if (transition.from?.name === 'social-callback') {
      transition.method('replace');
    }
  };

  beforeModel() {
    this.session.prohibitAuthentication('index');
  }

  model({ provider }, transition) {
    const { code, state, error } = transition.to?.queryParams ?? {};
    // Taken once: a reload or a replayed callback URL finds nothing.
    const pending = this.socialSignIn.takePending();
    const title = this.socialSignIn.titleOf(provider, pending);

    if (error) {
      this.#backToLogin(providerErrorMessage(error, title));
      return null;
    }
    if (
      !pending ||
      pending.provider !== provider ||
      !state ||
      pending.state !== state ||
      !code
    ) {
      this.#backToLogin(socialCallbackMessage(title));
      return null;
    }
    return {
      title,
      credentials: {
        provider,
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
      },
    };
  }

  setupController(controller, model) {
    super.setupController(controller, model);
    // After the progress page is on screen. Success is handled by the session
    // service (handleAuthentication: the page asked for before signing in,
    // or /users).
    if (model) {
      waitForPromise(this.#signIn(model));
    }
  }

  async #signIn({ title, credentials }) {
    try {
      await this.session.authenticate('authenticator:social', credentials);
    } catch (error) {
      if (this.router.currentRouteName === 'social-callback') {
        this.#backToLogin(socialErrorMessage(error, title));
      }
    }
  }

  #backToLogin(message) {
    this.socialSignIn.leaveNotice(message);
    // Replace: Back does not return to a used callback URL.
    this.router.replaceWith('login');
  }
}
