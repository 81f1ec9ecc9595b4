import { pageTitle } from 'ember-page-title';
import LoginForm from 'frontend/components/login-form';

<template>
  {{pageTitle "Sign in"}}

  <section class="auth-card" aria-labelledby="login-heading">
    <h1 id="login-heading" class="auth-card__title">Sign in</h1>
    <p class="auth-card__lead">Use the email address and password of your
      Authsite account.</p>

    {{! The form, then "or" and a button per identity provider (Google). }}
    <LoginForm />
  </section>
</template>
