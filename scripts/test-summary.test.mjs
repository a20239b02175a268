// Tests of the closing summary of scripts/test.sh (run by it as its first step):
// node --test scripts/test-summary.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  REASON_LINES,
  summarize,
  parseSteps,
  parsePostgres,
} from './test-summary.mjs';

const test = (fullName, status = 'passed') => ({ fullName, status });
const suite = (name, assertionResults, extra = {}) => ({
  name: `/repo/${name}`,
  status: assertionResults.some(a => a.status === 'failed')
    ? 'failed'
    : 'passed',
  message: '',
  assertionResults,
  ...extra,
});
const jestReport = testResults => ({
  numTotalTestSuites: testResults.length,
  testResults,
});
const okSteps = names => names.map(name => ({ name, status: 'ok', note: '' }));
const JEST = 'unit and integration tests (jest)';
const BROWSER = 'browser tests (headless Chromium)';
const pgUp = parsePostgres('available postgresql://postgres@127.0.0.1:5432');
const last = result => result.lines[result.lines.length - 1];

describe('test summary', () => {
  it('counts the passed tests of every runner when all is well', () => {
    const result = summarize({
      steps: okSteps(['lint', JEST, BROWSER]),
      postgres: pgUp,
      jest: jestReport([suite('a.test.ts', [test('a'), test('b')])]),
      tap: '# pass 3\n# fail 0\n# cancelled 0\n# skipped 0\n',
      repoRoot: '/repo',
    });
    assert.equal(last(result), '5 passed, 0 failed');
    assert.equal(result.exitCode, 0);
  });

  it('counts a failed check step in the last line and names it above', () => {
    const result = summarize({
      steps: [
        ...okSteps(['type check (tsc)']),
        { name: 'lint', status: 'failed', note: '' },
        ...okSteps([JEST]),
      ],
      postgres: pgUp,
      jest: jestReport([suite('a.test.ts', [test('a')])]),
      repoRoot: '/repo',
    });
    assert.equal(last(result), '1 passed, 1 failed');
    assert.ok(result.lines.includes('FAILED step failed: lint'));
    assert.equal(result.exitCode, 1);
  });

  it('counts a suite whose afterAll threw though all its tests passed', () => {
    const result = summarize({
      steps: [{ name: JEST, status: 'failed', note: '' }],
      postgres: pgUp,
      jest: jestReport([
        suite('ok.test.ts', [test('fine')]),
        suite('teardown.test.ts', [test('passes')], {
          status: 'failed',
          message: '  ● Test suite failed to run\n\n    teardown boom\n',
        }),
      ]),
      repoRoot: '/repo',
    });
    assert.equal(last(result), '2 passed, 1 failed');
    assert.ok(
      result.lines.includes(
        'FAILED jest: teardown.test.ts: suite failed after its tests passed (afterAll or teardown threw): teardown boom',
      ),
      result.lines.join('\n'),
    );
  });

  it('counts a suite that failed to load', () => {
    const result = summarize({
      steps: [{ name: JEST, status: 'failed', note: '' }],
      jest: jestReport([
        suite('broken.test.ts', [], {
          status: 'failed',
          message: 'Cannot find module',
        }),
      ]),
      repoRoot: '/repo',
    });
    assert.equal(last(result), '0 passed, 1 failed');
  });

  it('counts each failed test once, not again as a failed step', () => {
    const result = summarize({
      steps: [{ name: JEST, status: 'failed', note: '' }],
      postgres: pgUp,
      jest: jestReport([
        suite('a.test.ts', [
          test('x'),
          test('y', 'failed'),
          test('z', 'failed'),
        ]),
      ]),
      repoRoot: '/repo',
    });
    assert.equal(last(result), '1 passed, 2 failed');
    assert.ok(result.lines.includes('FAILED jest: a.test.ts › y'));
  });

  it("shows the first lines of a failed test's error, name included, without its stack", () => {
    const result = summarize({
      steps: [{ name: JEST, status: 'failed', note: '' }],
      postgres: pgUp,
      jest: jestReport([
        suite('a.test.ts', [
          {
            ...test('y', 'failed'),
            failureMessages: [
              'Error: \u001b[2mexpect(\u001b[22mreceived).toBe(expected)\n\nExpected: 200\nReceived: 503\n    at Object.toBe (/repo/a.test.ts:5:33)\n    at new Promise (<anonymous>)',
            ],
            failureDetails: [{ matcherResult: { pass: false } }],
          },
        ]),
      ]),
      repoRoot: '/repo',
    });
    const at = result.lines.indexOf('FAILED jest: a.test.ts › y');
    assert.deepEqual(result.lines.slice(at + 1, at + 4), [
      '    Error: expect(received).toBe(expected)',
      '    Expected: 200',
      '    Received: 503',
    ]);
    assert.equal(last(result), '0 passed, 1 failed');
    assert.equal(result.lines.length, at + 5);
  });

  it("says when a failed test's error has an empty message, with its code and address", () => {
    const result = summarize({
      steps: [{ name: JEST, status: 'failed', note: '' }],
      postgres: pgUp,
      jest: jestReport([
        suite('m.test.ts', [
          {
            ...test('syncs on POSTGRES_15', 'failed'),
            failureMessages: [
              'AggregateError [ECONNREFUSED]: \n    at internalConnectMultiple (node:net:1122:18)',
            ],
            failureDetails: [
              { code: 'ECONNREFUSED', address: '::1', port: 5999 },
            ],
          },
          { ...test('no details', 'failed'), failureMessages: [''] },
        ]),
      ]),
      repoRoot: '/repo',
    });
    const at = result.lines.indexOf(
      'FAILED jest: m.test.ts › syncs on POSTGRES_15',
    );
    assert.equal(
      result.lines[at + 1],
      '    AggregateError [ECONNREFUSED]: (empty message; code=ECONNREFUSED address=::1 port=5999)',
    );
    const bare = result.lines.indexOf('FAILED jest: m.test.ts › no details');
    assert.equal(result.lines[bare + 1], '    an error (empty message)');
    assert.equal(last(result), '0 passed, 2 failed');
  });

  it('shows at most a few lines of a long error', () => {
    const long = [
      'Error: many',
      ...Array.from({ length: 20 }, (_, i) => `line ${i}`),
    ];
    const result = summarize({
      steps: [{ name: JEST, status: 'failed', note: '' }],
      postgres: pgUp,
      jest: jestReport([
        suite('a.test.ts', [
          { ...test('y', 'failed'), failureMessages: [long.join('\n')] },
        ]),
      ]),
      repoRoot: '/repo',
    });
    const at = result.lines.indexOf('FAILED jest: a.test.ts › y');
    assert.deepEqual(
      result.lines.slice(at + 1, at + 1 + REASON_LINES + 1),
      [...long.slice(0, REASON_LINES), '…'].map(l => `    ${l}`),
    );
  });

  it('counts a test step that failed without a report', () => {
    const result = summarize({
      steps: [{ name: JEST, status: 'failed', note: '' }],
      jest: null,
    });
    assert.equal(last(result), '0 passed, 1 failed');
    assert.ok(result.lines.includes(`FAILED step failed: ${JEST}`));
  });

  it('shows the database tests per engine', () => {
    const result = summarize({
      steps: okSteps([JEST]),
      postgres: pgUp,
      jest: jestReport([
        suite('store.test.ts', [
          test('stores, SQLITE_3'),
          test('stores, POSTGRES_15'),
          test('on POSTGRES_15 lists'),
          test('on SQLITE_3 lists'),
          test('pure'),
        ]),
      ]),
      repoRoot: '/repo',
    });
    assert.ok(
      result.lines.includes(
        'database tests: 2 on SQLite (SQLITE_3), 2 on PostgreSQL (POSTGRES_15)',
      ),
      result.lines.join('\n'),
    );
    assert.equal(last(result), '5 passed, 0 failed');
  });

  it('counts and explains the PostgreSQL runs skipped locally', () => {
    const result = summarize({
      steps: okSteps([JEST]),
      postgres: parsePostgres(
        'unavailable postgresql://h:5999 nothing answers at postgresql://h:5999 (ECONNREFUSED)',
      ),
      jest: jestReport([
        suite('store.test.ts', [test('a, SQLITE_3'), test('b, SQLITE_3')]),
      ]),
      repoRoot: '/repo',
    });
    assert.match(
      result.lines.join('\n'),
      /2 skipped on PostgreSQL: nothing answers at postgresql:\/\/h:5999 \(ECONNREFUSED\)/,
    );
    assert.equal(last(result), '2 passed, 0 failed, 2 skipped');
    assert.equal(result.exitCode, 0);
  });

  it('fails a strict run without PostgreSQL, naming why', () => {
    const result = summarize({
      steps: parseSteps(
        'PostgreSQL (required under CI=true)\tfailed\t0\tnothing answers at postgresql://127.0.0.1:5999: ECONNREFUSED\n',
      ),
      postgres: parsePostgres(
        'unavailable postgresql://127.0.0.1:5999 nothing answers',
      ),
    });
    assert.equal(last(result), '0 passed, 1 failed');
    assert.match(
      result.lines.join('\n'),
      /FAILED step failed: PostgreSQL \(required under CI=true\) \(nothing answers at postgresql:\/\/127.0.0.1:5999: ECONNREFUSED\)/,
    );
  });

  it('counts missing Chromium as a failure in a strict run and a skip locally', () => {
    const strict = summarize({
      steps: [
        ...okSteps([JEST]),
        { name: 'chromium', status: 'failed', note: '' },
      ],
      jest: jestReport([suite('a.test.ts', [test('a')])]),
      repoRoot: '/repo',
    });
    assert.equal(last(strict), '1 passed, 1 failed');
    const local = summarize({
      steps: [
        ...okSteps([JEST]),
        { name: BROWSER, status: 'skipped', note: 'Chromium is missing' },
      ],
      jest: jestReport([suite('a.test.ts', [test('a')])]),
      repoRoot: '/repo',
    });
    assert.equal(last(local), '1 passed, 0 failed, 1 skipped');
    assert.ok(
      local.lines.includes(`skipped step: ${BROWSER} (Chromium is missing)`),
    );
  });

  it('counts a browser suite whose hook threw, which node does not count', () => {
    const tap = [
      '# Subtest: s',
      '    ok 1 - works',
      'not ok 1 - s',
      '  ---',
      "  type: 'suite'",
      "  failureType: 'hookFailed'",
      "  error: 'after boom'",
      '  ...',
      '# pass 1',
      '# fail 0',
      '# cancelled 0',
    ].join('\n');
    const result = summarize({
      steps: [{ name: BROWSER, status: 'failed', note: '' }],
      tap,
    });
    assert.equal(last(result), '1 passed, 1 failed');
    assert.ok(
      result.lines.includes('FAILED browser: suite s: hookFailed: after boom'),
    );
  });

  it('counts a failed browser test once and names it', () => {
    const tap = [
      'not ok 1 - signs in',
      '  ---',
      "  type: 'test'",
      "  failureType: 'testCodeFailure'",
      "  error: 'no sidebar'",
      '  ...',
      '# pass 2',
      '# fail 1',
      '# cancelled 0',
    ].join('\n');
    const result = summarize({
      steps: [{ name: BROWSER, status: 'failed', note: '' }],
      tap,
    });
    assert.equal(last(result), '2 passed, 1 failed');
    assert.ok(result.lines.includes('FAILED browser: signs in: no sidebar'));
  });

  it('names a browser failure by the first line of a multi-line error', () => {
    const tap = [
      'not ok 1 - signs in',
      '  ---',
      "  type: 'test'",
      '  error: |-',
      '    locator.waitFor: Timeout 60000ms exceeded.',
      '    Call log:',
      '  ...',
      '# pass 0',
      '# fail 1',
    ].join('\n');
    const result = summarize({
      steps: [{ name: BROWSER, status: 'failed', note: '' }],
      tap,
    });
    assert.ok(
      result.lines.includes(
        'FAILED browser: signs in: locator.waitFor: Timeout 60000ms exceeded.',
      ),
      result.lines.join('\n'),
    );
  });

  it("counts the node:test packages' tests next to the browser tests, named apart", () => {
    const nodeTap = [
      'not ok 1 - refreshes tokens',
      '  ---',
      "  type: 'test'",
      "  error: 'invalid_grant'",
      '  ...',
      '# pass 6',
      '# fail 1',
    ].join('\n');
    const result = summarize({
      steps: [
        { name: 'node tests (node:test)', status: 'failed', note: '' },
        { name: BROWSER, status: 'ok', note: '' },
      ],
      nodeTap,
      tap: '# pass 3\n# fail 0\n',
    });
    assert.equal(last(result), '9 passed, 1 failed');
    assert.ok(result.lines.includes('node: 6 passed, 1 failed'));
    assert.ok(result.lines.includes('browser: 3 passed, 0 failed'));
    assert.ok(
      result.lines.includes('FAILED node: refreshes tokens: invalid_grant'),
      result.lines.join('\n'),
    );
  });

  it('counts each group of system tests on its own line, and their failures once', () => {
    const sourceSystemTap = [
      'not ok 1 - two replicas share one key',
      '  ---',
      "  type: 'test'",
      "  error: 'listed through replica B: 404'",
      '  ...',
      '# pass 2',
      '# fail 1',
    ].join('\n');
    const result = summarize({
      steps: [
        {
          name: 'system tests from source (node:test)',
          status: 'failed',
          note: '',
        },
        // Failed before it wrote a report: counted as the step.
        {
          name: 'system tests of the builds (node:test)',
          status: 'failed',
          note: '',
        },
      ],
      sourceSystemTap,
    });
    assert.equal(last(result), '2 passed, 2 failed');
    assert.ok(
      result.lines.includes('system, from source: 2 passed, 1 failed'),
      result.lines.join('\n'),
    );
    assert.ok(
      result.lines.includes(
        'FAILED system, from source: two replicas share one key: listed through replica B: 404',
      ),
      result.lines.join('\n'),
    );
    assert.ok(
      result.lines.includes(
        'FAILED step failed: system tests of the builds (node:test)',
      ),
      result.lines.join('\n'),
    );
  });

  it("counts the published packages' check on its own line, and its failures once", () => {
    const packagesTap = [
      'not ok 6 - declares every package its build imports',
      '  ---',
      "  type: 'test'",
      "  error: 'zod (dist/keys.cjs.js)'",
      '  ...',
      '# pass 42',
      '# fail 1',
    ].join('\n');
    const result = summarize({
      steps: [
        {
          name: 'published packages (node:test)',
          status: 'failed',
          note: '',
        },
      ],
      packagesTap,
    });
    assert.equal(last(result), '42 passed, 1 failed');
    assert.ok(result.lines.includes('packages: 42 passed, 1 failed'));
    assert.ok(
      result.lines.includes(
        'FAILED packages: declares every package its build imports: zod (dist/keys.cjs.js)',
      ),
      result.lines.join('\n'),
    );
  });

  it('fails when no step ran at all', () => {
    assert.equal(last(summarize({ steps: [] })), '0 passed, 1 failed');
  });
});
