import { module, test } from 'qunit';
import {
  click,
  currentRouteName,
  currentURL,
  settled,
  visit,
  waitFor,
} from '@ember/test-helpers';
import { setupApplicationTest } from 'frontend/tests/helpers';
import {
  authenticateSession,
  currentSession,
} from 'ember-simple-auth/test-support';
import {
  GOOGLE,
  deferred,
  json,
  networkError,
  serveAda,
  serveProviders,
  setupFakeServer,
  tokenResponse,
} from 'frontend/tests/helpers/fake-server';
import { PENDING_KEY } from 'frontend/services/social-sign-in';

const CALLBACK_PATH = '/login/google-oauth2/callback';
const SOCIAL_TOKEN_PATH = '/oauth/social/google-oauth2';
const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

// Computed here, independently of app/utils/pkce.js.
async function s256(verifier) {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(verifier),
  );
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function callbackURI() {
  return `${window.location.origin}${CALLBACK_PATH}`;
}

/** What `start()` leaves in sessionStorage before going to Google. */
function storePending(overrides = {}) {
  const pending = {
    provider: 'google-oauth2',
    title: 'Google',
    state: 'state-from-this-tab-0123456789-abcdefghijklm',
    codeVerifier: 'verifier-0123456789-abcdefghijklmnopqrstuvwxyz',
    redirectUri: callbackURI(),
    ...overrides,
  };
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  return pending;
}

function storedPending() {
  return JSON.parse(window.sessionStorage.getItem(PENDING_KEY));
}

function callbackURL(params) {
  return `${CALLBACK_PATH}?${new URLSearchParams(params)}`;
}

module('Acceptance | sign in with Google', function (hooks) {
  setupApplicationTest(hooks);
  const server = setupFakeServer(hooks);

  hooks.beforeEach(function () {
    serveAda(server);
    this.browserLocation = this.owner.lookup('service:browser-location');
  });

  // ---- The button on the login page ------------------------------------------

  test('no button and no separator when the server offers no providers', async function (assert) {
    await visit('/login');

    assert.strictEqual(server.requestsTo('GET', '/oauth/social').length, 1);
    assert.dom('[data-test-social-sign-in]').doesNotExist();
    assert.dom('[data-test-social-separator]').doesNotExist();
    assert.dom('form[data-test-login-form]').exists();
  });

  test('no button when the provider list cannot be loaded', async function (assert) {
    server.get('/oauth/social', networkError);
    await visit('/login');
    assert.dom('[data-test-social-sign-in]').doesNotExist();
    assert.dom('[data-test-social-separator]').doesNotExist();

    server.get(
      '/oauth/social',
      () => new Response('<h1>Server Error</h1>', { status: 500 }),
    );
    await visit('/no/such/page');
    await visit('/login');
    assert.strictEqual(
      server.requestsTo('GET', '/oauth/social').length,
      2,
      'a failed list is asked for again on the next visit',
    );
    assert.dom('[data-test-social-sign-in]').doesNotExist();
    assert.dom('[data-test-social-separator]').doesNotExist();
  });

  test('password sign-in works while the provider list is failing', async function (assert) {
    server.get('/oauth/social', networkError);
    server.post('/oauth/token', () => json(200, tokenResponse()));

    await visit('/login');
    await click('[data-test-login-submit]');
    assert
      .dom('[data-test-login-error]')
      .hasText('Enter your email address and password.');
  });

  test('the login form does not wait for the provider list', async function (assert) {
    const providers = deferred();
    server.get('/oauth/social', () => providers.promise);

    const visited = visit('/login');
    await waitFor('form[data-test-login-form]');
    assert.dom('[data-test-login-submit]').isNotDisabled();
    assert.dom('[data-test-social-sign-in]').doesNotExist();

    providers.resolve(json(200, { providers: [GOOGLE] }));
    await visited;
    await settled();
    assert
      .dom('[data-test-social-sign-in="google-oauth2"]')
      .hasText('Sign in with Google');
  });

  test('one button per provider, below an "or" separator', async function (assert) {
    serveProviders(server, [
      GOOGLE,
      {
        name: 'broken',
        title: 'Broken',
        authorization_endpoint: 'javascript:alert(1)',
        client_id: 'x',
        scope: '',
      },
    ]);
    await visit('/login');

    assert.dom('[data-test-social-separator]').hasText('or');
    assert.dom('[data-test-social-sign-in]').exists({ count: 1 });
    assert
      .dom('button[data-test-social-sign-in="google-oauth2"]')
      .hasText('Sign in with Google')
      .hasAttribute('type', 'button')
      .isNotDisabled();
    assert.dom('[data-test-social-sign-in="broken"]').doesNotExist();
    assert
      .dom('form[data-test-login-form] [data-test-social-sign-in]')
      .doesNotExist('the button is not part of the password form');
  });

  test('the button sends the page to Google with state and a PKCE challenge', async function (assert) {
    serveProviders(server);
    await visit('/login');
    await click('[data-test-social-sign-in="google-oauth2"]');

    assert.strictEqual(this.browserLocation.assigned.length, 1);
    const url = new URL(this.browserLocation.assigned[0]);
    assert.strictEqual(
      `${url.origin}${url.pathname}`,
      'https://accounts.google.com/o/oauth2/auth',
    );
    const params = url.searchParams;
    const pending = storedPending();

    assert.strictEqual(params.get('response_type'), 'code');
    assert.strictEqual(
      params.get('client_id'),
      '1234.apps.googleusercontent.com',
    );
    assert.strictEqual(params.get('redirect_uri'), callbackURI());
    assert.true(
      params.get('redirect_uri').endsWith('/login/google-oauth2/callback'),
    );
    assert.strictEqual(params.get('scope'), 'openid email profile');
    assert.strictEqual(params.get('code_challenge_method'), 'S256');
    assert.strictEqual(params.get('state'), pending.state);
    assert.strictEqual(
      params.get('code_challenge'),
      await s256(pending.codeVerifier),
    );
    assert.notOk(params.has('code_verifier'), 'the verifier stays here');

    assert.strictEqual(pending.provider, 'google-oauth2');
    assert.strictEqual(pending.redirectUri, callbackURI());
    assert.ok(BASE64URL_43.test(pending.state), pending.state);
    assert.ok(BASE64URL_43.test(pending.codeVerifier), pending.codeVerifier);
    assert.notStrictEqual(pending.state, pending.codeVerifier);

    assert
      .dom('[data-test-social-sign-in="google-oauth2"]')
      .isDisabled('disabled while the page goes to Google')
      .hasAttribute('aria-busy', 'true');
    assert.strictEqual(
      server.requests.filter((r) => r.method === 'POST').length,
      0,
      'nothing is sent to the server before Google answers',
    );
  });

  test('each start has its own state and verifier; an existing query is kept', async function (assert) {
    serveProviders(server, [
      {
        ...GOOGLE,
        authorization_endpoint:
          'https://accounts.google.com/o/oauth2/v2/auth?prompt=select_account',
      },
    ]);
    await visit('/login');
    await click('[data-test-social-sign-in="google-oauth2"]');
    const first = storedPending();

    await visit('/no/such/page');
    await visit('/login');
    await click('[data-test-social-sign-in="google-oauth2"]');
    const second = storedPending();

    const url = new URL(this.browserLocation.assigned[1]);
    assert.strictEqual(url.pathname, '/o/oauth2/v2/auth');
    assert.strictEqual(url.searchParams.get('prompt'), 'select_account');
    assert.strictEqual(url.searchParams.get('state'), second.state);
    assert.notStrictEqual(first.state, second.state);
    assert.notStrictEqual(first.codeVerifier, second.codeVerifier);
  });

  // ---- The callback ------------------------------------------------------------

  test('the callback exchanges the code and lands on /users', async function (assert) {
    server.post(SOCIAL_TOKEN_PATH, () => json(200, tokenResponse()));
    const pending = storePending();

    await visit(callbackURL({ code: '4/0Ab-code', state: pending.state }));

    assert.strictEqual(currentURL(), '/users');
    assert.dom('[data-test-current-user]').includesText('ada@example.com');

    const [exchange] = server.requestsTo('POST', SOCIAL_TOKEN_PATH);
    assert.strictEqual(
      exchange.headers['content-type'],
      'application/x-www-form-urlencoded',
    );
    assert.deepEqual(Object.fromEntries(exchange.form), {
      code: '4/0Ab-code',
      redirect_uri: callbackURI(),
      code_verifier: pending.codeVerifier,
      client_id: 'ember-app',
    });
    assert.notOk(exchange.headers.authorization, 'no Basic header');
    assert.strictEqual(server.requestsTo('POST', '/oauth/token').length, 0);

    const session = currentSession();
    assert.true(session.isAuthenticated);
    assert.strictEqual(
      session.data.authenticated.authenticator,
      'authenticator:social',
    );
    assert.strictEqual(session.data.authenticated.access_token, 'access-1');
    assert.strictEqual(session.data.authenticated.refresh_token, 'refresh-1');
    assert.true(
      session.data.authenticated.expires_at > Date.now() + 3500 * 1000,
      'expires_at computed from expires_in',
    );
    const [me] = server.requestsTo('GET', '/api/me');
    assert.strictEqual(me.headers.authorization, 'Bearer access-1');

    assert.strictEqual(
      window.sessionStorage.getItem(PENDING_KEY),
      null,
      'the stored sign-in is used once',
    );
  });

  test('from the button to /users: the state Google sends back is accepted', async function (assert) {
    serveProviders(server);
    server.post(SOCIAL_TOKEN_PATH, () =>
      json(200, tokenResponse({ access_token: 'social-access' })),
    );
    await visit('/login');
    await click('[data-test-social-sign-in="google-oauth2"]');
    const sent = new URL(this.browserLocation.assigned[0]).searchParams;
    const verifier = storedPending().codeVerifier;

    // What Google does: back to redirect_uri with the code and the same state.
    const back = new URL(sent.get('redirect_uri'));
    back.searchParams.set('code', 'google-code');
    back.searchParams.set('state', sent.get('state'));
    back.searchParams.set('scope', 'email profile openid');
    await visit(`${back.pathname}${back.search}`);

    assert.strictEqual(currentURL(), '/users');
    const [exchange] = server.requestsTo('POST', SOCIAL_TOKEN_PATH);
    assert.strictEqual(exchange.form.get('code'), 'google-code');
    assert.strictEqual(exchange.form.get('code_verifier'), verifier);
    assert.strictEqual(
      exchange.form.get('code_challenge'),
      null,
      'only the verifier goes to the server',
    );
    assert.strictEqual(
      await s256(exchange.form.get('code_verifier')),
      sent.get('code_challenge'),
    );
    assert.strictEqual(
      currentSession().data.authenticated.access_token,
      'social-access',
    );
  });

  test('"Signing you in with Google…" shows while the server exchanges the code', async function (assert) {
    const answer = deferred();
    server.post(SOCIAL_TOKEN_PATH, () => answer.promise);
    const pending = storePending();

    const visited = visit(callbackURL({ code: 'c', state: pending.state }));
    await waitFor('[data-test-social-progress]');

    assert
      .dom('[data-test-social-progress]')
      .hasText('Signing you in with Google…')
      .hasAttribute('role', 'status');
    assert.strictEqual(currentRouteName(), 'social-callback');
    assert.strictEqual(document.title, 'Signing in · Authsite');

    answer.resolve(json(200, tokenResponse()));
    await visited;
    await settled();
    assert.strictEqual(currentURL(), '/users');
  });

  test('a deep link comes back after signing in with Google', async function (assert) {
    server.post(SOCIAL_TOKEN_PATH, () => json(200, tokenResponse()));
    await visit('/profile');
    assert.strictEqual(currentURL(), '/login');

    const pending = storePending();
    await visit(callbackURL({ code: 'c', state: pending.state }));

    assert.strictEqual(currentURL(), '/profile');
  });

  test('a signed-in user at the callback goes to the users page, nothing is sent', async function (assert) {
    server.post(SOCIAL_TOKEN_PATH, () => json(200, tokenResponse()));
    await authenticateSession({ access_token: 'a' });

    const pending = storePending();
    await visit(callbackURL({ code: 'c', state: pending.state }));

    assert.strictEqual(currentURL(), '/users');
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 0);
  });

  // ---- Callbacks that are refused without asking the server --------------------

  const NOT_COMPLETED =
    'Sign-in with Google could not be completed. Please try again.';

  test('a state that does not match is refused', async function (assert) {
    storePending({ state: 'the-state-this-tab-sent' });

    await visit(callbackURL({ code: 'c', state: 'someone-elses-state' }));

    assert.strictEqual(currentURL(), '/login');
    assert
      .dom('[data-test-login-error]')
      .hasText(NOT_COMPLETED)
      .hasAttribute('role', 'alert')
      .isFocused();
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 0);
    assert.strictEqual(window.sessionStorage.getItem(PENDING_KEY), null);
    assert.false(currentSession().isAuthenticated);
  });

  test('a callback without a stored sign-in is refused', async function (assert) {
    await visit(callbackURL({ code: 'c', state: 'any' }));

    assert.strictEqual(currentURL(), '/login');
    assert.dom('[data-test-login-error]').hasText(NOT_COMPLETED).isFocused();
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 0);
  });

  test('a used callback URL is refused the second time', async function (assert) {
    server.post(SOCIAL_TOKEN_PATH, () =>
      json(400, { error: 'invalid_grant', error_description: 'Used.' }),
    );
    const pending = storePending();
    const url = callbackURL({ code: 'c', state: pending.state });

    await visit(url);
    assert.dom('[data-test-login-error]').hasText('Used.');
    // Back at the callback URL later (a reload is a new page; here another
    // page in between, so the login page is rendered afresh).
    await visit('/no/such/page');
    await visit(url);

    assert.dom('[data-test-login-error]').hasText(NOT_COMPLETED);
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 1);
  });

  test('a sign-in started for another provider is refused', async function (assert) {
    const pending = storePending({
      provider: 'github',
      redirectUri: `${window.location.origin}/login/github/callback`,
    });

    await visit(callbackURL({ code: 'c', state: pending.state }));

    assert.dom('[data-test-login-error]').hasText(NOT_COMPLETED);
    assert.strictEqual(
      server.requests.filter((r) => r.method === 'POST').length,
      0,
    );
  });

  test('a callback without a code is refused', async function (assert) {
    const pending = storePending();

    await visit(callbackURL({ state: pending.state }));

    assert.dom('[data-test-login-error]').hasText(NOT_COMPLETED);
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 0);
  });

  test('Cancel at Google (error=access_denied) says so', async function (assert) {
    const pending = storePending();

    await visit(callbackURL({ error: 'access_denied', state: pending.state }));

    assert.strictEqual(currentURL(), '/login');
    assert
      .dom('[data-test-login-error]')
      .hasText('Sign-in with Google was cancelled.')
      .isFocused();
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 0);
    assert.strictEqual(window.sessionStorage.getItem(PENDING_KEY), null);
  });

  test('other errors from Google are named', async function (assert) {
    const pending = storePending();

    await visit(
      callbackURL({ error: 'temporarily_unavailable', state: pending.state }),
    );

    assert
      .dom('[data-test-login-error]')
      .hasText('Google could not sign you in (temporarily_unavailable).');
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 0);
  });

  // ---- The server refuses the code ----------------------------------------------

  async function failExchange(assert, respond) {
    server.post(SOCIAL_TOKEN_PATH, respond);
    const pending = storePending();
    await visit(callbackURL({ code: 'c', state: pending.state }));
    assert.strictEqual(currentURL(), '/login');
    assert.strictEqual(server.requestsTo('POST', SOCIAL_TOKEN_PATH).length, 1);
    assert.false(currentSession().isAuthenticated);
  }

  test('invalid_grant from the server shows its description', async function (assert) {
    const description =
      "Google has not verified this account's email address, so it cannot be used to sign in here.";
    await failExchange(assert, () =>
      json(400, { error: 'invalid_grant', error_description: description }),
    );

    assert
      .dom('[data-test-login-error]')
      .hasText(description)
      .hasAttribute('role', 'alert')
      .isFocused();
    assert.dom('[data-test-login-submit]').isNotDisabled();
  });

  test('503 temporarily_unavailable: Google is not responding', async function (assert) {
    await failExchange(assert, () =>
      json(
        503,
        {
          error: 'temporarily_unavailable',
          error_description:
            'Google is not responding right now; try again later.',
        },
        { 'Retry-After': '30' },
      ),
    );

    assert
      .dom('[data-test-login-error]')
      .hasText(
        'Google is not responding right now. Please try again in a moment.',
      );
  });

  test('an unreachable server gets the same message as the password form', async function (assert) {
    await failExchange(assert, networkError);

    assert
      .dom('[data-test-login-error]')
      .hasText('Cannot reach the server. Check your connection and try again.')
      .isFocused();
  });

  test('an unconfigured provider (404) shows the server’s description', async function (assert) {
    await failExchange(assert, () =>
      json(404, {
        error: 'invalid_request',
        error_description:
          'Sign-in with Google is not configured on this server.',
      }),
    );

    assert
      .dom('[data-test-login-error]')
      .hasText('Sign-in with Google is not configured on this server.');
  });

  test('a non-JSON error page never shows as [object Response]', async function (assert) {
    await failExchange(
      assert,
      () => new Response('<h1>Bad Gateway</h1>', { status: 502 }),
    );

    assert
      .dom('[data-test-login-error]')
      .hasText(
        'The server had a problem signing you in. Please try again in a moment.',
      );
  });

  test('after a failure the button works again', async function (assert) {
    serveProviders(server);
    await failExchange(assert, networkError);

    await click('[data-test-social-sign-in="google-oauth2"]');
    assert.strictEqual(this.browserLocation.assigned.length, 1);
  });

  // ---- The session afterwards ---------------------------------------------------

  test('a Google session refreshes at /oauth/token and revokes both tokens on sign-out', async function (assert) {
    server.post(SOCIAL_TOKEN_PATH, () => json(200, tokenResponse()));
    server.post('/oauth/token', () =>
      json(
        200,
        tokenResponse({ access_token: 'access-2', refresh_token: 'refresh-2' }),
      ),
    );
    server.post('/oauth/revoke', () => new Response(null, { status: 200 }));
    const pending = storePending();
    await visit(callbackURL({ code: 'c', state: pending.state }));
    assert.strictEqual(currentURL(), '/users');

    // What a reload after the access token expired does: restore() refreshes.
    // (ember-simple-auth does not schedule its refresh timer in tests.)
    const session = currentSession();
    await session.store.persist({
      authenticated: {
        ...session.data.authenticated,
        expires_at: Date.now() - 1000,
      },
    });
    await session.session.restore();
    await settled();

    const [refresh] = server.requestsTo('POST', '/oauth/token');
    assert.deepEqual(Object.fromEntries(refresh.form), {
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'ember-app',
    });
    assert.strictEqual(session.data.authenticated.access_token, 'access-2');
    assert.strictEqual(session.data.authenticated.refresh_token, 'refresh-2');
    assert.strictEqual(
      session.data.authenticated.authenticator,
      'authenticator:social',
    );

    await click('button[data-test-logout]');

    assert.strictEqual(currentURL(), '/login');
    assert.false(session.isAuthenticated);
    assert.deepEqual(server.revocations(), [
      ['access_token', 'access-2', 'ember-app'],
      ['refresh_token', 'refresh-2', 'ember-app'],
    ]);
  });
});
