import config from 'frontend/config/environment';
import OAuth2Authenticator from 'frontend/authenticators/oauth2';

/**
 * Sign-in through another identity provider (Google): the browser got an
 * authorization code from the provider (app/services/social-sign-in.js,
 * app/routes/social-callback.js) and this server exchanges it for its own
 * tokens at POST {apiHost}/oauth/social/<provider>, form-encoded:
 * `code`, `redirect_uri`, `code_verifier` and `client_id`.
 *
 * The answer is a normal /oauth/token response, so refreshing (at
 * /oauth/token), restoring and revoking (at /oauth/revoke) are inherited from
 * the password-grant authenticator unchanged.
 */
export default class SocialAuthenticator extends OAuth2Authenticator {
  static id = 'social';

  // Changes only the request (a code exchange at /oauth/social/<provider>
  // instead of the password grant); the answer is handled as
  // OAuth2PasswordGrant#authenticate handles it (same rejections, expires_at,
  // refresh timer), without its runloop wrapper, which Ember no longer needs.
  async authenticate({ provider, code, redirectUri, codeVerifier }) {
    const url = `${config.apiHost}/oauth/social/${encodeURIComponent(provider)}`;
    // Rejects with the fetch Response (`responseJSON`) or the fetch error.
    const response = await this.makeRequest(url, {
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
    });
    if (!this._validate(response)) {
      throw 'access_token is missing in server response';
    }
    const expiresAt = this._absolutizeExpirationTime(response['expires_in']);
    this._scheduleAccessTokenRefresh(
      response['expires_in'],
      expiresAt,
      response['refresh_token'],
    );
    if (expiresAt) {
      response['expires_at'] = expiresAt;
    }
    return response;
  }
}
