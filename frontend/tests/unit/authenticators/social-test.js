import { module, test } from 'qunit';
import { setupTest } from 'frontend/tests/helpers';
import OAuth2Authenticator from 'frontend/authenticators/oauth2';
import SocialAuthenticator from 'frontend/authenticators/social';

module('Unit | Authenticator | social', function (hooks) {
  setupTest(hooks);

  test('is the oauth2 authenticator with its own id', function (assert) {
    const authenticator = new SocialAuthenticator(this.owner);

    assert.strictEqual(SocialAuthenticator.id, 'social');
    assert.true(authenticator instanceof OAuth2Authenticator);
    // Refresh and revocation are the password grant's, unchanged.
    assert.strictEqual(authenticator.serverTokenEndpoint, '/oauth/token');
    assert.strictEqual(
      authenticator.serverTokenRevocationEndpoint,
      '/oauth/revoke',
    );
    assert.strictEqual(authenticator.clientId, 'ember-app');
    assert.true(authenticator.refreshAccessTokens);
  });

  test('a 200 without access_token is a failure', async function (assert) {
    const authenticator = new SocialAuthenticator(this.owner);
    const originalFetch = window.fetch;
    window.fetch = async () =>
      new Response(JSON.stringify({ token_type: 'Bearer' }), { status: 200 });
    try {
      await authenticator.authenticate({
        provider: 'google-oauth2',
        code: 'c',
        redirectUri: 'http://localhost/login/google-oauth2/callback',
        codeVerifier: 'v',
      });
      assert.ok(false, 'should have rejected');
    } catch (error) {
      assert.strictEqual(error, 'access_token is missing in server response');
    } finally {
      window.fetch = originalFetch;
    }
  });
});
