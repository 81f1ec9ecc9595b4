import { module, test } from 'qunit';
import {
  click,
  currentURL,
  fillIn,
  find,
  visit,
  waitUntil,
} from '@ember/test-helpers';
import { setupApplicationTest } from 'frontend/tests/helpers';
import {
  authenticateSession,
  currentSession,
} from 'ember-simple-auth/test-support';
import {
  deferred,
  eventResource,
  eventsPage,
  googleMethod,
  json,
  meDocument,
  networkError,
  passwordMethod,
  serveSecurity,
  sessionResource,
  setupFakeServer,
  signIn,
  tokenResponse,
} from 'frontend/tests/helpers/fake-server';

const NO_CONTENT = () => new Response(null, { status: 204 });

module('Acceptance | security', function (hooks) {
  setupApplicationTest(hooks);
  const server = setupFakeServer(hooks);

  hooks.beforeEach(function () {
    server.get('/api/me', () =>
      json(200, meDocument({ email: 'ada@example.com' }, 42)),
    );
  });

  module('signed in', function (hooks) {
    hooks.beforeEach(async function () {
      await authenticateSession({
        access_token: 'token-1',
        refresh_token: 'refresh-1',
      });
    });

    test('shows every part of the page', async function (assert) {
      serveSecurity(server, {
        events: () =>
          eventsPage({
            events: [
              eventResource(3, { kind: 'password_changed' }),
              eventResource(2, {
                kind: 'sign_in_failed',
                detail: 'wrong_password',
                ip: '198.51.100.9',
                browser: 'Chrome 131',
                os: 'Windows',
              }),
              eventResource(1, {
                kind: 'tokens_issued',
                'client-name': 'Ember app',
              }),
            ],
          }),
      });

      await visit('/profile');
      await click('[data-test-nav-security]');

      assert.strictEqual(currentURL(), '/security');
      assert.strictEqual(document.title, 'Security · Authsite');
      assert.dom('[data-test-nav-security]').hasClass('active');
      assert.dom('h1').hasText('Security');

      // Where you are signed in
      assert.dom('[data-test-sessions] h2').hasText('Where you are signed in');
      assert.dom('[data-test-session]').exists({ count: 2 });
      assert
        .dom('[data-test-session="family-1"] [data-test-session-current]')
        .hasText('This browser');
      assert
        .dom('[data-test-session="family-2"] [data-test-session-current]')
        .doesNotExist();
      assert
        .dom('[data-test-session="family-1"] [data-test-session-client]')
        .hasText('Ember app');
      assert
        .dom('[data-test-session="family-2"] [data-test-session-device]')
        .hasText('Safari 18 on iOS 18');
      assert
        .dom('[data-test-session="family-2"] [data-test-session-ip]')
        .hasText('198.51.100.4');
      assert
        .dom(
          '[data-test-session="family-1"] [data-test-session-signed-in] time',
        )
        .hasAttribute('datetime', '2026-11-20T08:00:00Z');
      assert
        .dom(
          '[data-test-session="family-1"] [data-test-session-last-active] time',
        )
        .hasAttribute('datetime', '2026-11-27T09:30:00Z');
      assert
        .dom('[data-test-session="family-2"] [data-test-session-sign-out]')
        .hasText('Sign out Ember app, Safari 18 on iOS 18');
      assert
        .dom('[data-test-sign-out-others]')
        .hasText('Sign out everywhere else');

      // Apps you have allowed
      assert
        .dom(
          '[data-test-authorization="photo-printer"] [data-test-authorization-name]',
        )
        .hasText('Photo printer');
      assert
        .dom('[data-test-authorization-scopes] li')
        .exists({ count: 1 })
        .hasText('read');
      assert
        .dom('[data-test-authorization-since]')
        .hasAttribute('datetime', '2026-10-01T12:00:00Z');

      // Sign-in methods: only Google can be unlinked
      assert
        .dom(
          '[data-test-sign-in-method="password"] [data-test-sign-in-method-status]',
        )
        .hasText('Set');
      assert
        .dom(
          '[data-test-sign-in-method="password"] [data-test-sign-in-method-unlink]',
        )
        .doesNotExist();
      assert
        .dom(
          '[data-test-sign-in-method="google-oauth2"] [data-test-sign-in-method-label]',
        )
        .hasText('Google (ada@gmail.com)');
      assert
        .dom(
          '[data-test-sign-in-method="google-oauth2"] [data-test-sign-in-method-unlink]',
        )
        .exists();

      // Change password
      assert.dom('[data-test-password-change] h2').hasText('Change password');
      assert.dom('label[for="current-password"]').hasText('Current password');
      assert
        .dom('#current-password')
        .hasAttribute('type', 'password')
        .hasAttribute('autocomplete', 'current-password');
      assert.dom('label[for="new-password"]').hasText('New password');
      assert.dom('#new-password').hasAttribute('autocomplete', 'new-password');

      // Recent activity
      assert.dom('[data-test-event]').exists({ count: 3 });
      assert
        .dom('[data-test-event="3"] [data-test-event-text]')
        .hasText('Password changed');
      assert
        .dom('[data-test-event="2"] [data-test-event-text]')
        .hasText('Wrong password');
      assert
        .dom('[data-test-event="2"] [data-test-event-ip]')
        .hasText('198.51.100.9');
      assert
        .dom('[data-test-event="2"] [data-test-event-device]')
        .hasText('Chrome 131 on Windows');
      assert
        .dom('[data-test-event="1"] [data-test-event-text]')
        .hasText('Signed in to Ember app');
      assert
        .dom('[data-test-event="1"] [data-test-event-time] time')
        .hasAttribute('datetime', '2026-11-27T09:00:00Z');
      assert.dom('[data-test-page-info]').hasText('Page 1 of 1');

      const [events] = server.requestsTo('GET', '/api/events');
      assert.strictEqual(events.query.get('page[number]'), '1');
      assert.strictEqual(events.query.get('page[size]'), '25');
      for (const path of [
        '/api/sessions',
        '/api/authorizations',
        '/api/sign-in-methods',
        '/api/events',
      ]) {
        const requests = server.requestsTo('GET', path);
        assert.strictEqual(requests.length, 1, `one GET ${path}`);
        assert.strictEqual(requests[0].headers.authorization, 'Bearer token-1');
      }
    });

    test('empty lists say so', async function (assert) {
      serveSecurity(server, {
        authorizations: () => [],
        events: () => eventsPage({ events: [] }),
      });

      await visit('/security');

      assert
        .dom('[data-test-authorizations-empty]')
        .hasText('You have not allowed any apps to use your account.');
      assert
        .dom('[data-test-events-empty]')
        .hasText('No activity in the last 90 days.');
    });

    test('signing out another session deletes it', async function (assert) {
      serveSecurity(server);
      const response = deferred();
      server.delete('/api/sessions/family-2', () => response.promise);

      await visit('/security');
      const done = click(
        '[data-test-session="family-2"] [data-test-session-sign-out]',
      );
      await waitUntil(
        () =>
          find('[data-test-session="family-2"] [data-test-session-sign-out]')
            ?.disabled,
      );
      assert
        .dom('[data-test-session="family-2"] [data-test-session-sign-out]')
        .isDisabled()
        .includesText('Signing out…');
      assert.dom('[data-test-sign-out-others]').isDisabled();

      response.resolve(NO_CONTENT());
      await done;

      assert.dom('[data-test-session]').exists({ count: 1 });
      assert.dom('[data-test-session="family-2"]').doesNotExist();
      assert
        .dom('[data-test-sessions] [data-test-section-notice]')
        .hasText('Signed out: Ember app, Safari 18 on iOS 18.')
        .isFocused();
      assert.dom('[data-test-sign-out-others]').doesNotExist();
      const [request] = server.requestsTo('DELETE', '/api/sessions/family-2');
      assert.strictEqual(request.headers.authorization, 'Bearer token-1');
      assert.true(currentSession().isAuthenticated);
    });

    test('signing out everywhere else, then the list is reloaded', async function (assert) {
      let sessions = [
        sessionResource('family-1', { current: true }),
        sessionResource('family-2'),
        sessionResource('family-3'),
      ];
      serveSecurity(server, { sessions: () => sessions });
      server.delete('/api/sessions/others', () => {
        sessions = sessions.filter((s) => s.attributes.current);
        return NO_CONTENT();
      });

      await visit('/security');
      assert.dom('[data-test-session]').exists({ count: 3 });

      await click('[data-test-sign-out-others]');

      assert.strictEqual(
        server.requestsTo('DELETE', '/api/sessions/others').length,
        1,
      );
      assert.strictEqual(server.requestsTo('GET', '/api/sessions').length, 2);
      assert.dom('[data-test-session]').exists({ count: 1 });
      assert
        .dom('[data-test-session="family-1"] [data-test-session-current]')
        .exists();
      assert
        .dom('[data-test-sessions] [data-test-section-notice]')
        .hasText('Signed out everywhere else.')
        .isFocused();
      assert.dom('[data-test-sign-out-others]').doesNotExist();
    });

    test('a failed sign-out says why and keeps the entry', async function (assert) {
      serveSecurity(server);
      server.delete('/api/sessions/others', networkError);

      await visit('/security');
      await click('[data-test-sign-out-others]');

      assert
        .dom('[data-test-sessions] [data-test-section-error]')
        .hasText(
          'Cannot reach the server. Check your connection and try again.',
        )
        .isFocused();
      assert.dom('[data-test-session]').exists({ count: 2 });
      assert.dom('[data-test-sign-out-others]').isNotDisabled();
    });

    test('revoking an app deletes its authorization', async function (assert) {
      serveSecurity(server);
      server.delete('/api/authorizations/photo-printer', NO_CONTENT);

      await visit('/security');
      await click('[data-test-authorization-revoke]');

      assert.strictEqual(
        server.requestsTo('DELETE', '/api/authorizations/photo-printer').length,
        1,
      );
      assert.dom('[data-test-authorization]').doesNotExist();
      assert.dom('[data-test-authorizations-empty]').exists();
      assert
        .dom('[data-test-authorizations] [data-test-section-notice]')
        .hasText('Photo printer can no longer use your account.')
        .isFocused();
    });

    test('unlinking refused with 409 shows the reason and keeps the method', async function (assert) {
      serveSecurity(server);
      server.delete('/api/sign-in-methods/google-oauth2', () =>
        json(409, {
          errors: [
            {
              status: '409',
              code: 'last-sign-in-method',
              detail:
                'Google is your only way to sign in. Set a password first.',
            },
          ],
        }),
      );

      await visit('/security');
      await click('[data-test-sign-in-method-unlink]');

      assert
        .dom('[data-test-sign-in-methods] [data-test-section-error]')
        .hasText('Google is your only way to sign in. Set a password first.')
        .isFocused();
      assert.dom('[data-test-sign-in-method="google-oauth2"]').exists();
      assert.dom('[data-test-sign-in-method]').exists({ count: 2 });
      assert.strictEqual(
        server.requestsTo('GET', '/api/sign-in-methods').length,
        2,
        'the list is fetched again',
      );
    });

    test('unlinking Google', async function (assert) {
      let methods = [passwordMethod(), googleMethod()];
      serveSecurity(server, { methods: () => methods });
      server.delete('/api/sign-in-methods/google-oauth2', () => {
        methods = [passwordMethod()];
        return NO_CONTENT();
      });

      await visit('/security');
      await click('[data-test-sign-in-method-unlink]');

      assert.dom('[data-test-sign-in-method]').exists({ count: 1 });
      assert.dom('[data-test-sign-in-method="google-oauth2"]').doesNotExist();
      assert
        .dom('[data-test-sign-in-methods] [data-test-section-notice]')
        .hasText('Your Google account is no longer linked.')
        .isFocused();
    });

    test('the only way to sign in cannot be unlinked', async function (assert) {
      serveSecurity(server, {
        methods: () => [
          passwordMethod({ 'password-set': false }),
          googleMethod({ removable: false }),
        ],
      });

      await visit('/security');

      assert.dom('[data-test-sign-in-method-unlink]').doesNotExist();
      assert
        .dom(
          '[data-test-sign-in-method="password"] [data-test-sign-in-method-status]',
        )
        .hasText('Not set');
      assert.dom('[data-test-sign-in-method-only]').exists();
    });

    test('password change: the server’s messages appear next to their fields', async function (assert) {
      serveSecurity(server);
      server.post('/api/password-changes', () =>
        json(422, {
          errors: [
            {
              status: '422',
              detail: 'Your current password is not correct.',
              source: { pointer: '/data/attributes/current-password' },
            },
            {
              status: '422',
              detail: 'This password is too short.',
              source: { pointer: '/data/attributes/new-password' },
            },
            {
              status: '422',
              detail: 'This password is too common.',
              source: { pointer: '/data/attributes/new-password' },
            },
          ],
        }),
      );

      await visit('/security');
      await click('[data-test-password-submit]');
      assert
        .dom('[data-test-error-current-password]')
        .hasText('Enter your current password.');
      assert
        .dom('[data-test-error-new-password]')
        .hasText('Enter a new password.');
      assert.dom('#current-password').isFocused();
      assert.strictEqual(
        server.requestsTo('POST', '/api/password-changes').length,
        0,
        'nothing is sent without both passwords',
      );

      await fillIn('#current-password', 'not-it');
      await fillIn('#new-password', 'abc');
      await click('[data-test-password-submit]');

      const [request] = server.requestsTo('POST', '/api/password-changes');
      assert.strictEqual(request.headers.authorization, 'Bearer token-1');
      assert.strictEqual(
        request.headers['content-type'],
        'application/vnd.api+json',
      );
      assert.deepEqual(request.json, {
        data: {
          type: 'password-changes',
          attributes: { 'current-password': 'not-it', 'new-password': 'abc' },
        },
      });
      assert
        .dom('[data-test-error-current-password]')
        .hasText('Your current password is not correct.');
      assert.dom('[data-test-error-new-password] li').exists({ count: 2 });
      assert
        .dom('[data-test-error-new-password]')
        .includesText('This password is too short.')
        .includesText('This password is too common.');
      assert
        .dom('#current-password')
        .hasAttribute('aria-invalid', 'true')
        .hasAttribute('aria-describedby', 'current-password-error')
        .isFocused();
      assert
        .dom('#new-password')
        .hasAttribute('aria-describedby', 'new-password-error')
        .hasValue('abc');
      assert.dom('[data-test-password-changed]').doesNotExist();
      assert.dom('[data-test-password-submit]').isNotDisabled();
      assert.strictEqual(server.requestsTo('GET', '/api/sessions').length, 1);
    });

    test('password change: success ends the other sessions', async function (assert) {
      let sessions = [
        sessionResource('family-1', { current: true }),
        sessionResource('family-2'),
      ];
      serveSecurity(server, { sessions: () => sessions });
      const response = deferred();
      server.post('/api/password-changes', () => response.promise);

      await visit('/security');
      await fillIn('#current-password', 'correct-horse-battery-staple');
      await fillIn('#new-password', 'a much longer new one');
      const done = click('[data-test-password-submit]');
      await waitUntil(() => find('[data-test-password-submit]').disabled);
      assert.dom('[data-test-password-submit]').isDisabled().hasText('Saving…');

      sessions = [sessions[0]];
      response.resolve(NO_CONTENT());
      await done;

      assert
        .dom('[data-test-password-changed]')
        .hasText(
          'Your password has been changed. You are signed out everywhere else.',
        )
        .isFocused();
      assert.dom('#current-password').hasValue('');
      assert.dom('#new-password').hasValue('');
      assert.dom('[data-test-error-new-password]').doesNotExist();
      assert.strictEqual(server.requestsTo('GET', '/api/sessions').length, 2);
      assert.dom('[data-test-session]').exists({ count: 1 });
      assert.dom('[data-test-session="family-1"]').exists();
      assert.true(currentSession().isAuthenticated);
      assert.strictEqual(
        this.owner.lookup('service:store').peekAll('password-change').length,
        0,
        'no passwords kept in the store',
      );
    });

    test('a Google-only account sets a password without a current one', async function (assert) {
      let methods = [
        passwordMethod({ 'password-set': false }),
        googleMethod({ removable: false }),
      ];
      serveSecurity(server, { methods: () => methods });
      server.post('/api/password-changes', () => {
        methods = [passwordMethod(), googleMethod()];
        return NO_CONTENT();
      });

      await visit('/security');
      assert.dom('[data-test-password-change] h2').hasText('Set a password');
      assert.dom('#current-password').doesNotExist();

      await fillIn('#new-password', 'a much longer new one');
      await click('[data-test-password-submit]');

      const [request] = server.requestsTo('POST', '/api/password-changes');
      assert.deepEqual(request.json.data.attributes, {
        'new-password': 'a much longer new one',
      });
      assert.dom('[data-test-password-changed]').exists();
      assert
        .dom(
          '[data-test-sign-in-method="password"] [data-test-sign-in-method-status]',
        )
        .hasText('Set');
      assert.dom('[data-test-sign-in-method-unlink]').exists();
      assert.dom('[data-test-password-change] h2').hasText('Change password');
    });

    test('recent activity pages forwards and backwards', async function (assert) {
      serveSecurity(server, {
        events: (request) => {
          const page = Number(request.query.get('page[number]'));
          const size = Number(request.query.get('page[size]'));
          const first = (page - 1) * size + 1;
          const ids = Array.from(
            { length: page === 3 ? 2 : size },
            (_, i) => first + i,
          );
          return eventsPage({
            page,
            pages: 3,
            count: 2 * size + 2,
            events: ids.map((id) => eventResource(id)),
          });
        },
      });

      await visit('/security');
      assert.dom('[data-test-event]').exists({ count: 25 });
      assert
        .dom('[data-test-activity] [data-test-pagination]')
        .hasAttribute('aria-label', 'Recent activity pages');
      assert.dom('[data-test-page-info]').hasText('Page 1 of 3');
      assert.dom('[data-test-page-prev]').isDisabled();

      await click('[data-test-page-next]');
      assert.strictEqual(currentURL(), '/security?page=2');
      assert.dom('[data-test-page-info]').hasText('Page 2 of 3');
      assert
        .dom('[data-test-event]:first-of-type')
        .hasAttribute('data-test-event', '26');
      assert.dom('[data-test-page-next]').isFocused('focus stays on Next');

      await click('[data-test-page-next]');
      assert.strictEqual(currentURL(), '/security?page=3');
      assert.dom('[data-test-event]').exists({ count: 2 });
      assert.dom('[data-test-page-next]').isDisabled();

      await click('[data-test-page-prev]');
      await click('[data-test-page-prev]');
      assert.strictEqual(currentURL(), '/security');
      assert.dom('[data-test-page-info]').hasText('Page 1 of 3');

      assert.deepEqual(
        server
          .requestsTo('GET', '/api/events')
          .map((r) => r.query.get('page[number]')),
        ['1', '2', '3', '2', '1'],
      );
      assert.strictEqual(
        server.requestsTo('GET', '/api/sessions').length,
        1,
        'paging loads only the events',
      );
      assert.dom('[data-test-session]').exists({ count: 2 });
    });

    test('a direct link to an activity page loads that page', async function (assert) {
      serveSecurity(server, {
        events: (request) =>
          eventsPage({
            page: Number(request.query.get('page[number]')),
            pages: 2,
            count: 26,
            events: [eventResource(26)],
          }),
      });

      await visit('/security?page=2');

      assert.dom('[data-test-page-info]').hasText('Page 2 of 2');
      assert.dom('[data-test-event]').exists({ count: 1 });
      assert.dom('[data-test-session]').exists({ count: 2 });
    });
  });

  test("signing out this browser's entry is the ordinary sign-out", async function (assert) {
    serveSecurity(server);
    server.post('/oauth/token', () => json(200, tokenResponse()));
    server.post('/oauth/revoke', () => new Response(null, { status: 200 }));

    await visit('/security');
    await signIn();
    assert.strictEqual(currentURL(), '/security');
    await click('[data-test-session="family-1"] [data-test-session-sign-out]');

    assert.strictEqual(currentURL(), '/login');
    assert.false(currentSession().isAuthenticated);
    assert.deepEqual(server.revocations(), [
      ['access_token', 'access-1', 'ember-app'],
      ['refresh_token', 'refresh-1', 'ember-app'],
    ]);
    assert.strictEqual(
      server.requestsTo('DELETE', '/api/sessions/family-1').length,
      0,
    );
  });

  test('visitors are sent to the login page first', async function (assert) {
    await visit('/security');

    assert.strictEqual(currentURL(), '/login');
    assert.strictEqual(
      server.requests.filter((r) => r.path.startsWith('/api/')).length,
      0,
    );
  });
});
