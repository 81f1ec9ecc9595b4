import Component from '@glimmer/component';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import focusOnInsert from 'frontend/modifiers/focus-on-insert';
import { InvalidError } from '@warp-drive/legacy/adapter/error';
import { apiErrorMessage, errorsByAttribute } from 'frontend/utils/errors';
import { formatDate } from 'frontend/utils/format';

const FIELDS = ['first-name', 'last-name'];

function isInvalidError(error) {
  return error instanceof InvalidError || error?.code === 'InvalidError';
}

/**
 * Edits the signed-in user's names (@user, from GET /api/me).
 *
 * The inputs edit a draft; Save copies it onto the record and calls
 * `user.save()` (PATCH /api/me). When the server refuses, the record is rolled
 * back (so nothing else shows unsaved values) while the form keeps what was
 * typed, with the server's messages next to the fields they point at.
 */
export default class ProfileForm extends Component {
  @tracked firstName = this.args.user.firstName ?? '';
  @tracked lastName = this.args.user.lastName ?? '';
  @tracked isSaving = false;
  @tracked saved = false;
  @tracked fieldErrors = {};
  @tracked formError = null;
  @tracked errorCount = 0;

  get firstNameErrors() {
    return this.fieldErrors['first-name'];
  }

  get lastNameErrors() {
    return this.fieldErrors['last-name'];
  }

  updateFirstName = (event) => {
    this.firstName = event.target.value;
    this.saved = false;
  };

  updateLastName = (event) => {
    this.lastName = event.target.value;
    this.saved = false;
  };

  // After a refused save, focus goes to the first field the server complained
  // about (its message is tied to it with aria-describedby).
  get focusFirstName() {
    return Boolean(this.firstNameErrors);
  }

  get focusLastName() {
    return Boolean(this.lastNameErrors) && !this.firstNameErrors;
  }

  save = async (event) => {
    event.preventDefault();
    if (this.isSaving) {
      return;
    }
    const { user } = this.args;
    this.isSaving = true;
    this.saved = false;
    this.formError = null;
    this.fieldErrors = {};
    try {
      user.firstName = this.firstName;
      user.lastName = this.lastName;
      await user.save();
      this.saved = true;
    } catch (error) {
      if (!user.isDestroyed && user.hasDirtyAttributes) {
        user.rollbackAttributes();
      }
      if (isInvalidError(error)) {
        const { base = [], ...fields } = errorsByAttribute(error.errors);
        this.fieldErrors = fields;
        // Messages that point at no field of this form still need to be seen.
        const other = [
          ...base,
          ...Object.keys(fields)
            .filter((key) => !FIELDS.includes(key))
            .flatMap((key) => fields[key]),
        ];
        this.formError = other.length ? other.join(' ') : null;
        this.errorCount += 1;
      } else {
        this.formError = apiErrorMessage(error);
        this.errorCount += 1;
      }
    } finally {
      if (!this.isDestroying && !this.isDestroyed) {
        this.isSaving = false;
      }
    }
  };

  <template>
    <form
      class="card form profile-form"
      novalidate
      data-test-profile-form
      {{on "submit" this.save}}
    >
      {{#if this.formError}}
        <div
          class="alert alert--error"
          role="alert"
          tabindex="-1"
          data-test-profile-error
          {{focusOnInsert this.errorCount}}
        >
          {{this.formError}}
        </div>
      {{/if}}

      <dl class="details">
        <div class="details__row">
          <dt>Email</dt>
          <dd data-test-profile-email>{{@user.email}}</dd>
        </div>
        <div class="details__row">
          <dt>Member since</dt>
          <dd data-test-profile-date-joined>
            <time datetime={{@user.dateJoined}}>{{formatDate
                @user.dateJoined
              }}</time>
          </dd>
        </div>
      </dl>

      <div class="form__grid">
        <div class="field {{if this.firstNameErrors 'field--invalid'}}">
          <label class="field__label" for="first-name">First name</label>
          <input
            id="first-name"
            name="given-name"
            type="text"
            class="input"
            autocomplete="given-name"
            value={{this.firstName}}
            aria-invalid={{if this.firstNameErrors "true"}}
            aria-describedby={{if this.firstNameErrors "first-name-error"}}
            data-test-first-name
            {{on "input" this.updateFirstName}}
            {{focusOnInsert this.errorCount when=this.focusFirstName}}
          />
          {{#if this.firstNameErrors}}
            <p
              id="first-name-error"
              class="field__error"
              data-test-error-first-name
            >
              {{#each this.firstNameErrors as |message|}}{{message}}
              {{/each}}
            </p>
          {{/if}}
        </div>

        <div class="field {{if this.lastNameErrors 'field--invalid'}}">
          <label class="field__label" for="last-name">Last name</label>
          <input
            id="last-name"
            name="family-name"
            type="text"
            class="input"
            autocomplete="family-name"
            value={{this.lastName}}
            aria-invalid={{if this.lastNameErrors "true"}}
            aria-describedby={{if this.lastNameErrors "last-name-error"}}
            data-test-last-name
            {{on "input" this.updateLastName}}
            {{focusOnInsert this.errorCount when=this.focusLastName}}
          />
          {{#if this.lastNameErrors}}
            <p
              id="last-name-error"
              class="field__error"
              data-test-error-last-name
            >
              {{#each this.lastNameErrors as |message|}}{{message}}
              {{/each}}
            </p>
          {{/if}}
        </div>
      </div>

      <div class="form__actions">
        <button
          type="submit"
          class="button button--primary"
          disabled={{this.isSaving}}
          aria-busy={{if this.isSaving "true"}}
          data-test-profile-save
        >
          {{if this.isSaving "Saving…" "Save"}}
        </button>
        <p class="form__status" role="status">
          {{#if this.saved}}
            <span class="success-text" data-test-profile-saved>
              <span aria-hidden="true">✓</span>
              Profile saved.
            </span>
          {{/if}}
        </p>
      </div>
    </form>
  </template>
}
