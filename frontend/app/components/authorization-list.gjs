import Component from '@glimmer/component';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import { fn } from '@ember/helper';
import SectionMessage from 'frontend/components/section-message';
import { apiErrorMessage } from 'frontend/utils/errors';
import { formatDate } from 'frontend/utils/format';

function nameOf(authorization) {
  return authorization.clientName || authorization.clientId || 'An app';
}

/**
 * "Apps you have allowed" (@authorizations, `authorization` records): name,
 * scopes, since when. "Revoke" is destroyRecord() (DELETE
 * /api/authorizations/<client_id>), which also ends that app's tokens.
 */
export default class AuthorizationList extends Component {
  @tracked busy = null;
  @tracked notice = null;
  @tracked error = null;
  @tracked messageCount = 0;

  isBusy = (authorization) => this.busy === authorization.id;

  revoke = async (authorization) => {
    if (this.busy) {
      return;
    }
    const name = nameOf(authorization);
    this.busy = authorization.id;
    let outcome;
    try {
      await authorization.destroyRecord();
      outcome = { notice: `${name} can no longer use your account.` };
    } catch (error) {
      if (!authorization.isDestroyed && !authorization.isDestroying) {
        authorization.rollbackAttributes();
      }
      outcome = { error: apiErrorMessage(error) };
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
      aria-labelledby="authorizations-heading"
      aria-busy={{if this.busy "true"}}
      data-test-authorizations
    >
      <div class="section__header">
        <h2 id="authorizations-heading" class="section__title">Apps you have
          allowed</h2>
      </div>

      <SectionMessage
        @error={{this.error}}
        @notice={{this.notice}}
        @count={{this.messageCount}}
      />

      <ul class="entries">
        {{#each @authorizations as |authorization|}}
          <li class="entry" data-test-authorization={{authorization.id}}>
            <div class="entry__main">
              <p class="entry__title" data-test-authorization-name>
                {{nameOf authorization}}
              </p>
              <p class="entry__meta">
                Allowed since
                <time
                  datetime={{authorization.grantedAt}}
                  data-test-authorization-since
                >{{formatDate authorization.grantedAt}}</time>
              </p>
              {{#if authorization.scopes.length}}
                <ul
                  class="chips"
                  aria-label="Permissions"
                  data-test-authorization-scopes
                >
                  {{#each authorization.scopes as |scope|}}
                    <li class="chip">{{scope}}</li>
                  {{/each}}
                </ul>
              {{/if}}
            </div>
            <div class="entry__actions">
              <button
                type="button"
                class="button button--secondary"
                disabled={{if this.busy true}}
                aria-busy={{if (this.isBusy authorization) "true"}}
                data-test-authorization-revoke
                {{on "click" (fn this.revoke authorization)}}
              >
                {{if (this.isBusy authorization) "Revoking…" "Revoke"}}
                <span class="visually-hidden">{{nameOf authorization}}</span>
              </button>
            </div>
          </li>
        {{else}}
          <li class="entry entry--empty" data-test-authorizations-empty>
            You have not allowed any apps to use your account.
          </li>
        {{/each}}
      </ul>
    </section>
  </template>
}
