/**
 * The random values of an OAuth 2 authorization request made by the browser:
 * `state` (CSRF protection, RFC 6749 section 10.12) and the PKCE code verifier
 * and its S256 challenge (RFC 7636).
 */

/** base64url without padding (RFC 4648 section 5), of bytes. */
export function base64url(bytes) {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary)
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * `size` bytes from the browser's cryptographic random source, base64url
 * encoded: 32 bytes give the 43-character code verifier RFC 7636 recommends.
 */
export function randomToken(size = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

/**
 * The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))).
 * `crypto.subtle` exists only in secure contexts (https, or http on localhost).
 */
export async function codeChallenge(verifier) {
  if (!globalThis.crypto?.subtle) {
    throw new Error('crypto.subtle is not available (not a secure context)');
  }
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(verifier),
  );
  return base64url(digest);
}
