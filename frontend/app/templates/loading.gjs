<template>
  <div class="loading" role="status" data-test-loading>
    <span class="spinner" aria-hidden="true"></span>
    Loading…
  </div>
</template>
