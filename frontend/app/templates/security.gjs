import { pageTitle } from 'ember-page-title';
import SessionList from 'frontend/components/session-list';
import AuthorizationList from 'frontend/components/authorization-list';
import SignInMethodList from 'frontend/components/sign-in-method-list';
import PasswordChangeForm from 'frontend/components/password-change-form';
import ActivityList from 'frontend/components/activity-list';

// The lists are the controller's (app/controllers/security.js), which reloads
// them after the changes that affect them.
<template>
  {{pageTitle "Security"}}

  <div class="page-header page-header--stacked">
    <h1 class="page-header__title">Security</h1>
    <p class="page-header__meta">Where you are signed in, the apps you have
      allowed, how you sign in and what happened recently.</p>
  </div>

  <div class="security">
    <SessionList
      @sessions={{@controller.sessions}}
      @onReload={{@controller.reloadSessions}}
    />
    <AuthorizationList @authorizations={{@controller.authorizations}} />
    <SignInMethodList
      @methods={{@controller.signInMethods}}
      @onReload={{@controller.reloadSignInMethods}}
    />
    <PasswordChangeForm
      @passwordSet={{@controller.passwordSet}}
      @onChanged={{@controller.afterPasswordChange}}
    />
    <ActivityList
      @events={{@controller.events}}
      @busy={{@controller.isPaging}}
    />
  </div>
</template>
