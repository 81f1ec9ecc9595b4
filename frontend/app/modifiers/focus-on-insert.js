import { modifier } from 'ember-modifier';

// Moves keyboard and screen-reader focus to the element when it is rendered
// (used for error messages, which also carry role="alert").
export default modifier((element) => {
  element.focus();
});
