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
import { authenticateSession } from 'ember-simple-auth/test-support';
import {
  deferred,
  json,
  meDocument,
  networkError,
  setupFakeServer,
} from 'frontend/tests/helpers/fake-server';

module('Acceptance | profile', function (hooks) {
  setupApplicationTest(hooks);
  const server = setupFakeServer(hooks);

  hooks.beforeEach(async function () {
    server.get('/api/me', () =>
      json(
        200,
        meDocument(
          {
            email: 'ada@example.com',
            'first-name': 'Ada',
            'last-name': 'Byron',
          },
          42,
        ),
      ),
    );
    await authenticateSession({ access_token: 'token-1' });
  });

  test('shows the signed-in user from /api/me', async function (assert) {
    await visit('/profile');

    assert.strictEqual(currentURL(), '/profile');
    assert.strictEqual(document.title, 'Profile · Authsite');
    assert.dom('[data-test-profile-email]').hasText('ada@example.com');
    assert
      .dom('form[data-test-profile-form] input[data-test-first-name]')
      .hasValue('Ada');
    assert.dom('input[data-test-last-name]').hasValue('Byron');
    assert.dom('label[for="first-name"]').hasText('First name');
    assert.dom('label[for="last-name"]').hasText('Last name');
    assert.dom('[data-test-profile-saved]').doesNotExist();
    for (const request of server.requestsTo('GET', '/api/me')) {
      assert.strictEqual(request.headers.authorization, 'Bearer token-1');
    }
  });

  test('saving PATCHes /api/me with the names and confirms', async function (assert) {
    const response = deferred();
    server.patch('/api/me', () => response.promise);

    await visit('/profile');
    await fillIn('[data-test-first-name]', 'Augusta Ada');
    await fillIn('[data-test-last-name]', 'King');
    const saved = click('[data-test-profile-save]');

    await waitUntil(() => find('[data-test-profile-save]').disabled);
    assert.dom('[data-test-profile-save]').isDisabled().hasText('Saving…');

    response.resolve(
      json(
        200,
        meDocument(
          {
            email: 'ada@example.com',
            'first-name': 'Augusta Ada',
            'last-name': 'King',
          },
          42,
        ),
      ),
    );
    await saved;

    assert.dom('[data-test-profile-saved]').hasText('✓ Profile saved.');
    assert.dom('[data-test-profile-save]').isNotDisabled().hasText('Save');
    assert.dom('[data-test-first-name]').hasValue('Augusta Ada');

    const [patch] = server.requestsTo('PATCH', '/api/me');
    assert.strictEqual(
      patch.headers['content-type'],
      'application/vnd.api+json',
    );
    assert.strictEqual(patch.headers.authorization, 'Bearer token-1');
    assert.deepEqual(patch.json, {
      data: {
        type: 'users',
        id: '42',
        attributes: { 'first-name': 'Augusta Ada', 'last-name': 'King' },
      },
    });

    await fillIn('[data-test-first-name]', 'Ada');
    assert
      .dom('[data-test-profile-saved]')
      .doesNotExist('the confirmation goes once the form is edited again');
  });

  test('server validation errors show next to their fields', async function (assert) {
    server.patch('/api/me', () =>
      json(400, {
        errors: [
          {
            detail: 'Ensure this field has no more than 150 characters.',
            status: '400',
            source: { pointer: '/data/attributes/first-name' },
            code: 'max_length',
          },
        ],
      }),
    );

    await visit('/profile');
    await fillIn('[data-test-first-name]', 'x'.repeat(151));
    await click('[data-test-profile-save]');

    assert
      .dom('[data-test-error-first-name]')
      .hasText('Ensure this field has no more than 150 characters.');
    assert.dom('[data-test-error-last-name]').doesNotExist();
    assert
      .dom('[data-test-first-name]')
      .hasAttribute('aria-invalid', 'true')
      .hasAttribute('aria-describedby', 'first-name-error')
      .hasValue('x'.repeat(151), 'what was typed stays in the field')
      .isFocused();
    assert.dom('[data-test-profile-saved]').doesNotExist();
    assert.dom('[data-test-profile-save]').isNotDisabled();

    // The record was rolled back: nothing unsaved leaks into the rest of the app.
    const store = this.owner.lookup('service:store');
    const user = store.peekRecord('user', '42');
    assert.strictEqual(user.firstName, 'Ada');
    assert.false(user.hasDirtyAttributes);
  });

  test('errors on both fields, then a successful retry', async function (assert) {
    server.patch('/api/me', () =>
      json(400, {
        errors: [
          {
            detail: 'This field is required.',
            source: { pointer: '/data/attributes/first-name' },
          },
          {
            detail: 'Too long.',
            source: { pointer: '/data/attributes/last-name' },
          },
        ],
      }),
    );

    await visit('/profile');
    await click('[data-test-profile-save]');

    assert
      .dom('[data-test-error-first-name]')
      .hasText('This field is required.');
    assert.dom('[data-test-error-last-name]').hasText('Too long.');

    server.patch('/api/me', (request) =>
      json(200, {
        data: {
          ...request.json.data,
          attributes: {
            email: 'ada@example.com',
            'date-joined': '2026-01-15T10:00:00Z',
            ...request.json.data.attributes,
          },
        },
      }),
    );
    await click('[data-test-profile-save]');

    assert.dom('[data-test-error-first-name]').doesNotExist();
    assert.dom('[data-test-error-last-name]').doesNotExist();
    assert.dom('[data-test-profile-saved]').exists();
  });

  test('a network failure while saving shows a message', async function (assert) {
    server.patch('/api/me', networkError);

    await visit('/profile');
    await fillIn('[data-test-last-name]', 'King');
    await click('[data-test-profile-save]');

    assert
      .dom('[data-test-profile-error]')
      .hasText('Cannot reach the server. Check your connection and try again.')
      .isFocused();
    assert.dom('[data-test-last-name]').hasValue('King');
    assert.dom('[data-test-profile-saved]').doesNotExist();
  });
});
