import { module, test } from 'qunit';
import {
  apiErrorMessage,
  errorsByAttribute,
  isNetworkError,
  loginErrorMessage,
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
});
