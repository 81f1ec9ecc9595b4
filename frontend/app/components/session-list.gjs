import Component from '@glimmer/component';
import { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import { fn } from '@ember/helper';
import SectionMessage from 'frontend/components/section-message';
import { apiErrorMessage } from 'frontend/utils/errors';
import { deviceOf } from 'frontend/utils/activity';
import { formatDateTime } from 'frontend/utils/format';

function describe(session) {
  return `${session.clientName || 'An app'}, ${deviceOf(session)}`;
}

/**
 * "Where you are signed in": one entry per session (@sessions, `session`
 * records), this browser's marked. "Sign out" on another entry is
 * destroyRecord() (DELETE /api/sessions/<id>); on this browser's entry it is
 * the ordinary sign-out. "Sign out everywhere else" is DELETE
 * /api/sessions/others, then @onReload() fetches the list again.
 */
export default class SessionList extends Component {
  @service session;
  @service store;

  // The id of the session being signed out, or 'others'; every button waits.
  @tracked busy = null;
  @tracked notice = null;
  @tracked error = null;
  @tracked messageCount = 0;

  get hasOthers() {
    return Array.from(this.args.sessions ?? []).some((s) => !s.current);
  }

  get isSigningOutOthers() {
    return this.busy === 'others';
  }

  isBusy = (session) => this.busy === session.id;

  #show({ notice = null, error = null }) {
    if (this.isDestroying || this.isDestroyed) {
      return;
    }
    this.notice = notice;
    this.error = error;
    this.messageCount += 1;
  }

  signOut = async (session) => {
    if (this.busy) {
      return;
    }
    this.busy = session.id;
    if (session.current) {
      // Revokes this browser's tokens and returns to the login page.
      try {
        await this.session.invalidate();
      } finally {
        if (!this.isDestroying && !this.isDestroyed) {
          this.busy = null;
        }
      }
      return;
    }
    const description = describe(session);
    try {
      await session.destroyRecord();
      this.#show({ notice: `Signed out: ${description}.` });
    } catch (error) {
      if (!session.isDestroyed && !session.isDestroying) {
        session.rollbackAttributes();
      }
      this.#show({ error: apiErrorMessage(error) });
    } finally {
      if (!this.isDestroying && !this.isDestroyed) {
        this.busy = null;
      }
    }
  };

  signOutOthers = async () => {
    if (this.busy) {
      return;
    }
    this.busy = 'others';
    let outcome;
    try {
      await this.store.adapterFor('session').signOutOthers();
      outcome = { notice: 'Signed out everywhere else.' };
    } catch (error) {
      outcome = { error: apiErrorMessage(error) };
    }
    try {
      await this.args.onReload();
    } catch {
      // The outcome above is what matters; the list on screen stays.
    }
    if (!this.isDestroying && !this.isDestroyed) {
      this.busy = null;
    }
    this.#show(outcome);
  };

  <template>
    <section
      class="card section"
      aria-labelledby="sessions-heading"
      aria-busy={{if this.busy "true"}}
      data-test-sessions
    >
      <div class="section__header">
        <h2 id="sessions-heading" class="section__title">Where you are signed in</h2>
        {{#if this.hasOthers}}
          <button
            type="button"
            class="button button--secondary"
            disabled={{if this.busy true}}
            aria-busy={{if this.isSigningOutOthers "true"}}
            data-test-sign-out-others
            {{on "click" this.signOutOthers}}
          >
            {{if
              this.isSigningOutOthers
              "Signing out…"
              "Sign out everywhere else"
            }}
          </button>
        {{/if}}
      </div>

      <SectionMessage
        @error={{this.error}}
        @notice={{this.notice}}
        @count={{this.messageCount}}
      />

      <ul class="entries">
        {{#each @sessions as |session|}}
          <li
            class="entry {{if session.current 'entry--current'}}"
            data-test-session={{session.id}}
          >
            <div class="entry__main">
              <p class="entry__title">
                <span data-test-session-client>{{if
                    session.clientName
                    session.clientName
                    "An app"
                  }}</span>
                {{#if session.current}}
                  <span class="badge" data-test-session-current>This browser</span>
                {{/if}}
              </p>
              <p class="entry__meta">
                <span data-test-session-device>{{deviceOf session}}</span>
                <span aria-hidden="true">·</span>
                <span data-test-session-ip>{{if
                    session.ip
                    session.ip
                    "Unknown address"
                  }}</span>
              </p>
              <dl class="facts">
                <div class="facts__item">
                  <dt>Signed in</dt>
                  <dd data-test-session-signed-in>
                    <time datetime={{session.signedInAt}}>{{formatDateTime
                        session.signedInAt
                      }}</time>
                  </dd>
                </div>
                <div class="facts__item">
                  <dt>Last active</dt>
                  <dd data-test-session-last-active>
                    <time datetime={{session.lastActiveAt}}>{{formatDateTime
                        session.lastActiveAt
                      }}</time>
                  </dd>
                </div>
              </dl>
            </div>
            <div class="entry__actions">
              <button
                type="button"
                class="button
                  {{if session.current 'button--ghost' 'button--secondary'}}"
                disabled={{if this.busy true}}
                aria-busy={{if (this.isBusy session) "true"}}
                data-test-session-sign-out
                {{on "click" (fn this.signOut session)}}
              >
                {{if (this.isBusy session) "Signing out…" "Sign out"}}
                <span class="visually-hidden">{{describe session}}</span>
              </button>
            </div>
          </li>
        {{else}}
          <li class="entry entry--empty" data-test-sessions-empty>
            You are not signed in anywhere else.
          </li>
        {{/each}}
      </ul>
    </section>
  </template>
}
