import { module, test } from 'qunit';
import { click, currentURL, visit } from '@ember/test-helpers';
import { setupApplicationTest } from 'frontend/tests/helpers';
import { authenticateSession } from 'ember-simple-auth/test-support';
import config from 'frontend/config/environment';
import {
  json,
  meDocument,
  networkError,
  setupFakeServer,
  usersPage,
} from 'frontend/tests/helpers/fake-server';

module('Acceptance | users', function (hooks) {
  setupApplicationTest(hooks);
  const server = setupFakeServer(hooks);

  hooks.beforeEach(async function () {
    server.get('/api/me', () =>
      json(200, meDocument({ email: 'admin@example.com' })),
    );
    await authenticateSession({ access_token: 'token-1' });
  });

  const SIZE = config.usersPageSize; // 25, the API's default

  // Two full pages and a last one with 5 users.
  function threePages() {
    server.get('/api/users', (request) => {
      const page = Number(request.query.get('page[number]'));
      const size = Number(request.query.get('page[size]'));
      const first = (page - 1) * size + 1;
      const ids = Array.from(
        { length: page === 3 ? 5 : size },
        (_, i) => first + i,
      );
      return json(200, usersPage({ page, pages: 3, count: 2 * size + 5, ids }));
    });
  }

  test('lists the users of the first page', async function (assert) {
    threePages();

    await visit('/users');

    assert.strictEqual(currentURL(), '/users');
    assert.strictEqual(document.title, 'Users · Authsite');
    assert
      .dom('table[data-test-users] [data-test-user-row]')
      .exists({ count: SIZE });
    assert
      .dom('[data-test-user-row]:first-of-type [data-test-user-email]')
      .hasText('user1@example.com');
    assert
      .dom('[data-test-user-row]:first-of-type [data-test-user-first-name]')
      .hasText('First1');
    assert
      .dom('[data-test-user-row]:first-of-type [data-test-user-last-name]')
      .hasText('Last1');
    assert
      .dom(
        '[data-test-user-row]:first-of-type [data-test-user-date-joined] time',
      )
      .hasAttribute('datetime', '2026-01-15T10:00:00Z');
    assert.dom('[data-test-users-count]').hasText(`${2 * SIZE + 5} accounts`);

    const [request] = server.requestsTo('GET', '/api/users');
    assert.strictEqual(request.query.get('page[number]'), '1');
    assert.strictEqual(request.query.get('page[size]'), '25');
    assert.strictEqual(request.headers.authorization, 'Bearer token-1');
    assert.strictEqual(request.headers.accept, 'application/vnd.api+json');
  });

  test('pages forwards and backwards with the page query param', async function (assert) {
    threePages();

    await visit('/users');
    assert
      .dom('[data-test-pagination] [data-test-page-info]')
      .hasText('Page 1 of 3');
    assert.dom('[data-test-page-prev]').isDisabled();
    assert.dom('a[data-test-page-prev]').doesNotExist();

    await click('[data-test-page-next]');
    assert.strictEqual(currentURL(), '/users?page=2');
    assert.dom('[data-test-page-info]').hasText('Page 2 of 3');
    assert.dom('main#main').isNotFocused('paginating does not move focus');
    assert
      .dom('[data-test-user-row]:first-of-type [data-test-user-email]')
      .hasText(`user${SIZE + 1}@example.com`);

    await click('[data-test-page-next]');
    assert.strictEqual(currentURL(), '/users?page=3');
    assert.dom('[data-test-user-row]').exists({ count: 5 });
    assert.dom('[data-test-page-next]').isDisabled();
    assert.dom('a[data-test-page-next]').doesNotExist();

    await click('[data-test-page-prev]');
    assert.strictEqual(currentURL(), '/users?page=2');

    await click('[data-test-page-prev]');
    assert.strictEqual(currentURL(), '/users');
    assert.dom('[data-test-page-info]').hasText('Page 1 of 3');

    assert.deepEqual(
      server
        .requestsTo('GET', '/api/users')
        .map((r) => r.query.get('page[number]')),
      ['1', '2', '3', '2', '1'],
    );
  });

  test('a direct link to a page loads that page', async function (assert) {
    threePages();

    await visit('/users?page=3');

    assert.dom('[data-test-page-info]').hasText('Page 3 of 3');
    assert.dom('[data-test-user-row]').exists({ count: 5 });
  });

  test('a non-staff user sees only themselves', async function (assert) {
    server.get('/api/users', () =>
      json(200, usersPage({ page: 1, pages: 1, count: 1, ids: [7] })),
    );

    await visit('/users');

    assert.dom('[data-test-user-row]').exists({ count: 1 });
    assert.dom('[data-test-user-email]').hasText('user7@example.com');
    assert.dom('[data-test-page-info]').hasText('Page 1 of 1');
    assert.dom('[data-test-users-count]').hasText('1 account');
  });

  test('a server that cannot be reached shows an error page', async function (assert) {
    server.get('/api/users', networkError);

    await visit('/users');

    assert
      .dom('[data-test-page-error-message]')
      .hasText('Cannot reach the server. Check your connection and try again.');
  });
});
