import { module, test } from 'qunit';
import { setupTest } from 'frontend/tests/helpers';
import { authenticateSession } from 'ember-simple-auth/test-support';

module('Unit | Adapter | user', function (hooks) {
  setupTest(hooks);

  test('{ me: true } is GET /api/me and leaves no `me` in the query', function (assert) {
    const adapter = this.owner.lookup('service:store').adapterFor('user');
    const query = { me: true };

    assert.strictEqual(adapter.urlForQueryRecord(query, 'user'), '/api/me');
    assert.deepEqual(query, {});
  });

  test('other requests use /api/users', function (assert) {
    const adapter = this.owner.lookup('service:store').adapterFor('user');

    assert.strictEqual(
      adapter.urlForQuery({ page: { number: 2 } }, 'user'),
      '/api/users',
    );
    assert.strictEqual(adapter.urlForFindRecord('7', 'user'), '/api/users/7');
    assert.strictEqual(adapter.urlForUpdateRecord('7', 'user'), '/api/me');
  });

  test('the bearer header follows the session', async function (assert) {
    const adapter = this.owner.lookup('service:store').adapterFor('user');

    assert.deepEqual(adapter.headers, {});

    await authenticateSession({ access_token: 'abc' });
    assert.deepEqual(adapter.headers, { Authorization: 'Bearer abc' });
  });

  test('400 with attribute pointers counts as invalid', function (assert) {
    const adapter = this.owner.lookup('service:store').adapterFor('user');
    const invalid = {
      errors: [
        { detail: 'x', source: { pointer: '/data/attributes/first-name' } },
      ],
    };

    assert.true(adapter.isInvalid(400, {}, invalid));
    assert.true(adapter.isInvalid(422, {}, {}));
    assert.false(
      adapter.isInvalid(400, {}, { errors: [{ detail: 'Bad JSON.' }] }),
    );
    assert.false(adapter.isInvalid(401, {}, invalid));
  });
});
