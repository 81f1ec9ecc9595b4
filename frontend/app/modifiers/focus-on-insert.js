import { modifier } from 'ember-modifier';

/**
 * Moves keyboard and screen-reader focus to the element when it is rendered,
 * and again whenever the optional positional argument changes (so a new error
 * with the same text gets focus too). `when=false` skips it.
 *
 *   <div role="alert" tabindex="-1" {{focusOnInsert this.errorCount}}>…</div>
 */
export default modifier((element, [key], { when = true }) => {
  void key; // read so that a new value re-runs the modifier
  if (when) {
    element.focus();
  }
});
