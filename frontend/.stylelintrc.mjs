export default {
  extends: ['stylelint-config-standard'],
  rules: {
    // BEM-style names: block, block__element, block--modifier, is-state.
    'selector-class-pattern': [
      '^[a-z][a-z0-9]*(-[a-z0-9]+)*(__[a-z0-9]+(-[a-z0-9]+)*)?(--[a-z0-9]+(-[a-z0-9]+)*)?$',
      { message: 'Use kebab-case BEM class names (block__element--modifier)' },
    ],
  },
};
