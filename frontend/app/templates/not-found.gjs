import { pageTitle } from 'ember-page-title';
import { LinkTo } from '@ember/routing';

<template>
  {{pageTitle "Page not found"}}

  <section class="card empty-state" data-test-not-found>
    <h1 class="page-header__title">Page not found</h1>
    <p>There is nothing at this address.</p>
    <LinkTo @route="index" class="button button--primary">Go to the start page</LinkTo>
  </section>
</template>
