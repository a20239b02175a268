module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The tests run the real LiteMaaS backend, or its fixtures, through the backend
      // plugin's `testUtils` export: the one shared harness, instead of a copy here.
      files: ['src/**/*.test.ts', 'src/**/__testUtils__/**'],
      rules: { '@backstage/no-mixed-plugin-imports': 'off' },
    },
  ],
});
