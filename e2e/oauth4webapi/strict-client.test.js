// oauth4webapi, a strictly RFC-conformant client, against the server: discovery, the code flow
// with PKCE, refresh, introspection, revocation, each authorization error, and OpenID Connect.
// Run by e2e/test_oauth4webapi.py, which starts the server and registers the clients.
// Top-level tests in one file run in order: the error cases rely on consents not given yet.

import assert from "node:assert/strict";
import test from "node:test";

import * as oauth from "oauth4webapi";

import { UserAgent } from "./user-agent.js";

const env = process.env;
const issuer = new URL(env.ISSUER);
const user = { email: env.USER_EMAIL, password: env.USER_PASSWORD };
const redirectUri = env.REDIRECT_URI;
const spa = { client_id: env.SPA_CLIENT_ID };
const relyingParty = { client_id: env.RP_CLIENT_ID };
const resourceServer = { client_id: env.RS_CLIENT_ID };
// The server is on loopback over plain HTTP, which oauth4webapi refuses unless told.
const loopback = { [oauth.allowInsecureRequests]: issuer.hostname === "localhost" || issuer.hostname === "127.0.0.1" };

async function discover(algorithm) {
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm, ...loopback }));
}

async function authorizationUrl(as, client, parameters) {
  const url = new URL(as.authorization_endpoint);
  for (const [name, value] of Object.entries({ client_id: client.client_id, redirect_uri: redirectUri, ...parameters })) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url;
}

async function pkce() {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

/** The error code oauth4webapi reads from an authorization error response, after its own checks. */
function authorizationError(as, client, callback, state) {
  try {
    oauth.validateAuthResponse(as, client, callback, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) return error.error;
    throw error;
  }
  assert.fail(`not an error response: ${callback}`);
}

async function introspect(as, token) {
  const response = await oauth.introspectionRequest(
    as,
    resourceServer,
    oauth.ClientSecretBasic(env.RS_CLIENT_SECRET),
    token,
    loopback,
  );
  return oauth.processIntrospectionResponse(as, resourceServer, response);
}

test("discovery: both metadata documents name this issuer and RFC 9207 support", async () => {
  const oauth2 = await discover("oauth2");
  const oidc = await discover("oidc");
  for (const as of [oauth2, oidc]) {
    assert.equal(as.issuer, issuer.href.replace(/\/$/, ""));
    assert.equal(as.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(as.code_challenge_methods_supported, ["S256"]);
  }
  assert.ok(oidc.userinfo_endpoint);
  assert.ok(oidc.jwks_uri);
});

test("authorization errors: each one reaches the client with state and iss", async (t) => {
  const as = await discover("oauth2");
  const { challenge } = await pkce();
  const base = { response_type: "code", scope: "write", code_challenge: challenge, code_challenge_method: "S256" };
  const signedIn = new UserAgent(issuer.origin);

  await t.test("access_denied: the user denies on the consent page", async () => {
    const state = oauth.generateRandomState();
    const callback = await signedIn.authorize(await authorizationUrl(as, spa, { ...base, state }), {
      ...user,
      consent: "deny",
    });
    assert.equal(authorizationError(as, spa, callback, state), "access_denied");
  });

  await t.test("invalid_scope: a scope the server does not know", async () => {
    const state = oauth.generateRandomState();
    const callback = await signedIn.authorize(
      await authorizationUrl(as, spa, { ...base, scope: "read no-such-scope", state }),
      user,
    );
    assert.equal(authorizationError(as, spa, callback, state), "invalid_scope");
  });

  await t.test("unsupported_response_type: the implicit grant's token", async () => {
    const state = oauth.generateRandomState();
    const callback = await signedIn.authorize(
      await authorizationUrl(as, spa, { ...base, response_type: "token", state }),
      user,
    );
    assert.equal(authorizationError(as, spa, callback, state), "unsupported_response_type");
  });

  await t.test("invalid_request: no PKCE code challenge", async () => {
    const state = oauth.generateRandomState();
    const callback = await signedIn.authorize(
      await authorizationUrl(as, spa, { ...base, code_challenge: undefined, code_challenge_method: undefined, state }),
      user,
    );
    assert.equal(authorizationError(as, spa, callback, state), "invalid_request");
  });

  await t.test("consent_required: prompt=none before the user allowed the app", async () => {
    const state = oauth.generateRandomState();
    const callback = await signedIn.authorize(await authorizationUrl(as, spa, { ...base, prompt: "none", state }), user);
    assert.equal(authorizationError(as, spa, callback, state), "consent_required");
  });

  await t.test("login_required: prompt=none without a session", async () => {
    const state = oauth.generateRandomState();
    const callback = await new UserAgent(issuer.origin).authorize(
      await authorizationUrl(as, spa, { ...base, prompt: "none", state }),
      user,
    );
    assert.equal(authorizationError(as, spa, callback, state), "login_required");
  });
});

test("code flow with PKCE, refresh, introspection and revocation", async () => {
  const as = await discover("oauth2");
  const { verifier, challenge } = await pkce();
  const state = oauth.generateRandomState();
  const callback = await new UserAgent(issuer.origin).authorize(
    await authorizationUrl(as, spa, {
      response_type: "code",
      scope: "read",
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }),
    user,
  );
  const parameters = oauth.validateAuthResponse(as, spa, callback, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    spa,
    await oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), parameters, redirectUri, verifier, loopback),
  );
  assert.equal(tokens.token_type, "bearer");
  assert.equal(typeof tokens.expires_in, "number");
  assert.equal(tokens.scope, "read");

  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    spa,
    await oauth.refreshTokenGrantRequest(as, spa, oauth.None(), tokens.refresh_token, loopback),
  );
  assert.notEqual(refreshed.access_token, tokens.access_token);
  assert.equal(typeof refreshed.expires_in, "number");

  const active = await introspect(as, refreshed.access_token);
  assert.equal(active.active, true);
  assert.equal(active.client_id, spa.client_id);
  assert.equal(active.scope, "read");
  assert.equal(typeof active.exp, "number");

  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, spa, oauth.None(), refreshed.refresh_token, loopback),
  );
  assert.deepEqual(await introspect(as, refreshed.access_token), { active: false });
  // RFC 7009 §2.2: an unknown token is answered 200 like a revoked one.
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, spa, oauth.None(), "no-such-token", loopback),
  );
  assert.deepEqual(await introspect(as, "no-such-token"), { active: false });
});

test("OpenID Connect: ID token with nonce, refresh, UserInfo", async () => {
  const as = await discover("oidc");
  const auth = oauth.ClientSecretBasic(env.RP_CLIENT_SECRET);
  const { verifier, challenge } = await pkce();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const callback = await new UserAgent(issuer.origin).authorize(
    await authorizationUrl(as, relyingParty, {
      response_type: "code",
      scope: "openid email profile",
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }),
    user,
  );
  const parameters = oauth.validateAuthResponse(as, relyingParty, callback, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    relyingParty,
    await oauth.authorizationCodeGrantRequest(as, relyingParty, auth, parameters, redirectUri, verifier, loopback),
    { expectedNonce: nonce, requireIdToken: true },
  );
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  assert.equal(claims.iss, as.issuer);
  assert.equal(claims.aud, relyingParty.client_id);
  assert.equal(claims.nonce, nonce);
  assert.equal(typeof claims.auth_time, "number");
  assert.notEqual(claims.sub, user.email);

  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    relyingParty,
    await oauth.refreshTokenGrantRequest(as, relyingParty, auth, tokens.refresh_token, loopback),
  );
  const userinfo = await oauth.processUserInfoResponse(
    as,
    relyingParty,
    claims.sub,
    await oauth.userInfoRequest(as, relyingParty, refreshed.access_token, loopback),
  ); // processUserInfoResponse checks that `sub` is the ID token's
  assert.equal(userinfo.sub, claims.sub);
});
