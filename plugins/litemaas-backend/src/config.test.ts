import { mockServices } from '@backstage/backend-test-utils';
import { readLiteMaaSSettings } from './config';

const litellm = { baseUrl: 'http://litellm:4000/', masterKey: 'sk-test' };
const read = (litemaas: Record<string, unknown>) =>
  readLiteMaaSSettings(
    mockServices.rootConfig({ data: { litemaas: { litellm, ...litemaas } } }),
  );

describe('readLiteMaaSSettings', () => {
  it('reads every setting once, with the documented defaults', () => {
    const settings = read({});
    expect(settings).toEqual({
      litellm: {
        baseUrl: 'http://litellm:4000/',
        masterKey: 'sk-test',
        retry: {},
      },
      publicBaseUrl: 'http://litellm:4000',
      currency: 'USD',
      keyDefaults: {},
      keyMaximums: {},
      keyBudgetPeriods: { min: '1d', max: '30d' },
      rotationMaxGraceSeconds: 86400,
      userDefaults: {},
      defaultTeamId: 'litemaas-default',
      reveal: { encryptionKey: undefined, ttlSeconds: 900 },
      usage: {
        backfillDays: 365,
        finalizeAfterMs: 2 * 3600_000,
        windowDays: 7,
        pageSize: 1000,
        pageConcurrency: 3,
      },
      notifications: {
        enabled: true,
        adminRecipients: [],
        keyExpiryWarningDays: 7,
        decisionLookbackMs: 86_400_000,
        linkBase: '/litemaas',
      },
    });
  });

  it('takes configured values, in their units', () => {
    const settings = read({
      publicBaseUrl: 'https://llm.example.com/v1/',
      keys: {
        defaults: { maxBudget: 5, budgetDuration: '7d', keysPerOwner: 3 },
        maximums: { maxBudget: 50, keysPerOwner: 4 },
      },
      users: { defaults: { tpmLimit: 100, expiresInDays: 9 } },
      reveal: { encryptionKey: 'a-passphrase-of-16+', ttlSeconds: 60 },
      usage: { finalizeAfterMinutes: 0, pageSize: 5000, windowDays: 7 },
      notifications: { enabled: false, adminRecipients: ['group:ops'] },
    });
    expect(settings.publicBaseUrl).toBe('https://llm.example.com/v1');
    // keysPerOwner is a maximum only; expiresInDays means nothing for users.
    expect(settings.keyDefaults).toEqual({
      maxBudget: 5,
      budgetDuration: '7d',
    });
    expect(settings.keyMaximums).toEqual({ maxBudget: 50, keysPerOwner: 4 });
    expect(settings.userDefaults).toEqual({ tpmLimit: 100 });
    expect(settings.reveal).toEqual({
      encryptionKey: 'a-passphrase-of-16+',
      ttlSeconds: 60,
    });
    // LiteLLM pages hold at most 1000 rows.
    expect(settings.usage).toMatchObject({
      finalizeAfterMs: 0,
      pageSize: 1000,
      windowDays: 7,
    });
    expect(settings.notifications).toMatchObject({
      enabled: false,
      adminRecipients: ['group:ops'],
    });
  });

  it("takes the LiteLLM client's retry policy, leaving unset parts to the client", () => {
    const retry = (r: Record<string, unknown>) =>
      read({ litellm: { ...litellm, retry: r } }).litellm.retry;
    expect(retry({ maxAttempts: 1 })).toEqual({ maxAttempts: 1 });
    expect(retry({ baseDelayMs: 0, maxDelayMs: 500 })).toEqual({
      baseDelayMs: 0,
      maxDelayMs: 500,
    });
  });

  it.each([
    [
      { litellm: { ...litellm, retry: { maxAttempts: 0 } } },
      'litemaas.litellm.retry.maxAttempts must be greater than 0, got 0',
    ],
    [
      { litellm: { ...litellm, retry: { baseDelayMs: -5 } } },
      'litemaas.litellm.retry.baseDelayMs must not be negative, got -5',
    ],
    [
      { keys: { defaults: { maxBudget: -1 } } },
      'litemaas.keys.defaults.maxBudget must be greater than 0, got -1',
    ],
    [
      { keys: { maximums: { tpmLimit: 1.5 } } },
      'litemaas.keys.maximums.tpmLimit must be a whole number, got 1.5',
    ],
    [
      { keys: { defaults: { maxBudget: 20 }, maximums: { maxBudget: 10 } } },
      'litemaas.keys.defaults.maxBudget (20) exceeds litemaas.keys.maximums.maxBudget (10)',
    ],
    [
      { keys: { maximums: { budgetDuration: 'monthly' } } },
      'litemaas.keys.maximums.budgetDuration must be a LiteLLM duration such as 1d, 7d, 30d or 1mo, got "monthly"',
    ],
    [
      { keys: { minimums: { budgetDuration: '60d' } } },
      'litemaas.keys.minimums.budgetDuration (60d) is longer than litemaas.keys.maximums.budgetDuration (30d)',
    ],
    [
      { keys: { defaults: { budgetDuration: '1h' } } },
      'litemaas.keys.defaults.budgetDuration (1h) must be a duration from 1d to 30d',
    ],
    [
      { reveal: { ttlSeconds: 10 } },
      'litemaas.reveal.ttlSeconds must be between 30 and 86400, got 10',
    ],
    [
      { reveal: { encryptionKey: 'short' } },
      'litemaas.reveal.encryptionKey must be at least 16 characters, got "short"',
    ],
    [
      { usage: { windowDays: 0 } },
      'litemaas.usage.windowDays must be greater than 0, got 0',
    ],
    [
      { notifications: { keyExpiryWarningDays: -2 } },
      'litemaas.notifications.keyExpiryWarningDays must not be negative, got -2',
    ],
    [
      { publicBaseUrl: 'llm.example.com' },
      'litemaas.publicBaseUrl must be a URL such as https://llm.example.com, got "llm.example.com"',
    ],
  ])('refuses %j with a message naming the key', (litemaas, message) => {
    expect(() => read(litemaas)).toThrow(
      `Invalid LiteMaaS configuration: ${message}`,
    );
  });

  it('lists every bad value at once', () => {
    expect(() => read({ usage: { backfillDays: -1, pageSize: 0 } })).toThrow(
      'Invalid LiteMaaS configuration: litemaas.usage.backfillDays must be greater than 0, got -1; litemaas.usage.pageSize must be greater than 0, got 0',
    );
  });

  it('leaves wrong types to the config reader, which names the key', () => {
    expect(() => read({ usage: { pageSize: 'many' } })).toThrow(
      /litemaas\.usage\.pageSize/,
    );
  });
});
