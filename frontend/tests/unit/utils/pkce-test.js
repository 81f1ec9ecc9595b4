import { module, test } from 'qunit';
import { base64url, codeChallenge, randomToken } from 'frontend/utils/pkce';

module('Unit | Utility | pkce', function () {
  test('codeChallenge is S256 (RFC 7636 appendix B)', async function (assert) {
    assert.strictEqual(
      await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test('base64url has no padding and the URL-safe alphabet', function (assert) {
    assert.strictEqual(base64url(new Uint8Array([251, 255, 191])), '-_-_');
    assert.strictEqual(base64url(new Uint8Array([1])), 'AQ');
    assert.strictEqual(
      base64url(
        new Uint8Array([
          116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187,
          186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141,
          121,
        ]),
      ),
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    );
  });

  test('randomToken: 32 random bytes are 43 characters, never the same', function (assert) {
    const a = randomToken();
    const b = randomToken();
    assert.ok(/^[A-Za-z0-9_-]{43}$/.test(a), a);
    assert.notStrictEqual(a, b);
  });
});
