import Service, { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';
import config from 'frontend/config/environment';
import { codeChallenge, randomToken } from 'frontend/utils/pkce';

/**
 * sessionStorage key of the sign-in in progress: `{ provider, title, state,
 * codeVerifier, redirectUri }`, written just before the page goes to the
 * provider and taken (read and removed) by the callback route. sessionStorage
 * is per tab and survives the round trip through the provider's pages.
 */
export const PENDING_KEY = 'authsite-social-sign-in';

// Titles for callback pages reached without a stored sign-in (and before the
// provider list has loaded).
const KNOWN_TITLES = { 'google-oauth2': 'Google' };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The authorization endpoint as a URL, if it is one the page may go to. */
function endpointURL(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  // https only (plain http for a stand-in provider on this machine): never
  // `javascript:` or other schemes from a misconfigured server.
  if (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  ) {
    return url;
  }
  return null;
}

/** The providers of GET /oauth/social that have everything a button needs. */
function usableProviders(body) {
  const list = Array.isArray(body?.providers) ? body.providers : [];
  return list.filter(
    (p) =>
      typeof p?.name === 'string' &&
      /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(p.name) &&
      typeof p.title === 'string' &&
      p.title.trim() !== '' &&
      typeof p.client_id === 'string' &&
      p.client_id !== '' &&
      endpointURL(p.authorization_endpoint) !== null,
  );
}

/**
 * "Sign in with Google" and friends, in the browser: the authorization code
 * flow with PKCE (RFC 7636) and `state`, one redirect URI per provider
 * (`/login/<name>/callback`, RFC 9700's mix-up defense). The server only
 * exchanges the code (POST /oauth/social/<name>, app/authenticators/social.js).
 *
 * - `loadProviders()`: GET /oauth/social, once; failures mean "no buttons".
 * - `start(provider)`: state + verifier into sessionStorage, then the page goes
 *   to the provider's authorization endpoint.
 * - `takePending()`: the callback route's one read of the stored sign-in.
 * - `leaveNotice()` / `takeNotice()`: a message for the login page.
 */
export default class SocialSignInService extends Service {
  @service browserLocation;

  /** The providers offered on the login page (empty until they load). */
  @tracked providers = [];

  #loading = null;
  #loaded = false;
  #notice = null;

  /**
   * Fetches the provider list unless it is already here; never rejects (no
   * list, no buttons: the password form works on its own).
   */
  loadProviders() {
    if (this.#loaded) {
      return Promise.resolve(this.providers);
    }
    this.#loading ??= this.#fetchProviders().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #fetchProviders() {
    try {
      // A plain OAuth endpoint, not a JSON:API resource (ember-simple-auth
      // calls /oauth/token with fetch too).
      // eslint-disable-next-line warp-drive/no-external-request-patterns
      const response = await fetch(`${config.apiHost}/oauth/social`, {
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) {
        return this.providers;
      }
      const providers = usableProviders(await response.json());
      if (!this.isDestroying && !this.isDestroyed) {
        this.providers = providers;
        this.#loaded = true;
      }
      return providers;
    } catch {
      // Unreachable server or not JSON: offer the password form only, and try
      // again the next time the login page opens.
      return this.providers;
    }
  }

  /** The callback URL registered for `name` (at Google and on this server). */
  redirectUri(name) {
    return `${this.browserLocation.origin}${config.rootURL}login/${encodeURIComponent(name)}/callback`;
  }

  titleOf(name, pending = null) {
    if (pending?.provider === name && pending.title) {
      return pending.title;
    }
    return (
      this.providers.find((p) => p.name === name)?.title ??
      KNOWN_TITLES[name] ??
      name
    );
  }

  /**
   * Sends the whole page to the provider's authorization endpoint (RFC 6749
   * section 4.1.1 with PKCE), after saving what the callback needs to check
   * the answer and redeem the code.
   */
  async start(provider) {
    const url = endpointURL(provider.authorization_endpoint);
    if (!url) {
      throw new Error(`Unusable authorization endpoint for ${provider.name}`);
    }
    const state = randomToken(32);
    const codeVerifier = randomToken(32);
    const challenge = await codeChallenge(codeVerifier);
    const redirectUri = this.redirectUri(provider.name);

    // `set` keeps any query the endpoint already has.
    const params = url.searchParams;
    params.set('response_type', 'code');
    params.set('client_id', provider.client_id);
    params.set('redirect_uri', redirectUri);
    if (provider.scope) {
      params.set('scope', provider.scope);
    }
    params.set('state', state);
    params.set('code_challenge', challenge);
    params.set('code_challenge_method', 'S256');

    window.sessionStorage.setItem(
      PENDING_KEY,
      JSON.stringify({
        provider: provider.name,
        title: provider.title,
        state,
        codeVerifier,
        redirectUri,
      }),
    );
    this.browserLocation.assign(url.href);
  }

  /**
   * The stored sign-in, removed from storage so that it is used at most once
   * (a reloaded or replayed callback URL finds nothing). Null if there is none
   * or it is not what `start` wrote.
   */
  takePending() {
    let raw = null;
    try {
      raw = window.sessionStorage.getItem(PENDING_KEY);
      window.sessionStorage.removeItem(PENDING_KEY);
    } catch {
      return null;
    }
    let pending;
    try {
      pending = JSON.parse(raw);
    } catch {
      return null;
    }
    const complete =
      pending &&
      ['provider', 'state', 'codeVerifier', 'redirectUri'].every(
        (key) => typeof pending[key] === 'string' && pending[key] !== '',
      );
    return complete ? pending : null;
  }

  /** Leaves a message for the next login page (shown in its error alert). */
  leaveNotice(message) {
    this.#notice = message;
  }

  /** The message left for the login page, once. */
  takeNotice() {
    const notice = this.#notice;
    this.#notice = null;
    return notice;
  }
}
