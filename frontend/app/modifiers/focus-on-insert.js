import { modifier } from 'ember-modifier';

// Moves keyboard and screen-reader focus to the element when it is rendered
// (used for error messages, which also carry role="alert"), and again whenever
// the optional argument changes (a new error with the same text).
export default modifier((element, [key]) => {
  void key; // consumed so that a new value re-runs the modifier
  element.focus();
});
