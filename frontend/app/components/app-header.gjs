import Component from '@glimmer/component';
import { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';
import { on } from '@ember/modifier';
import { LinkTo } from '@ember/routing';

export default class AppHeader extends Component {
  @service session;
  @service currentUser;

  @tracked isSigningOut = false;

  signOut = async () => {
    this.isSigningOut = true;
    try {
      // Revokes the access and refresh tokens (POST /oauth/revoke, failures
      // ignored), clears the stored session, then ESA reloads the app at /,
      // which shows the login page.
      await this.session.invalidate();
    } finally {
      if (!this.isDestroying && !this.isDestroyed) {
        this.isSigningOut = false;
      }
    }
  };

  <template>
    <header class="app-header">
      <div class="app-header__inner">
        <LinkTo @route="index" class="brand" aria-label="Authsite home">
          <span class="brand__mark" aria-hidden="true">A</span>
          <span class="brand__name">Authsite</span>
        </LinkTo>

        {{#if this.session.isAuthenticated}}
          <nav class="app-nav" aria-label="Main">
            <LinkTo @route="users" class="app-nav__link" data-test-nav-users>
              Users
            </LinkTo>
            <LinkTo
              @route="profile"
              class="app-nav__link"
              data-test-nav-profile
            >
              Profile
            </LinkTo>
            <LinkTo
              @route="security"
              class="app-nav__link"
              data-test-nav-security
            >
              Security
            </LinkTo>
          </nav>

          <div class="app-header__account">
            <span class="current-user" data-test-current-user>
              {{#if this.currentUser.user}}
                <span class="visually-hidden">Signed in as</span>
                {{this.currentUser.user.email}}
              {{/if}}
            </span>
            <button
              type="button"
              class="button button--ghost"
              disabled={{this.isSigningOut}}
              data-test-logout
              {{on "click" this.signOut}}
            >
              {{if this.isSigningOut "Signing out…" "Sign out"}}
            </button>
          </div>
        {{/if}}
      </div>
    </header>
  </template>
}
