import Component from '@glimmer/component';
import { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import { fn } from '@ember/helper';
import { registerDestructor } from '@ember/destroyable';
import { socialStartMessage } from 'frontend/utils/errors';

/**
 * "or" and one "Sign in with <title>" button per provider the server offers
 * (GET /oauth/social). Renders nothing until, or unless, that list has
 * providers, so the password form above never waits for it.
 *
 * @onError(message) — starting failed before the page left (shown by the
 * login form's alert).
 */
export default class SocialSignIn extends Component {
  @service socialSignIn;

  // The provider whose button was pressed; all buttons stay disabled while the
  // page goes there.
  @tracked starting = null;

  constructor(owner, args) {
    super(owner, args);
    this.socialSignIn.loadProviders();
    // Back from the provider's page out of the back/forward cache: the page
    // comes back as it was left, with the buttons disabled.
    const reenable = (event) => {
      if (event.persisted) {
        this.starting = null;
      }
    };
    window.addEventListener('pageshow', reenable);
    registerDestructor(this, () =>
      window.removeEventListener('pageshow', reenable),
    );
  }

  get providers() {
    return this.socialSignIn.providers;
  }

  isStarting = (provider) => this.starting === provider.name;

  start = async (provider) => {
    if (this.starting) {
      return;
    }
    this.starting = provider.name;
    try {
      await this.socialSignIn.start(provider);
    } catch {
      if (!this.isDestroying && !this.isDestroyed) {
        this.starting = null;
        this.args.onError?.(socialStartMessage(provider.title));
      }
    }
  };

  <template>
    {{#if this.providers.length}}
      <div class="social-sign-in">
        <p class="social-sign-in__separator" data-test-social-separator>or</p>
        {{#each this.providers as |provider|}}
          <button
            type="button"
            class="button button--secondary button--block"
            disabled={{if this.starting true}}
            aria-busy={{if (this.isStarting provider) "true"}}
            data-test-social-sign-in={{provider.name}}
            {{on "click" (fn this.start provider)}}
          >
            Sign in with
            {{provider.title}}
          </button>
        {{/each}}
      </div>
    {{/if}}
  </template>
}
