import { module, test } from 'qunit';
import {
  deviceOf,
  eventSentence,
  providerTitle,
} from 'frontend/utils/activity';

module('Unit | Utility | activity', function () {
  test('a sentence per kind of event', function (assert) {
    const cases = [
      [{ kind: 'signed_in' }, 'Signed in'],
      [{ kind: 'sign_in_failed', detail: 'wrong_password' }, 'Wrong password'],
      [
        { kind: 'sign_in_failed', detail: 'inactive_account' },
        'Sign-in refused: the account is deactivated',
      ],
      [{ kind: 'sign_in_failed', detail: 'provider_error' }, 'Sign-in failed'],
      [{ kind: 'sign_in_refused' }, 'Sign-in refused: too many attempts'],
      [
        { kind: 'tokens_issued', clientName: 'Ember app' },
        'Signed in to Ember app',
      ],
      [{ kind: 'tokens_issued', clientName: null }, 'Signed in to an app'],
      [
        { kind: 'tokens_refreshed', clientName: 'Ember app' },
        'Session renewed in Ember app',
      ],
      [
        { kind: 'token_revoked', clientName: 'Ember app' },
        'Signed out of Ember app',
      ],
      [
        { kind: 'refresh_token_reused', clientName: 'Ember app' },
        'Session in Ember app ended: an old sign-in token was used again',
      ],
      [
        { kind: 'consent_given', clientName: 'Photo printer' },
        'Allowed Photo printer to use your account',
      ],
      [
        { kind: 'consent_denied', clientName: 'Photo printer' },
        'Refused Photo printer access to your account',
      ],
      [
        { kind: 'provider_linked', detail: 'google-oauth2' },
        'Google account linked',
      ],
      [
        { kind: 'provider_unlinked', detail: 'google-oauth2' },
        'Google account unlinked',
      ],
      [{ kind: 'password_changed' }, 'Password changed'],
      [{ kind: 'account_deactivated' }, 'Account deactivated'],
      [{ kind: 'something_new' }, 'Something new'],
    ];
    for (const [event, sentence] of cases) {
      assert.strictEqual(eventSentence(event), sentence, event.kind);
    }
  });

  test('devices and providers', function (assert) {
    assert.strictEqual(
      deviceOf({ browser: 'Firefox 128', os: 'Linux' }),
      'Firefox 128 on Linux',
    );
    assert.strictEqual(deviceOf({ browser: 'curl 8.5', os: '' }), 'curl 8.5');
    assert.strictEqual(deviceOf({ browser: null, os: null }), 'Unknown device');
    assert.strictEqual(providerTitle('google-oauth2'), 'Google');
    assert.strictEqual(providerTitle('github'), 'github');
  });
});
