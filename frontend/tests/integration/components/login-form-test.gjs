import { module, test } from 'qunit';
import { click, fillIn, find, render, waitUntil } from '@ember/test-helpers';
import Service from '@ember/service';
import { setupRenderingTest } from 'frontend/tests/helpers';
import LoginForm from 'frontend/components/login-form';

class FakeSession extends Service {
  calls = [];
  result = () => Promise.resolve();

  authenticate(...args) {
    this.calls.push(args);
    return this.result(...args);
  }
}

class FakeSocialSignIn extends Service {
  providers = [];
  notice = null;
  loadProviders() {
    return Promise.resolve(this.providers);
  }
  takeNotice() {
    const notice = this.notice;
    this.notice = null;
    return notice;
  }
}

module('Integration | Component | login-form', function (hooks) {
  setupRenderingTest(hooks);

  hooks.beforeEach(function () {
    this.owner.register('service:session', FakeSession);
    this.owner.register('service:social-sign-in', FakeSocialSignIn);
    this.session = this.owner.lookup('service:session');
    this.socialSignIn = this.owner.lookup('service:social-sign-in');
  });

  test('shows a message left by a failed Google sign-in, focused', async function (assert) {
    this.socialSignIn.notice = 'Sign-in with Google was cancelled.';
    await render(<template><LoginForm /></template>);

    assert
      .dom('[data-test-login-error]')
      .hasText('Sign-in with Google was cancelled.')
      .hasAttribute('role', 'alert')
      .isFocused();
    assert.strictEqual(this.socialSignIn.notice, null, 'shown once');
  });

  test('passes the credentials to the oauth2 authenticator', async function (assert) {
    await render(<template><LoginForm /></template>);
    await fillIn('[data-test-email]', 'ada@example.com');
    await fillIn('[data-test-password]', 'pw');
    await click('[data-test-login-submit]');

    assert.deepEqual(this.session.calls, [
      ['authenticator:oauth2', 'ada@example.com', 'pw'],
    ]);
    assert.dom('[data-test-login-error]').doesNotExist();
  });

  test('shows a rejected Response’s OAuth error, focused', async function (assert) {
    this.session.result = () => {
      const response = new Response('{}', { status: 400 });
      response.responseJSON = { error: 'invalid_grant' };
      return Promise.reject(response);
    };
    await render(<template><LoginForm /></template>);
    await fillIn('[data-test-email]', 'ada@example.com');
    await fillIn('[data-test-password]', 'pw');
    await click('[data-test-login-submit]');

    assert
      .dom('[data-test-login-error]')
      .hasText('Wrong email or password.')
      .isFocused();

    // The same error again is announced (and focused) again.
    find('[data-test-email]').focus();
    await click('[data-test-login-submit]');
    assert.dom('[data-test-login-error]').isFocused();
  });

  test('disables the button while signing in', async function (assert) {
    let finish;
    this.session.result = () => new Promise((resolve) => (finish = resolve));
    await render(<template><LoginForm /></template>);
    await fillIn('[data-test-email]', 'ada@example.com');
    await fillIn('[data-test-password]', 'pw');
    click('[data-test-login-submit]');

    await waitUntil(() => find('[data-test-login-submit]').disabled);
    assert
      .dom('[data-test-login-submit]')
      .hasText('Signing in…')
      .hasAttribute('aria-busy', 'true');

    finish();
    await waitUntil(() => !find('[data-test-login-submit]').disabled);
    assert.dom('[data-test-login-submit]').hasText('Sign in');
  });
});
