module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Shared assertions of src/__testUtils__ count as assertions.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expectSpinnerThenError'] },
    ],
  },
});
