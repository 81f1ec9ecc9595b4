import focusOnInsert from 'frontend/modifiers/focus-on-insert';

/**
 * The outcome of an action in a section of the security page: @error (an
 * alert) or @notice (a status message). Either takes focus when it appears, and
 * again whenever @count changes, so the next thing a keyboard or screen-reader
 * user meets is what happened (the button they pressed may be gone).
 */
<template>
  {{#if @error}}
    <div
      class="alert alert--error"
      role="alert"
      tabindex="-1"
      data-test-section-error
      {{focusOnInsert @count}}
    >
      {{@error}}
    </div>
  {{else if @notice}}
    <p
      class="alert alert--success"
      role="status"
      tabindex="-1"
      data-test-section-notice
      {{focusOnInsert @count}}
    >
      {{@notice}}
    </p>
  {{/if}}
</template>
