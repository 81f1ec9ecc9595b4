import { module, test } from 'qunit';
import {
  click,
  currentURL,
  fillIn,
  find,
  triggerEvent,
  visit,
  waitUntil,
} from '@ember/test-helpers';
import { setupApplicationTest } from 'frontend/tests/helpers';
import { currentSession } from 'ember-simple-auth/test-support';
import {
  deferred,
  json,
  networkError,
  serveAda,
  setupFakeServer,
  signIn,
  tokenResponse,
} from 'frontend/tests/helpers/fake-server';

module('Acceptance | login', function (hooks) {
  setupApplicationTest(hooks);
  const server = setupFakeServer(hooks);

  hooks.beforeEach(function () {
    serveAda(server);
  });

  test('the login page has a labelled form and a title', async function (assert) {
    await visit('/login');

    assert.strictEqual(currentURL(), '/login');
    assert.strictEqual(document.title, 'Sign in · Authsite');
    assert.dom('form[data-test-login-form]').exists();
    assert
      .dom('input[data-test-email]')
      .hasAttribute('type', 'email')
      .hasAttribute('id', 'email')
      .hasAttribute('autocomplete', 'username email');
    assert.dom('label[for="email"]').hasText('Email');
    assert
      .dom('input[data-test-password]')
      .hasAttribute('type', 'password')
      .hasAttribute('autocomplete', 'current-password');
    assert.dom('label[for="password"]').hasText('Password');
    assert
      .dom('button[data-test-login-submit]')
      .hasText('Sign in')
      .hasAttribute('type', 'submit')
      .isNotDisabled();
    assert.dom('[data-test-login-error]').doesNotExist();
    assert.dom('[data-test-current-user]').doesNotExist();
    assert.dom('main#main').exists();
  });

  test('/ sends a visitor to the login page', async function (assert) {
    await visit('/');
    assert.strictEqual(currentURL(), '/login');
  });

  test('signing in posts the password grant and lands on /users', async function (assert) {
    server.post('/oauth/token', () => json(200, tokenResponse()));

    await visit('/login');
    await signIn('  ada@example.com ', 'correct horse');

    assert.strictEqual(currentURL(), '/users');
    assert.strictEqual(document.title, 'Users · Authsite');

    const [tokenRequest] = server.requestsTo('POST', '/oauth/token');
    assert.strictEqual(
      tokenRequest.headers['content-type'],
      'application/x-www-form-urlencoded',
    );
    assert.strictEqual(tokenRequest.form.get('grant_type'), 'password');
    assert.strictEqual(tokenRequest.form.get('username'), 'ada@example.com');
    assert.strictEqual(tokenRequest.form.get('password'), 'correct horse');
    assert.strictEqual(tokenRequest.form.get('client_id'), 'ember-app');
    assert.notOk(tokenRequest.headers.authorization, 'no Basic header');

    for (const request of server.requests.filter((r) =>
      r.path.startsWith('/api/'),
    )) {
      assert.strictEqual(
        request.headers.authorization,
        'Bearer access-1',
        `${request.method} ${request.path} carries the access token`,
      );
    }
    assert.dom('[data-test-current-user]').includesText('ada@example.com');
    assert.dom('button[data-test-logout]').hasText('Sign out');

    const session = currentSession();
    assert.true(session.isAuthenticated);
    assert.strictEqual(session.data.authenticated.refresh_token, 'refresh-1');
    assert.strictEqual(
      session.data.authenticated.authenticator,
      'authenticator:oauth2',
    );
  });

  test('pressing Enter in the password field submits the form', async function (assert) {
    server.post('/oauth/token', () => json(200, tokenResponse()));

    await visit('/login');
    await fillIn('[data-test-email]', 'ada@example.com');
    await fillIn('[data-test-password]', 'secret');
    // What the browser does on Enter in a form with a submit button.
    await triggerEvent('form[data-test-login-form]', 'submit');

    assert.strictEqual(currentURL(), '/users');
  });

  test('a refused attempt says when to try again, not "wrong password"', async function (assert) {
    server.post('/oauth/token', () =>
      json(
        429,
        {
          error: 'invalid_grant',
          error_description:
            'Too many sign-in attempts. Try again in 4 minutes.',
        },
        { 'Retry-After': '240', 'Cache-Control': 'no-store' },
      ),
    );

    await visit('/login');
    await signIn('ada@example.com', 'correct horse');

    assert.strictEqual(currentURL(), '/login');
    assert
      .dom('[data-test-login-error]')
      .hasText('Too many sign-in attempts. Try again in 4 minutes.')
      .isFocused();
    assert.false(currentSession().isAuthenticated);
  });

  test('a wrong password shows a message and moves focus to it', async function (assert) {
    server.post('/oauth/token', () =>
      json(400, {
        error: 'invalid_grant',
        error_description: 'Invalid credentials given.',
      }),
    );

    await visit('/login');
    await signIn('ada@example.com', 'wrong');

    assert.strictEqual(currentURL(), '/login');
    assert
      .dom('[data-test-login-error]')
      .hasText('Wrong email or password.')
      .hasAttribute('role', 'alert')
      .isFocused();
    assert.dom('[data-test-login-submit]').isNotDisabled().hasText('Sign in');
    assert.dom('[data-test-email]').hasValue('ada@example.com');
    assert.false(currentSession().isAuthenticated);
  });

  test('other OAuth errors show the server’s description', async function (assert) {
    server.post('/oauth/token', () =>
      json(401, {
        error: 'invalid_client',
        error_description: 'Client authentication failed.',
      }),
    );

    await visit('/login');
    await signIn();

    assert
      .dom('[data-test-login-error]')
      .hasText('Client authentication failed.');
  });

  test('a server that cannot be reached gets its own message', async function (assert) {
    server.post('/oauth/token', networkError);

    await visit('/login');
    await signIn();

    assert
      .dom('[data-test-login-error]')
      .hasText('Cannot reach the server. Check your connection and try again.')
      .isFocused();
    assert.strictEqual(currentURL(), '/login');
  });

  test('a non-JSON error page never shows as [object Response]', async function (assert) {
    server.post(
      '/oauth/token',
      () => new Response('<h1>Bad Gateway</h1>', { status: 502 }),
    );

    await visit('/login');
    await signIn();

    assert
      .dom('[data-test-login-error]')
      .hasText(
        'The server had a problem signing you in. Please try again in a moment.',
      );
    assert.dom('[data-test-login-error]').doesNotIncludeText('[object');
  });

  test('empty fields are caught before any request', async function (assert) {
    await visit('/login');
    await click('[data-test-login-submit]');

    assert
      .dom('[data-test-login-error]')
      .hasText('Enter your email address and password.');
    assert.strictEqual(server.requestsTo('POST', '/oauth/token').length, 0);
  });

  test('the button is disabled and says "Signing in…" while the request runs', async function (assert) {
    const response = deferred();
    server.post('/oauth/token', () => response.promise);

    await visit('/login');
    await fillIn('[data-test-email]', 'ada@example.com');
    await fillIn('[data-test-password]', 'secret');
    const submitted = click('[data-test-login-submit]');

    await waitUntil(() => find('[data-test-login-submit]').disabled);
    assert.dom('[data-test-login-submit]').isDisabled().hasText('Signing in…');

    // A second submit while in flight sends nothing.
    triggerEvent('form[data-test-login-form]', 'submit');
    response.resolve(json(200, tokenResponse()));
    await submitted;

    assert.strictEqual(server.requestsTo('POST', '/oauth/token').length, 1);
    assert.strictEqual(currentURL(), '/users');
  });

  test('a signed-in user who opens /login goes to the users page', async function (assert) {
    server.post('/oauth/token', () => json(200, tokenResponse()));
    await visit('/login');
    await signIn();
    assert.strictEqual(currentURL(), '/users');

    await visit('/login');
    assert.strictEqual(currentURL(), '/users');

    await visit('/');
    assert.strictEqual(currentURL(), '/users');
  });
});
