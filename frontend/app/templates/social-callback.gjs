import { pageTitle } from 'ember-page-title';

<template>
  {{pageTitle "Signing in"}}

  <section class="auth-card" aria-labelledby="social-callback-heading">
    <h1 id="social-callback-heading" class="auth-card__title">Sign in</h1>
    <div class="loading" role="status" data-test-social-progress>
      <span class="spinner" aria-hidden="true"></span>
      Signing you in with
      {{@model.title}}…
    </div>
  </section>
</template>
