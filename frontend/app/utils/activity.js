/**
 * Sentences for the security page: what an audit event (app/models/event.js)
 * means to the person it is about, and where a session or event came from.
 */

const PROVIDERS = { 'google-oauth2': 'Google' };

/** "google-oauth2" → "Google"; an unknown provider keeps its name. */
export function providerTitle(provider) {
  return PROVIDERS[provider] ?? provider ?? 'another provider';
}

// The `detail` of sign_in_failed: why the sign-in did not succeed.
const FAILURES = {
  wrong_password: 'Wrong password',
  inactive_account: 'Sign-in refused: the account is deactivated',
  no_account: 'Sign-in failed: no account for that address',
};

function app(event) {
  return event.clientName || 'an app';
}

const SENTENCES = {
  signed_in: () => 'Signed in',
  sign_in_failed: (event) => FAILURES[event.detail] ?? 'Sign-in failed',
  sign_in_refused: () => 'Sign-in refused: too many attempts',
  tokens_issued: (event) => `Signed in to ${app(event)}`,
  tokens_refreshed: (event) => `Session renewed in ${app(event)}`,
  token_revoked: (event) => `Signed out of ${app(event)}`,
  refresh_token_reused: (event) =>
    `Session in ${app(event)} ended: an old sign-in token was used again`,
  consent_given: (event) => `Allowed ${app(event)} to use your account`,
  consent_denied: (event) => `Refused ${app(event)} access to your account`,
  provider_linked: (event) => `${providerTitle(event.detail)} account linked`,
  provider_unlinked: (event) =>
    `${providerTitle(event.detail)} account unlinked`,
  password_changed: () => 'Password changed',
  account_deactivated: () => 'Account deactivated',
};

/** The sentence for an event; an unknown kind reads "Some kind" (from some_kind). */
export function eventSentence(event) {
  const sentence = SENTENCES[event?.kind];
  if (sentence) {
    return sentence(event);
  }
  const words = String(event?.kind ?? 'event').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Firefox 128 on Linux", "Firefox 128", "Linux", or "Unknown device". */
export function deviceOf({ browser, os } = {}) {
  if (browser && os) {
    return `${browser} on ${os}`;
  }
  return browser || os || 'Unknown device';
}
