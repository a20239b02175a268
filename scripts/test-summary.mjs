// Totals the tests of every runner in scripts/test.sh and prints the closing line
// "N passed, N failed". Exits non-zero when a test or a check failed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [resultsDir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];

const jestFile = path.join(resultsDir, 'jest.json');
if (existsSync(jestFile)) {
  const jest = JSON.parse(readFileSync(jestFile, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  skipped += jest.numPendingTests + jest.numTodoTests;
  // A suite that fails to load has no failed test but must still count as a failure.
  const brokenSuites = jest.testResults.filter(
    r => r.status === 'failed' && r.assertionResults.length === 0,
  ).length;
  failed += brokenSuites;
  lines.push(
    `jest: ${jest.numPassedTests} passed, ${
      jest.numFailedTests + brokenSuites
    } failed in ${jest.numTotalTestSuites} suites`,
  );
}

const tapFile = path.join(resultsDir, 'e2e.tap');
if (existsSync(tapFile)) {
  const tap = readFileSync(tapFile, 'utf8');
  const count = name =>
    Number((tap.match(new RegExp(`^# ${name} (\\d+)`, 'm')) || [])[1] || 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  skipped += count('skipped');
  lines.push(
    `browser: ${count('pass')} passed, ${
      count('fail') + count('cancelled')
    } failed`,
  );
}

for (const line of lines) console.log(line);
if (failedSteps.length > 0)
  console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);
