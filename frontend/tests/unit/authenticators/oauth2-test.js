import { module, test } from 'qunit';
import { setupTest } from 'frontend/tests/helpers';
import OAuth2Authenticator from 'frontend/authenticators/oauth2';

module('Unit | Authenticator | oauth2', function (hooks) {
  setupTest(hooks);

  test('talks to the Django token and revocation endpoints as ember-app', function (assert) {
    const authenticator = new OAuth2Authenticator(this.owner);

    assert.strictEqual(OAuth2Authenticator.id, 'oauth2');
    assert.strictEqual(authenticator.serverTokenEndpoint, '/oauth/token');
    assert.strictEqual(
      authenticator.serverTokenRevocationEndpoint,
      '/oauth/revoke',
    );
    assert.strictEqual(authenticator.clientId, 'ember-app');
    assert.true(authenticator.refreshAccessTokens);
  });
});
