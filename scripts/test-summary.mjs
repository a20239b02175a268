// Totals every step and test of scripts/test.sh and prints the closing line
// "N passed, N failed[, N skipped]". Exits non-zero when anything failed.
//
// Input (one folder, written by scripts/test.sh):
//   steps.tsv     one line per step: name, status (ok | failed | skipped), seconds, note
//   postgres.txt  "available <url>" or "unavailable <url> <reason>"
//   jest.json     jest's --json report, when the jest step ran
//   e2e.tap       node --test's TAP report, when the browser step ran
//   node.tap      node --test's TAP report of the node:test packages (packages/dev-idp)
//   packages.tap  node --test's TAP report of the published packages' check
//                 (scripts/published-packages.test.mjs)
//   system-source.tap  node --test's TAP report of the system tests that run the
//                 backend from source (system/: soak, replica kill), when that step ran
//   system.tap    node --test's TAP report of the system tests of the builds (system/:
//                 production bundle and its replicas, RHDH dynamic plugins), when that
//                 step ran
//
// Every failure is named above the last line, a failed jest test with the first lines of
// its error (name included) indented under it; a failed step counts once unless the test
// results it produced already count its failures; a jest suite whose afterAll or teardown
// threw counts as failed even when all its tests passed; so does a node:test suite whose
// hook threw.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Database engines the tests name through `it.each(databases.eachSupportedId())`. */
export const ENGINES = [
  { id: 'SQLITE_3', label: 'SQLite' },
  { id: 'POSTGRES_15', label: 'PostgreSQL' },
];

/** How many lines of a failed test's error the summary shows under its FAILED line. */
export const REASON_LINES = 6;

const readIf = file => (existsSync(file) ? readFileSync(file, 'utf8') : null);
// eslint-disable-next-line no-control-regex
const plain = text => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
const firstLine = text =>
  plain(text)
    .split('\n')
    .map(l => l.trim())
    .find(l => l && !l.startsWith('●')) ?? '';

/** Facts a system error carries besides its message (what a refused connection says). */
const ERROR_FACTS = ['code', 'errno', 'syscall', 'address', 'port'];

/**
 * Why a jest test failed, in a few lines: each error's first lines without its stack
 * frames, starting with the error's name ("Error: expect(received)...", "AggregateError:").
 * An error whose message is empty says so, with the code, address and port a system
 * error carries (jest's `failureDetails`), so a CI log never shows a bare test name.
 */
export function failureReason(failureMessages = [], failureDetails = []) {
  const lines = [];
  failureMessages.forEach((text, i) => {
    const own = plain(text)
      .split('\n')
      .map(l => l.trimEnd())
      .filter(l => l.trim() && !/^\s*at /.test(l));
    const detail = failureDetails[i];
    const facts =
      detail && typeof detail === 'object'
        ? ERROR_FACTS.filter(k => detail[k] !== undefined && detail[k] !== '')
            .map(k => `${k}=${detail[k]}`)
            .join(' ')
        : '';
    const head = (own[0] ?? '').trim();
    // "Error:", "AggregateError [ECONNREFUSED]:" or nothing at all: the message is empty.
    if (!head || /^[\w$.]+(?: \[[^\]]*\])?:?$/.test(head)) {
      own[0] = `${head || 'an error'} (empty message${
        facts ? `; ${facts}` : ''
      })`;
    } else if (facts) {
      own.push(`(${facts})`);
    }
    lines.push(...own);
  });
  if (lines.length === 0) lines.push('(jest reported no error for this test)');
  const shown = lines.slice(0, REASON_LINES);
  if (lines.length > shown.length) shown.push('…');
  return shown;
}

export function parseSteps(text) {
  return (text ?? '')
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [name, status, seconds, note = ''] = line.split('\t');
      return { name, status, seconds: Number(seconds), note };
    });
}

export function parsePostgres(text) {
  const [state, url, ...reason] = (text ?? '').trim().split(' ');
  if (!state) return undefined;
  return { available: state === 'available', url, reason: reason.join(' ') };
}

/** jest's --json report: counts, every failure named, database tests per engine. */
export function summarizeJest(jest, repoRoot = '') {
  const failures = [];
  const engines = Object.fromEntries(ENGINES.map(e => [e.id, 0]));
  let passed = 0;
  let skipped = 0;
  for (const suite of jest.testResults) {
    const file = path.relative(repoRoot, suite.name) || suite.name;
    const failedTests = suite.assertionResults.filter(
      a => a.status === 'failed',
    );
    for (const a of suite.assertionResults) {
      if (a.status === 'passed') passed += 1;
      if (
        a.status === 'pending' ||
        a.status === 'todo' ||
        a.status === 'skipped'
      )
        skipped += 1;
      if (a.status !== 'passed' && a.status !== 'failed') continue;
      for (const e of ENGINES) {
        if (new RegExp(`\\b${e.id}\\b`).test(a.fullName)) engines[e.id] += 1;
      }
    }
    for (const a of failedTests) {
      failures.push({
        what: `jest: ${file} › ${a.fullName}`,
        why: failureReason(a.failureMessages, a.failureDetails),
      });
    }
    // A suite that failed without a failed test: it did not load, or a hook (afterAll,
    // beforeAll) or the teardown threw. Its passed tests still count as passed, but the
    // suite is a failure of its own.
    if (suite.status === 'failed' && failedTests.length === 0) {
      const reason = firstLine(suite.message || suite.testExecError?.message);
      const what =
        suite.assertionResults.length === 0
          ? 'suite failed to run'
          : 'suite failed after its tests passed (afterAll or teardown threw)';
      failures.push(`jest: ${file}: ${what}${reason ? `: ${reason}` : ''}`);
    }
  }
  return {
    passed,
    failed: failures.length,
    skipped,
    failures,
    engines,
    suites: jest.numTotalTestSuites,
  };
}

/**
 * node --test's TAP report: counts, every failure named (hook failures included), each
 * prefixed with `label`.
 */
export function summarizeTap(tap, label = 'browser') {
  const count = name =>
    Number((tap.match(new RegExp(`^# ${name} (\\d+)`, 'm')) || [])[1] || 0);
  const failures = [];
  const lines = tap.split('\n');
  let counted = 0;
  lines.forEach((line, i) => {
    const m = /^\s*not ok \d+ - (.*)$/.exec(line);
    if (!m) return;
    const block = [];
    for (let j = i + 1; j < lines.length && !/^\s*\.\.\.$/.test(lines[j]); j++)
      block.push(lines[j]);
    const yaml = block.join('\n');
    const type = /type: '(\w+)'/.exec(yaml)?.[1];
    const failureType = /failureType: '(\w+)'/.exec(yaml)?.[1];
    // A multi-line error is a YAML block scalar ("error: |-"): show its first line.
    const error = (/error: (?:[|>]-?\s*\n\s*)?(.*)/.exec(yaml)?.[1] ?? '')
      .trim()
      .replace(/^'|'$/g, '');
    if (failureType === 'subtestsFailed') return; // its failed tests are named
    if (type === 'suite') {
      // A suite's hook threw: node counts no failed test for it.
      failures.push(`${label}: suite ${m[1]}: ${failureType}: ${error}`);
    } else {
      counted += 1;
      failures.push(`${label}: ${m[1]}${error ? `: ${error}` : ''}`);
    }
  });
  // Failures node counted that the walk above did not name (e.g. cancelled files).
  const reported = count('fail') + count('cancelled');
  for (let i = counted; i < reported; i++)
    failures.push(`${label}: a test failed or was cancelled (see its output)`);
  return {
    passed: count('pass'),
    failed: failures.length,
    skipped: count('skipped') + count('todo'),
    failures,
  };
}

/**
 * Everything scripts/test.sh produced, as the lines to print and the totals.
 * `results` holds the raw files' text (or null when missing).
 */
export function summarize({
  steps,
  postgres,
  jest,
  tap,
  nodeTap,
  packagesTap,
  sourceSystemTap,
  systemTap,
  repoRoot = '',
}) {
  const lines = [];
  const failures = [];
  const notes = [];
  let passed = 0;
  let skipped = 0;

  const stepFailures = {
    'unit and integration tests (jest)': 0,
    'browser tests (headless Chromium)': 0,
    'node tests (node:test)': 0,
    'published packages (node:test)': 0,
    'system tests from source (node:test)': 0,
    'system tests of the builds (node:test)': 0,
  };

  if (jest) {
    const j = summarizeJest(jest, repoRoot);
    passed += j.passed;
    skipped += j.skipped;
    failures.push(...j.failures);
    stepFailures['unit and integration tests (jest)'] = j.failed;
    lines.push(
      `jest: ${j.passed} passed, ${j.failed} failed${
        j.skipped ? `, ${j.skipped} skipped` : ''
      } in ${j.suites} suites`,
    );
    const [sqlite, pg] = ENGINES.map(e => j.engines[e.id]);
    let dbLine = `database tests: ${sqlite} on SQLite (SQLITE_3), ${pg} on PostgreSQL (POSTGRES_15)`;
    if (postgres && !postgres.available) {
      // Every database test runs on both engines, so the PostgreSQL runs that did not
      // happen are the SQLite runs without a PostgreSQL twin.
      const missing = Math.max(sqlite - pg, 0);
      skipped += missing;
      dbLine += `; ${missing} skipped on PostgreSQL: ${postgres.reason} (set LITEMAAS_TEST_POSTGRES_URL or start PostgreSQL; CI=true requires it)`;
    } else if (sqlite !== pg) {
      dbLine += ` (${Math.abs(sqlite - pg)} ${
        sqlite > pg ? 'SQLite' : 'PostgreSQL'
      }-only: each says why in a comment)`;
    }
    lines.push(dbLine);
  }

  for (const [report, label, step] of [
    [nodeTap, 'node', 'node tests (node:test)'],
    [packagesTap, 'packages', 'published packages (node:test)'],
    [tap, 'browser', 'browser tests (headless Chromium)'],
    [
      sourceSystemTap,
      'system, from source',
      'system tests from source (node:test)',
    ],
    [systemTap, 'system, builds', 'system tests of the builds (node:test)'],
  ]) {
    if (!report) continue;
    const t = summarizeTap(report, label);
    passed += t.passed;
    skipped += t.skipped;
    failures.push(...t.failures);
    stepFailures[step] = t.failed;
    lines.push(
      `${label}: ${t.passed} passed, ${t.failed} failed${
        t.skipped ? `, ${t.skipped} skipped` : ''
      }`,
    );
  }

  for (const step of steps) {
    if (step.status === 'skipped') {
      skipped += 1;
      notes.push(
        `skipped step: ${step.name}${step.note ? ` (${step.note})` : ''}`,
      );
    } else if (step.status !== 'ok' && !stepFailures[step.name]) {
      // A failed step counts once, unless its own results already count its failures.
      failures.push(
        `step failed: ${step.name}${step.note ? ` (${step.note})` : ''}`,
      );
    }
  }
  if (steps.length === 0) failures.push('step failed: no step ran');

  for (const note of notes) lines.push(note);
  for (const failure of failures) {
    if (typeof failure === 'string') {
      lines.push(`FAILED ${failure}`);
    } else {
      lines.push(`FAILED ${failure.what}`);
      for (const why of failure.why) lines.push(`    ${why}`);
    }
  }
  const failed = failures.length;
  lines.push(
    `${passed} passed, ${failed} failed${
      skipped ? `, ${skipped} skipped` : ''
    }`,
  );
  return { lines, passed, failed, skipped, exitCode: failed > 0 ? 1 : 0 };
}

export function summarizeFolder(resultsDir, repoRoot) {
  const jestText = readIf(path.join(resultsDir, 'jest.json'));
  return summarize({
    steps: parseSteps(readIf(path.join(resultsDir, 'steps.tsv'))),
    postgres: parsePostgres(readIf(path.join(resultsDir, 'postgres.txt'))),
    jest: jestText ? JSON.parse(jestText) : null,
    tap: readIf(path.join(resultsDir, 'e2e.tap')),
    nodeTap: readIf(path.join(resultsDir, 'node.tap')),
    packagesTap: readIf(path.join(resultsDir, 'packages.tap')),
    sourceSystemTap: readIf(path.join(resultsDir, 'system-source.tap')),
    systemTap: readIf(path.join(resultsDir, 'system.tap')),
    repoRoot,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [resultsDir] = process.argv.slice(2);
  const repoRoot = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
  );
  const result = summarizeFolder(resultsDir, repoRoot);
  for (const line of result.lines) console.log(line);
  process.exit(result.exitCode);
}
