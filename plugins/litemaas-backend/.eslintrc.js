module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // fast-check's fc.assert fails the test on any counterexample (routes/fuzz.test.ts).
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'fc.assert'] },
    ],
  },
});
