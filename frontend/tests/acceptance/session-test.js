import { module, test } from 'qunit';
import { click, currentURL, fillIn, visit } from '@ember/test-helpers';
import { setupApplicationTest } from 'frontend/tests/helpers';
import {
  authenticateSession,
  currentSession,
} from 'ember-simple-auth/test-support';
import {
  json,
  networkError,
  serveAda,
  setupFakeServer,
  signIn,
  tokenResponse,
  usersPage,
} from 'frontend/tests/helpers/fake-server';

const UNAUTHORIZED = {
  errors: [
    {
      status: '401',
      code: 'not_authenticated',
      detail: 'Authentication credentials were not provided.',
    },
  ],
};

async function visitAllowingRedirects(url) {
  try {
    await visit(url);
  } catch (error) {
    // A transition that the app replaces with another one (here: the 401
    // handler sending the user to /login) rejects visit() with
    // TransitionAborted; what matters is where the app ends up.
    if (error?.message !== 'TransitionAborted') {
      throw error;
    }
  }
}

module('Acceptance | session', function (hooks) {
  setupApplicationTest(hooks);
  const server = setupFakeServer(hooks);

  hooks.beforeEach(function () {
    serveAda(server);
  });

  test('protected pages send visitors to the login page', async function (assert) {
    await visit('/users');
    assert.strictEqual(currentURL(), '/login');

    await visit('/profile');
    assert.strictEqual(currentURL(), '/login');

    assert.strictEqual(
      server.requests.filter((r) => r.path.startsWith('/api/')).length,
      0,
      'no API request without a session',
    );
  });

  test('a deep link to /profile comes back to /profile after signing in', async function (assert) {
    server.post('/oauth/token', () => json(200, tokenResponse()));

    await visit('/profile');
    assert.strictEqual(currentURL(), '/login');

    await signIn();

    assert.strictEqual(currentURL(), '/profile');
    assert.strictEqual(document.title, 'Profile · Authsite');
    assert.dom('[data-test-profile-email]').hasText('ada@example.com');
  });

  test('a deep link with query params comes back to it', async function (assert) {
    server.post('/oauth/token', () => json(200, tokenResponse()));
    server.get('/api/users', (request) => {
      const page = Number(request.query.get('page[number]'));
      return json(200, usersPage({ page, pages: 3, count: 25, ids: [page] }));
    });

    await visit('/users?page=2');
    assert.strictEqual(currentURL(), '/login');

    await signIn();

    assert.strictEqual(currentURL(), '/users?page=2');
    assert.dom('[data-test-page-info]').hasText('Page 2 of 3');
  });

  test('a 401 from the API ends the session and returns to login', async function (assert) {
    await authenticateSession({ access_token: 'revoked-token' });
    server.get('/api/users', () =>
      json(401, UNAUTHORIZED, {
        'WWW-Authenticate': 'Bearer realm="api",error="invalid_token"',
      }),
    );

    await visitAllowingRedirects('/users');

    assert.strictEqual(currentURL(), '/login');
    assert.false(currentSession().isAuthenticated);
    const [usersRequest] = server.requestsTo('GET', '/api/users');
    assert.strictEqual(
      usersRequest.headers.authorization,
      'Bearer revoked-token',
    );
    assert
      .dom('[data-test-session-expired]')
      .hasText('Your session has ended. Please sign in again.');
  });

  test('after a 401, signing in again returns to the page', async function (assert) {
    await authenticateSession({ access_token: 'fresh' });
    await visit('/profile');
    server.post('/oauth/token', () => json(200, tokenResponse()));
    server.patch('/api/me', () => json(401, UNAUTHORIZED));

    await fillIn('[data-test-first-name]', 'Ada');
    await click('[data-test-profile-save]');

    assert.strictEqual(currentURL(), '/login');
    assert.dom('[data-test-session-expired]').exists();

    await signIn();

    assert.strictEqual(currentURL(), '/profile');
    assert.dom('[data-test-session-expired]').doesNotExist();
  });

  test('a 401 while loading the current user also returns to login', async function (assert) {
    await authenticateSession({ access_token: 'expired' });
    server.get('/api/me', () => json(401, UNAUTHORIZED));

    await visitAllowingRedirects('/profile');

    assert.strictEqual(currentURL(), '/login');
    assert.false(currentSession().isAuthenticated);
  });

  test('signing out revokes both tokens and returns to login', async function (assert) {
    server.post('/oauth/token', () => json(200, tokenResponse()));
    server.post('/oauth/revoke', () => new Response(null, { status: 200 }));

    await visit('/login');
    await signIn();
    assert.dom('[data-test-current-user]').includesText('ada@example.com');

    await click('button[data-test-logout]');

    assert.strictEqual(currentURL(), '/login');
    assert.false(currentSession().isAuthenticated);
    assert.dom('[data-test-current-user]').doesNotExist();

    assert.deepEqual(server.revocations(), [
      ['access_token', 'access-1', 'ember-app'],
      ['refresh_token', 'refresh-1', 'ember-app'],
    ]);
  });

  test('signing out still works when revocation fails', async function (assert) {
    server.post('/oauth/token', () => json(200, tokenResponse()));
    server.post('/oauth/revoke', networkError);

    await visit('/login');
    await signIn();

    await click('button[data-test-logout]');

    assert.strictEqual(currentURL(), '/login');
    assert.false(currentSession().isAuthenticated);
  });

  test('the header shows navigation for a signed-in user', async function (assert) {
    await authenticateSession({ access_token: 'a' });
    await visit('/users');

    assert.dom('header nav a[data-test-nav-users]').hasText('Users');
    assert.dom('header nav a[data-test-nav-profile]').hasText('Profile');
    assert.dom('[data-test-current-user]').includesText('ada@example.com');

    await click('a[data-test-nav-profile]');
    assert.strictEqual(currentURL(), '/profile');
    assert.dom('main#main').isFocused('focus moves to the new page');

    await click('a[data-test-nav-users]');
    assert.strictEqual(currentURL(), '/users');
  });

  test('an unknown URL shows a not-found page', async function (assert) {
    await visit('/no/such/page');
    assert.dom('[data-test-not-found]').exists();
  });
});
