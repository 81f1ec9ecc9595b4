export const NETWORK_ERROR_MESSAGE =
  'Cannot reach the server. Check your connection and try again.';

/**
 * True when the request never got an HTTP answer: fetch rejects with a
 * TypeError ("Failed to fetch") when the server is unreachable, CORS fails or
 * the connection drops.
 */
export function isNetworkError(error) {
  return (
    error instanceof TypeError ||
    error?.name === 'TypeError' ||
    error?.name === 'AbortError' ||
    /failed to fetch|networkerror|load failed/i.test(error?.message ?? '')
  );
}

/**
 * The message to show for a failed sign-in. ember-simple-auth rejects with the
 * fetch Response (its parsed JSON body on `responseJSON`), or with the fetch
 * error itself when there was no response.
 */
export function loginErrorMessage(error) {
  if (isNetworkError(error)) {
    return NETWORK_ERROR_MESSAGE;
  }
  const body = error?.responseJSON;
  if (error?.status === 429) {
    // Refused before the password was checked: the server's sentence says when to try again.
    return typeof body?.error_description === 'string' && body.error_description
      ? body.error_description
      : 'Too many sign-in attempts. Please try again later.';
  }
  if (body?.error === 'invalid_grant') {
    return 'Wrong email or password.';
  }
  if (typeof body?.error_description === 'string' && body.error_description) {
    return body.error_description;
  }
  if (typeof body?.error === 'string' && body.error) {
    return `Sign-in failed (${body.error}).`;
  }
  if (typeof error?.status === 'number' && error.status >= 500) {
    return 'The server had a problem signing you in. Please try again in a moment.';
  }
  if (typeof error?.status === 'number') {
    return `Sign-in failed (HTTP ${error.status}). Please try again.`;
  }
  return 'Sign-in failed. Please try again.';
}

/**
 * The message for a failed "Sign in with <title>" code exchange
 * (POST /oauth/social/<name>, rejected like the password grant: the fetch
 * Response with `responseJSON`, or the fetch error). Unlike the password form,
 * `invalid_grant` here carries a sentence meant for the user (e.g. the account
 * has no verified email address), so it is shown as it is.
 */
export function socialErrorMessage(error, title) {
  if (isNetworkError(error)) {
    return NETWORK_ERROR_MESSAGE;
  }
  const body = error?.responseJSON;
  if (body?.error === 'temporarily_unavailable') {
    return `${title} is not responding right now. Please try again in a moment.`;
  }
  if (typeof body?.error_description === 'string' && body.error_description) {
    return body.error_description;
  }
  if (typeof body?.error === 'string' && body.error) {
    return `Sign-in with ${title} failed (${body.error}).`;
  }
  if (typeof error?.status === 'number' && error.status >= 500) {
    return 'The server had a problem signing you in. Please try again in a moment.';
  }
  if (typeof error?.status === 'number') {
    return `Sign-in with ${title} failed (HTTP ${error.status}). Please try again.`;
  }
  return `Sign-in with ${title} failed. Please try again.`;
}

/**
 * The message for a provider that sent the user back with `?error=…`
 * (RFC 6749 section 4.1.2.1): `access_denied` is the user pressing Cancel.
 */
export function providerErrorMessage(error, title) {
  if (error === 'access_denied') {
    return `Sign-in with ${title} was cancelled.`;
  }
  // Error codes are short ASCII tokens; do not echo anything long.
  return `${title} could not sign you in (${String(error).slice(0, 64)}).`;
}

/** A callback that does not belong to a sign-in this tab started. */
export function socialCallbackMessage(title) {
  return `Sign-in with ${title} could not be completed. Please try again.`;
}

/** `start()` failed before leaving the page (no Web Crypto, no storage). */
export function socialStartMessage(title) {
  return `Sign-in with ${title} could not be started in this browser. Please try again, or use your password.`;
}

/**
 * A short, human message for an API (adapter) error.
 */
export function apiErrorMessage(error) {
  if (isNetworkError(error)) {
    return NETWORK_ERROR_MESSAGE;
  }
  const first = Array.isArray(error?.errors) ? error.errors[0] : null;
  const status = Number(first?.status);
  if (status === 401) {
    return 'Your session has ended. Please sign in again.';
  }
  if (status === 403) {
    return 'You are not allowed to do that.';
  }
  if (status === 404) {
    return 'Not found.';
  }
  if (status >= 500) {
    return 'The server had a problem. Please try again in a moment.';
  }
  if (
    first?.detail &&
    typeof first.detail === 'string' &&
    !first.detail.startsWith('{')
  ) {
    return first.detail;
  }
  return 'Something went wrong. Please try again.';
}

/**
 * JSON:API validation errors keyed by attribute:
 * `{ source: { pointer: '/data/attributes/first-name' }, detail }` →
 * `{ 'first-name': ['…'] }`. Errors without an attribute pointer go under `base`.
 */
export function errorsByAttribute(errors) {
  const result = {};
  for (const error of Array.isArray(errors) ? errors : []) {
    const match = /^\/data\/attributes\/(.+)$/.exec(
      error?.source?.pointer ?? '',
    );
    // Dasherize in case a server sends camelCase or snake_case pointers.
    const key = match
      ? match[1]
          .replace(/([a-z\d])([A-Z])/g, '$1-$2')
          .replace(/_/g, '-')
          .toLowerCase()
      : 'base';
    const message = error?.detail || error?.title || 'Is invalid.';
    (result[key] ??= []).push(message);
  }
  return result;
}
