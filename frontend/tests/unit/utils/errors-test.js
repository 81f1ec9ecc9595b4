import { module, test } from 'qunit';
import {
  apiErrorMessage,
  errorsByAttribute,
  isNetworkError,
  loginErrorMessage,
  providerErrorMessage,
  socialErrorMessage,
} from 'frontend/utils/errors';

function oauthFailure(status, body) {
  const response = new Response(JSON.stringify(body), { status });
  response.responseJSON = body;
  return response;
}

module('Unit | Utility | errors', function () {
  test('loginErrorMessage', function (assert) {
    assert.strictEqual(
      loginErrorMessage(
        oauthFailure(400, {
          error: 'invalid_grant',
          error_description: 'Invalid credentials given.',
        }),
      ),
      'Wrong email or password.',
    );
    assert.strictEqual(
      loginErrorMessage(
        oauthFailure(429, {
          error: 'invalid_grant',
          error_description:
            'Too many sign-in attempts. Try again in 2 minutes.',
        }),
      ),
      'Too many sign-in attempts. Try again in 2 minutes.',
      'a refused attempt is not "wrong password"',
    );
    assert.strictEqual(
      loginErrorMessage(oauthFailure(429, {})),
      'Too many sign-in attempts. Please try again later.',
    );
    assert.strictEqual(
      loginErrorMessage(
        oauthFailure(400, {
          error: 'unauthorized_client',
          error_description: 'This client may not use the password grant.',
        }),
      ),
      'This client may not use the password grant.',
    );
    assert.strictEqual(
      loginErrorMessage(oauthFailure(400, { error: 'invalid_scope' })),
      'Sign-in failed (invalid_scope).',
    );
    assert.strictEqual(
      loginErrorMessage(new TypeError('Failed to fetch')),
      'Cannot reach the server. Check your connection and try again.',
    );
    assert.strictEqual(
      loginErrorMessage(new Response('<html>', { status: 503 })),
      'The server had a problem signing you in. Please try again in a moment.',
    );
    assert.strictEqual(
      loginErrorMessage(new Response('nope', { status: 404 })),
      'Sign-in failed (HTTP 404). Please try again.',
    );
    assert.strictEqual(
      loginErrorMessage('access_token is missing in server response'),
      'Sign-in failed. Please try again.',
    );
  });

  test('isNetworkError', function (assert) {
    assert.true(isNetworkError(new TypeError('Failed to fetch')));
    assert.true(
      isNetworkError({
        message: 'NetworkError when attempting to fetch resource.',
      }),
    );
    assert.false(isNetworkError(new Response('', { status: 500 })));
    assert.false(isNetworkError(undefined));
  });

  test('errorsByAttribute maps JSON:API pointers to dasherized attributes', function (assert) {
    assert.deepEqual(
      errorsByAttribute([
        {
          detail: 'Too long.',
          source: { pointer: '/data/attributes/first-name' },
        },
        {
          detail: 'Required.',
          source: { pointer: '/data/attributes/lastName' },
        },
        {
          detail: 'Also bad.',
          source: { pointer: '/data/attributes/first-name' },
        },
        { detail: 'Wrong id.', source: { pointer: '/data' } },
        { title: 'Untitled' },
      ]),
      {
        'first-name': ['Too long.', 'Also bad.'],
        'last-name': ['Required.'],
        base: ['Wrong id.', 'Untitled'],
      },
    );
    assert.deepEqual(errorsByAttribute(undefined), {});
  });

  test('apiErrorMessage', function (assert) {
    assert.strictEqual(
      apiErrorMessage(new TypeError('Failed to fetch')),
      'Cannot reach the server. Check your connection and try again.',
    );
    assert.strictEqual(
      apiErrorMessage({ errors: [{ status: '500', detail: '…' }] }),
      'The server had a problem. Please try again in a moment.',
    );
    assert.strictEqual(
      apiErrorMessage({ errors: [{ status: '403' }] }),
      'You are not allowed to do that.',
    );
    assert.strictEqual(
      apiErrorMessage(new Error('boom')),
      'Something went wrong. Please try again.',
    );
  });

  test('socialErrorMessage', function (assert) {
    assert.strictEqual(
      socialErrorMessage(
        oauthFailure(400, {
          error: 'invalid_grant',
          error_description: 'Google did not share an email address.',
        }),
        'Google',
      ),
      'Google did not share an email address.',
      'invalid_grant is not "wrong password" here',
    );
    assert.strictEqual(
      socialErrorMessage(
        oauthFailure(503, {
          error: 'temporarily_unavailable',
          error_description: 'whatever the server says',
        }),
        'Google',
      ),
      'Google is not responding right now. Please try again in a moment.',
    );
    assert.strictEqual(
      socialErrorMessage(
        oauthFailure(401, { error: 'invalid_client' }),
        'Google',
      ),
      'Sign-in with Google failed (invalid_client).',
    );
    assert.strictEqual(
      socialErrorMessage(new TypeError('Failed to fetch'), 'Google'),
      'Cannot reach the server. Check your connection and try again.',
    );
    assert.strictEqual(
      socialErrorMessage(
        new Response('<h1>502</h1>', { status: 502 }),
        'Google',
      ),
      'The server had a problem signing you in. Please try again in a moment.',
    );
    assert.strictEqual(
      socialErrorMessage(new Response('nope', { status: 418 }), 'Google'),
      'Sign-in with Google failed (HTTP 418). Please try again.',
    );
    assert.strictEqual(
      socialErrorMessage(
        'access_token is missing in server response',
        'Google',
      ),
      'Sign-in with Google failed. Please try again.',
    );
  });

  test('providerErrorMessage', function (assert) {
    assert.strictEqual(
      providerErrorMessage('access_denied', 'Google'),
      'Sign-in with Google was cancelled.',
    );
    assert.strictEqual(
      providerErrorMessage('server_error', 'Google'),
      'Google could not sign you in (server_error).',
    );
    assert.strictEqual(
      providerErrorMessage('x'.repeat(500), 'Google').length,
      'Google could not sign you in ().'.length + 64,
    );
  });
});
