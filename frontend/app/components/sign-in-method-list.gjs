import Component from '@glimmer/component';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import { fn } from '@ember/helper';
import SectionMessage from 'frontend/components/section-message';
import { apiErrorMessage } from 'frontend/utils/errors';
import { providerTitle } from 'frontend/utils/activity';
import { formatDate } from 'frontend/utils/format';

/**
 * "Sign-in methods" (@methods, `sign-in-method` records): whether a password
 * is set, and the linked provider accounts. "Unlink" is offered only where
 * the server says `removable`; it is destroyRecord() (DELETE
 * /api/sign-in-methods/<provider>), and a refusal (409, no other way to sign
 * in would remain) shows the server's explanation. Either way @onReload()
 * fetches the list again, since what is removable may have changed.
 */
export default class SignInMethodList extends Component {
  @tracked busy = null;
  @tracked notice = null;
  @tracked error = null;
  @tracked messageCount = 0;

  isBusy = (method) => this.busy === method.id;

  unlink = async (method) => {
    if (this.busy) {
      return;
    }
    const title = providerTitle(method.provider);
    this.busy = method.id;
    let outcome;
    try {
      await method.destroyRecord();
      outcome = { notice: `Your ${title} account is no longer linked.` };
    } catch (error) {
      if (!method.isDestroyed && !method.isDestroying) {
        method.rollbackAttributes();
      }
      outcome = { error: apiErrorMessage(error) };
    }
    try {
      await this.args.onReload();
    } catch {
      // The list on screen stays; the outcome above is what matters.
    }
    if (!this.isDestroying && !this.isDestroyed) {
      this.busy = null;
      this.notice = outcome.notice ?? null;
      this.error = outcome.error ?? null;
      this.messageCount += 1;
    }
  };

  <template>
    <section
      class="card section"
      aria-labelledby="sign-in-methods-heading"
      aria-busy={{if this.busy "true"}}
      data-test-sign-in-methods
    >
      <div class="section__header">
        <h2 id="sign-in-methods-heading" class="section__title">Sign-in methods</h2>
      </div>

      <SectionMessage
        @error={{this.error}}
        @notice={{this.notice}}
        @count={{this.messageCount}}
      />

      <ul class="entries">
        {{#each @methods as |method|}}
          <li class="entry" data-test-sign-in-method={{method.id}}>
            <div class="entry__main">
              <p class="entry__title" data-test-sign-in-method-label>
                {{method.label}}
              </p>
              <p class="entry__meta" data-test-sign-in-method-status>
                {{#if method.isPassword}}
                  {{if method.passwordSet "Set" "Not set"}}
                {{else}}
                  Linked
                  <time datetime={{method.linkedAt}}>{{formatDate
                      method.linkedAt
                    }}</time>
                {{/if}}
              </p>
            </div>
            {{#if method.removable}}
              <div class="entry__actions">
                <button
                  type="button"
                  class="button button--secondary"
                  disabled={{if this.busy true}}
                  aria-busy={{if (this.isBusy method) "true"}}
                  data-test-sign-in-method-unlink
                  {{on "click" (fn this.unlink method)}}
                >
                  {{if (this.isBusy method) "Unlinking…" "Unlink"}}
                  <span class="visually-hidden">{{method.label}}</span>
                </button>
              </div>
            {{else if method.provider}}
              <p class="entry__note" data-test-sign-in-method-only>
                Your only way to sign in: set a password before unlinking it.
              </p>
            {{/if}}
          </li>
        {{/each}}
      </ul>
    </section>
  </template>
}
