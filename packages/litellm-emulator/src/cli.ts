/*
 * CLI of the LiteLLM emulator. Runs TypeScript directly, no build step:
 *   node --require @backstage/cli/config/nodeTransform.cjs src/cli.ts --port 4000
 * or, from the repo root: yarn workspace @litemaas/litellm-emulator start --port 4000
 */
import { parseArgs } from 'node:util';
import { DEFAULT_MASTER_KEY, startEmulator } from './server';
import type { EmulatorBehaviour } from './types';

const HELP = `Usage: litellm-emulator [options]

  --port <n>                       port (default 4000, 0 = random)
  --host <addr>                    bind address (default 127.0.0.1)
  --master-key <key>               master key (default: $LITELLM_MASTER_KEY, else sk-dev-master-key)
  --models <file>                  JSON model list (default: built-in set)
  --clock <iso>                    start the emulated clock at this time (then it runs forward)
  --legacy                         all [old] behaviours at once
  --user-info-unknown <404|empty200>
  --budget-exceeded-status <429|400>
  --regenerate <enabled|enterprise500>
  --model-not-allowed-status <403|401>
  --expired-key-status <401|400>
  --error-code <string|number>
  --duplicate-user <409|upsert>
  --budget-reset <calendar|rolling>
  --premium                        enterprise features on (team admins, key tags, model_max_budget)
  --no-team-admin-member           /team/new does not add default_user_id as admin
  --usage <estimate|fixed>         token usage of mock answers (chars/4, or 10/20/30)
  --spend-lag-ms <n>               delay before spend lands in key/user/team totals
  --max-spend-rows <n>             spend-log rows retained in memory (default 2000000)
  --stream-delay-ms <n>            delay between streamed chunks
  -h, --help
`;

function fail(message: string): never {
  process.stderr.write(`litellm-emulator: ${message}\n\n${HELP}`);
  process.exit(2);
}

function oneOf<T extends string | number>(
  name: string,
  value: string | undefined,
  allowed: T[],
): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find(a => String(a) === value);
  if (found === undefined)
    fail(`--${name} must be one of ${allowed.join(', ')}`);
  return found;
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    fail(`--${name} must be a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'master-key': { type: 'string' },
        models: { type: 'string' },
        clock: { type: 'string' },
        legacy: { type: 'boolean' },
        'user-info-unknown': { type: 'string' },
        'budget-exceeded-status': { type: 'string' },
        regenerate: { type: 'string' },
        'model-not-allowed-status': { type: 'string' },
        'expired-key-status': { type: 'string' },
        'error-code': { type: 'string' },
        'duplicate-user': { type: 'string' },
        'budget-reset': { type: 'string' },
        premium: { type: 'boolean' },
        'no-team-admin-member': { type: 'boolean' },
        usage: { type: 'string' },
        'spend-lag-ms': { type: 'string' },
        'max-spend-rows': { type: 'string' },
        'stream-delay-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(HELP);
    return;
  }

  const behaviour: Partial<EmulatorBehaviour> = v.legacy
    ? {
        userInfoUnknown: 'empty200',
        budgetExceededStatus: 400,
        regenerate: 'enterprise500',
        modelNotAllowedStatus: 401,
        expiredKeyStatus: 400,
        errorCodeType: 'number',
        duplicateUser: 'upsert',
        budgetResetAlignment: 'rolling',
      }
    : {};
  const set = <K extends keyof EmulatorBehaviour>(
    k: K,
    value: EmulatorBehaviour[K] | undefined,
  ) => {
    if (value !== undefined) behaviour[k] = value;
  };
  set(
    'userInfoUnknown',
    oneOf('user-info-unknown', v['user-info-unknown'], [
      '404',
      'empty200',
    ] as const as Array<'404' | 'empty200'>),
  );
  set(
    'budgetExceededStatus',
    oneOf('budget-exceeded-status', v['budget-exceeded-status'], [
      429, 400,
    ] as Array<429 | 400>),
  );
  set(
    'regenerate',
    oneOf('regenerate', v.regenerate, ['enabled', 'enterprise500'] as Array<
      'enabled' | 'enterprise500'
    >),
  );
  set(
    'modelNotAllowedStatus',
    oneOf('model-not-allowed-status', v['model-not-allowed-status'], [
      403, 401,
    ] as Array<403 | 401>),
  );
  set(
    'expiredKeyStatus',
    oneOf('expired-key-status', v['expired-key-status'], [401, 400] as Array<
      401 | 400
    >),
  );
  set(
    'errorCodeType',
    oneOf('error-code', v['error-code'], ['string', 'number'] as Array<
      'string' | 'number'
    >),
  );
  set(
    'duplicateUser',
    oneOf('duplicate-user', v['duplicate-user'], ['409', 'upsert'] as Array<
      '409' | 'upsert'
    >),
  );
  set(
    'budgetResetAlignment',
    oneOf('budget-reset', v['budget-reset'], ['calendar', 'rolling'] as Array<
      'calendar' | 'rolling'
    >),
  );
  set(
    'usage',
    oneOf('usage', v.usage, ['estimate', 'fixed'] as Array<
      'estimate' | 'fixed'
    >),
  );
  set('spendWriteLagMs', int('spend-lag-ms', v['spend-lag-ms']));
  set('maxSpendLogRows', int('max-spend-rows', v['max-spend-rows']));
  set('streamChunkDelayMs', int('stream-delay-ms', v['stream-delay-ms']));
  if (v.premium) behaviour.premium = true;
  if (v['no-team-admin-member']) behaviour.teamNewAddsCallerAsAdmin = false;

  let masterKey: string;
  let masterKeySource: string;
  if (v['master-key']) {
    masterKey = v['master-key'];
    masterKeySource = '--master-key flag';
  } else if (process.env.LITELLM_MASTER_KEY) {
    masterKey = process.env.LITELLM_MASTER_KEY;
    masterKeySource = 'LITELLM_MASTER_KEY environment variable';
  } else {
    masterKey = DEFAULT_MASTER_KEY;
    masterKeySource = 'built-in development default';
  }

  let now: (() => Date) | undefined;
  if (v.clock) {
    const start = Date.parse(v.clock);
    if (!Number.isFinite(start)) fail('--clock must be an ISO date-time');
    const t0 = Date.now();
    now = () => new Date(start + (Date.now() - t0));
  }

  const port = v.port === undefined ? 4000 : int('port', v.port);
  const emulator = await startEmulator({
    port,
    host: v.host,
    masterKey,
    modelsFile: v.models,
    now,
    behaviour,
  });
  process.stdout.write(
    `LiteLLM emulator listening on ${emulator.url} (master key from ${masterKeySource}; ${emulator.state.models.length} models)\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => {
        process.stdout.write(`LiteLLM emulator stopped (${signal})\n`);
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(e => {
  process.stderr.write(`litellm-emulator: ${(e as Error).message}\n`);
  process.exit(1);
});
