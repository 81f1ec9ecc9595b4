import Component from '@glimmer/component';
import { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import focusOnInsert from 'frontend/modifiers/focus-on-insert';
import { InvalidError } from '@warp-drive/legacy/adapter/error';
import { apiErrorMessage, errorsByAttribute } from 'frontend/utils/errors';

const FIELDS = ['current-password', 'new-password'];

function isInvalidError(error) {
  return error instanceof InvalidError || error?.code === 'InvalidError';
}

/**
 * "Change password": the current password (only while one is set,
 * @passwordSet) and a new one, sent by the password-change adapter
 * (POST /api/password-changes). The server's 422 messages appear next to the
 * fields their `source.pointer`s name; on 204 the fields are emptied, a
 * confirmation takes focus and @onChanged() reloads what the change affected
 * (the other sessions have ended).
 */
export default class PasswordChangeForm extends Component {
  @service store;
  @service currentUser;

  @tracked currentPassword = '';
  @tracked newPassword = '';
  @tracked isSaving = false;
  @tracked changed = false;
  @tracked fieldErrors = {};
  @tracked formError = null;
  @tracked errorCount = 0;

  get needsCurrent() {
    return this.args.passwordSet !== false;
  }

  get currentErrors() {
    return this.fieldErrors['current-password'];
  }

  get newErrors() {
    return this.fieldErrors['new-password'];
  }

  // After a refusal, focus goes to the first field with a message.
  get focusCurrent() {
    return Boolean(this.currentErrors);
  }

  get focusNew() {
    return Boolean(this.newErrors) && !this.currentErrors;
  }

  updateCurrent = (event) => {
    this.currentPassword = event.target.value;
    this.changed = false;
  };

  updateNew = (event) => {
    this.newPassword = event.target.value;
    this.changed = false;
  };

  #refuse(fieldErrors, formError = null) {
    this.fieldErrors = fieldErrors;
    this.formError = formError;
    this.errorCount += 1;
  }

  submit = async (event) => {
    event.preventDefault();
    if (this.isSaving) {
      return;
    }
    this.changed = false;
    const missing = {};
    if (this.needsCurrent && !this.currentPassword) {
      missing['current-password'] = ['Enter your current password.'];
    }
    if (!this.newPassword) {
      missing['new-password'] = ['Enter a new password.'];
    }
    if (Object.keys(missing).length) {
      this.#refuse(missing);
      return;
    }
    this.isSaving = true;
    this.fieldErrors = {};
    this.formError = null;
    try {
      await this.store.adapterFor('password-change').changePassword({
        currentPassword: this.needsCurrent ? this.currentPassword : null,
        newPassword: this.newPassword,
      });
    } catch (error) {
      if (!this.isDestroying && !this.isDestroyed) {
        this.isSaving = false;
        if (isInvalidError(error)) {
          const { base = [], ...fields } = errorsByAttribute(error.errors);
          const other = [
            ...base,
            ...Object.keys(fields)
              .filter((key) => !FIELDS.includes(key))
              .flatMap((key) => fields[key]),
          ];
          this.#refuse(fields, other.length ? other.join(' ') : null);
        } else {
          this.#refuse({}, apiErrorMessage(error));
        }
      }
      return;
    }
    if (this.isDestroying || this.isDestroyed) {
      return;
    }
    this.currentPassword = '';
    this.newPassword = '';
    this.isSaving = false;
    this.changed = true;
    try {
      await this.args.onChanged?.();
    } catch {
      // The password is changed; a list that could not be reloaded stays.
    }
  };

  <template>
    <section
      class="card section"
      aria-labelledby="password-heading"
      data-test-password-change
    >
      <div class="section__header">
        <h2 id="password-heading" class="section__title">
          {{if this.needsCurrent "Change password" "Set a password"}}
        </h2>
      </div>
      <p class="section__lead">
        {{#if this.needsCurrent}}
          Changing your password signs you out everywhere else.
        {{else}}
          Your account has no password yet: set one to sign in without Google.
          This signs you out everywhere else.
        {{/if}}
      </p>

      <form
        class="form password-form"
        novalidate
        data-test-password-form
        {{on "submit" this.submit}}
      >
        {{#if this.formError}}
          <div
            class="alert alert--error"
            role="alert"
            tabindex="-1"
            data-test-password-error
            {{focusOnInsert this.errorCount}}
          >
            {{this.formError}}
          </div>
        {{/if}}

        {{! For password managers: the account this password belongs to. }}
        <input
          type="email"
          name="username"
          autocomplete="username"
          aria-label="Email"
          value={{this.currentUser.user.email}}
          readonly
          hidden
        />

        {{! aria-invalid is valid on password inputs (a textbox to assistive
          technology); the lint rule takes them for buttons. }}
        {{! template-lint-disable no-unsupported-role-attributes }}
        {{#if this.needsCurrent}}
          <div class="field {{if this.currentErrors 'field--invalid'}}">
            <label class="field__label" for="current-password">Current password</label>
            <input
              id="current-password"
              name="current-password"
              type="password"
              class="input"
              autocomplete="current-password"
              required
              value={{this.currentPassword}}
              aria-invalid={{if this.currentErrors "true"}}
              aria-describedby={{if
                this.currentErrors
                "current-password-error"
              }}
              data-test-current-password
              {{on "input" this.updateCurrent}}
              {{focusOnInsert this.errorCount when=this.focusCurrent}}
            />
            {{#if this.currentErrors}}
              <p
                id="current-password-error"
                class="field__error"
                data-test-error-current-password
              >
                {{#each this.currentErrors as |message|}}{{message}}
                {{/each}}
              </p>
            {{/if}}
          </div>
        {{/if}}

        <div class="field {{if this.newErrors 'field--invalid'}}">
          <label class="field__label" for="new-password">New password</label>
          <input
            id="new-password"
            name="new-password"
            type="password"
            class="input"
            autocomplete="new-password"
            required
            value={{this.newPassword}}
            aria-invalid={{if this.newErrors "true"}}
            aria-describedby={{if this.newErrors "new-password-error"}}
            data-test-new-password
            {{on "input" this.updateNew}}
            {{focusOnInsert this.errorCount when=this.focusNew}}
          />
          {{#if this.newErrors}}
            <ul
              id="new-password-error"
              class="field__error field__error-list"
              data-test-error-new-password
            >
              {{#each this.newErrors as |message|}}
                <li>{{message}}</li>
              {{/each}}
            </ul>
          {{/if}}
        </div>

        <div class="form__actions">
          <button
            type="submit"
            class="button button--primary"
            disabled={{this.isSaving}}
            aria-busy={{if this.isSaving "true"}}
            data-test-password-submit
          >
            {{#if this.isSaving}}
              Saving…
            {{else}}
              {{if this.needsCurrent "Change password" "Set password"}}
            {{/if}}
          </button>
        </div>
        {{#if this.changed}}
          <p
            class="alert alert--success"
            role="status"
            tabindex="-1"
            data-test-password-changed
            {{focusOnInsert}}
          >
            Your password has been changed. You are signed out everywhere else.
          </p>
        {{/if}}
      </form>
    </section>
  </template>
}
