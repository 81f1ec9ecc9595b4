import { pageTitle } from 'ember-page-title';
import { on } from '@ember/modifier';
import { apiErrorMessage } from 'frontend/utils/errors';

function reload() {
  window.location.reload();
}

<template>
  {{pageTitle "Error"}}

  <section class="card empty-state" role="alert" data-test-page-error>
    <h1 class="page-header__title">Something went wrong</h1>
    <p data-test-page-error-message>{{apiErrorMessage @model}}</p>
    <button type="button" class="button button--primary" {{on "click" reload}}>
      Try again
    </button>
  </section>
</template>
