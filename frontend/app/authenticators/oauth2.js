import OAuth2PasswordGrant from 'ember-simple-auth/authenticators/oauth2-password-grant';
import config from 'frontend/config/environment';

/**
 * Resource-owner password grant against django-oauth-toolkit.
 *
 * - POST {apiHost}/oauth/token, form-encoded, with `client_id` in the body
 *   (public client, no secret, no Basic header).
 * - Refreshes the access token a few seconds before `expires_in` runs out
 *   (`refreshAccessTokens` defaults to true); the server rotates the refresh token.
 * - `session.invalidate()` revokes the access and the refresh token at
 *   {apiHost}/oauth/revoke.
 */
export default class OAuth2Authenticator extends OAuth2PasswordGrant {
  // With `useResolver: false` ember-simple-auth finds authenticators by this id;
  // it is also what the session store persists, so keep it stable.
  static id = 'oauth2';

  clientId = config.oauthClientId;
  serverTokenEndpoint = `${config.apiHost}/oauth/token`;
  serverTokenRevocationEndpoint = `${config.apiHost}/oauth/revoke`;
}
