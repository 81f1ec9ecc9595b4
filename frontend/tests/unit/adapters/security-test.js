import { module, test } from 'qunit';
import { setupTest } from 'frontend/tests/helpers';

module('Unit | Adapter | security page resources', function (hooks) {
  setupTest(hooks);

  test('the contract’s URLs', function (assert) {
    const store = this.owner.lookup('service:store');

    assert.strictEqual(
      store.adapterFor('session').urlForDeleteRecord('f-1', 'session'),
      '/api/sessions/f-1',
    );
    assert.strictEqual(
      store.adapterFor('session').urlForQuery({}, 'session'),
      '/api/sessions',
    );
    assert.strictEqual(
      store
        .adapterFor('authorization')
        .urlForDeleteRecord('photo-printer', 'authorization'),
      '/api/authorizations/photo-printer',
    );
    assert.strictEqual(
      store
        .adapterFor('sign-in-method')
        .urlForDeleteRecord('google-oauth2', 'sign-in-method'),
      '/api/sign-in-methods/google-oauth2',
    );
    assert.strictEqual(
      store.adapterFor('event').urlForQuery({}, 'event'),
      '/api/events',
    );
    assert.strictEqual(
      store.adapterFor('password-change').buildURL('password-change'),
      '/api/password-changes',
    );
  });
});
