import Component from '@glimmer/component';
import { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import focusOnInsert from 'frontend/modifiers/focus-on-insert';
import { loginErrorMessage } from 'frontend/utils/errors';
import SocialSignIn from 'frontend/components/social-sign-in';

export default class LoginForm extends Component {
  @service session;
  @service socialSignIn;

  @tracked email = '';
  @tracked password = '';
  // A failed "Sign in with Google" comes back here with its message.
  @tracked errorMessage = this.socialSignIn.takeNotice();
  @tracked isSubmitting = false;
  // Bumped for every error shown, so the same message gets focus again.
  @tracked errorCount = this.errorMessage ? 1 : 0;
  // Set when the previous session ended because the API refused the token.
  sessionExpired = this.session.takeExpiredNotice?.() ?? false;

  updateEmail = (event) => {
    this.email = event.target.value;
  };

  updatePassword = (event) => {
    this.password = event.target.value;
  };

  showError = (message) => {
    this.errorMessage = message;
    this.errorCount += 1;
  };

  submit = async (event) => {
    event.preventDefault();
    if (this.isSubmitting) {
      return;
    }
    this.errorMessage = null;
    if (!this.email.trim() || !this.password) {
      this.showError('Enter your email address and password.');
      return;
    }
    this.isSubmitting = true;
    try {
      await this.session.authenticate(
        'authenticator:oauth2',
        this.email.trim(),
        this.password,
      );
      // Success: ESA's authenticationSucceeded handler (app/services/session.js)
      // retries the page the user asked for, or goes to /users.
    } catch (error) {
      if (!this.isDestroying && !this.isDestroyed) {
        this.showError(loginErrorMessage(error));
      }
    } finally {
      if (!this.isDestroying && !this.isDestroyed) {
        this.isSubmitting = false;
      }
    }
  };

  <template>
    <form
      class="form login-form"
      novalidate
      data-test-login-form
      {{on "submit" this.submit}}
    >
      {{#if this.sessionExpired}}
        {{#unless this.errorMessage}}
          <div
            class="alert alert--info"
            role="status"
            data-test-session-expired
          >
            Your session has ended. Please sign in again.
          </div>
        {{/unless}}
      {{/if}}

      {{#if this.errorMessage}}
        <div
          class="alert alert--error"
          role="alert"
          tabindex="-1"
          data-test-login-error
          {{focusOnInsert this.errorCount}}
        >
          {{this.errorMessage}}
        </div>
      {{/if}}

      <div class="field">
        <label class="field__label" for="email">Email</label>
        <input
          id="email"
          name="username"
          type="email"
          class="input"
          autocomplete="username email"
          autocapitalize="none"
          spellcheck="false"
          inputmode="email"
          required
          value={{this.email}}
          data-test-email
          {{on "input" this.updateEmail}}
        />
      </div>

      <div class="field">
        <label class="field__label" for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          class="input"
          autocomplete="current-password"
          required
          value={{this.password}}
          data-test-password
          {{on "input" this.updatePassword}}
        />
      </div>

      <button
        type="submit"
        class="button button--primary button--block"
        disabled={{this.isSubmitting}}
        aria-busy={{if this.isSubmitting "true"}}
        data-test-login-submit
      >
        {{if this.isSubmitting "Signing in…" "Sign in"}}
      </button>
    </form>

    <SocialSignIn @onError={{this.showError}} />
  </template>
}
