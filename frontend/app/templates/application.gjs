import { pageTitle } from 'ember-page-title';
import AppHeader from 'frontend/components/app-header';

<template>
  {{pageTitle "Authsite" separator=" · "}}

  <a class="skip-link" href="#main">Skip to content</a>

  <AppHeader />

  <main id="main" class="main" tabindex="-1">
    {{outlet}}
  </main>
</template>
