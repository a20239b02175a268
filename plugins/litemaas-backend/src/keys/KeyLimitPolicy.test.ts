import { ConflictError, InputError } from '@backstage/errors';
import { durationUntil, KeyLimitPolicy } from './KeyLimitPolicy';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;

type Settings = ConstructorParameters<typeof KeyLimitPolicy>[0];

function policy(
  keyDefaults: Settings['keyDefaults'],
  keyMaximums: Settings['keyMaximums'],
  userDefaults: Settings['userDefaults'] = {},
) {
  return new KeyLimitPolicy(
    {
      keyDefaults,
      keyMaximums,
      keyBudgetPeriods: { min: '1d', max: '30d' },
      userDefaults,
    },
    () => NOW,
  );
}

describe('KeyLimitPolicy', () => {
  it('fills a new key from the request, else the default, else the maximum', () => {
    const limits = policy(
      { maxBudget: 5, budgetDuration: '30d', expiresInDays: 10 },
      { maxBudget: 50, tpmLimit: 1000, rpmLimit: 60 },
    ).forCreate({ name: 'k', models: ['m'], rpmLimit: 30 });
    expect(limits).toEqual({
      maxBudget: 5,
      budgetDuration: '30d',
      tpmLimit: 1000,
      rpmLimit: 30,
      expiresAt: new Date(NOW.getTime() + 10 * DAY),
    });
    expect(policy({}, {}).forCreate({ name: 'k', models: ['m'] })).toEqual({
      maxBudget: null,
      budgetDuration: null,
      tpmLimit: null,
      rpmLimit: null,
      expiresAt: null,
    });
  });

  it('refuses limits above the maximums and expiries out of range', () => {
    const p = policy({}, { maxBudget: 50, expiresInDays: 30 });
    expect(() =>
      p.forCreate({ name: 'k', models: ['m'], maxBudget: 51 }),
    ).toThrow(
      new InputError(
        'maxBudget 51 is above the maximum of 50 an administrator allows',
      ),
    );
    expect(() =>
      p.forCreate({
        name: 'k',
        models: ['m'],
        expiresAt: new Date(NOW.getTime() + 31 * DAY).toISOString(),
      }),
    ).toThrow(/within 30 days/);
    expect(() =>
      p.forCreate({
        name: 'k',
        models: ['m'],
        expiresAt: new Date(NOW.getTime() + 30_000).toISOString(),
      }),
    ).toThrow(/at least a minute in the future/);
  });

  it('changes only what a patch names, and never removes a bounded limit', () => {
    const p = policy({}, { maxBudget: 50, expiresInDays: 30 });
    const key = { createdAt: NOW.toISOString() };
    expect(p.forPatch({ tpmLimit: 10 }, key)).toEqual({ tpmLimit: 10 });
    expect(p.forPatch({ tpmLimit: null, budgetDuration: '7d' }, key)).toEqual({
      tpmLimit: null,
      budgetDuration: '7d',
    });
    expect(() => p.forPatch({ maxBudget: null }, key)).toThrow(
      /maxBudget cannot be removed/,
    );
    expect(() => p.forPatch({ expiresAt: null }, key)).toThrow(
      /expiresAt cannot be removed/,
    );
  });

  it("measures the longest lifetime from the key's creation", () => {
    const p = policy({}, { expiresInDays: 30 });
    const twentyDaysOld = {
      createdAt: new Date(NOW.getTime() - 20 * DAY).toISOString(),
    };
    const inDays = (days: number) =>
      new Date(NOW.getTime() + days * DAY).toISOString();
    expect(() => p.forPatch({ expiresAt: inDays(11) }, twentyDaysOld)).toThrow(
      /within 30 days of the key's creation/,
    );
    expect(
      p.forPatch({ expiresAt: inDays(9) }, twentyDaysOld).expiresAt,
    ).toEqual(new Date(inDays(9)));
  });

  it('bounds how many keys an owner holds: the user override first', () => {
    const p = policy({}, { keysPerOwner: 3 });
    expect(p.maxKeys()).toBe(3);
    expect(p.maxKeys(5)).toBe(5);
    expect(policy({}, {}).maxKeys()).toBeUndefined();
    expect(() =>
      p.assertMayHoldAnother('user:default/bob', 2, 3),
    ).not.toThrow();
    expect(() => p.assertMayHoldAnother('user:default/bob', 3, 3)).toThrow(
      ConflictError,
    );
  });

  it('keeps budget periods between the minimum and the maximum', () => {
    const p = policy({}, {});
    const create = (budgetDuration: string) =>
      p.forCreate({ name: 'k', models: ['m'], budgetDuration });
    expect(create('1d').budgetDuration).toBe('1d');
    expect(create('1mo').budgetDuration).toBe('1mo');
    expect(() => create('86399s')).toThrow(/shorter than the minimum of 1d/);
    expect(() => create('31d')).toThrow(/longer than the maximum of 30d/);
    const key = { createdAt: NOW.toISOString() };
    expect(() => p.forPatch({ budgetDuration: '1s' }, key)).toThrow(/minimum/);
    expect(p.forPatch({ budgetDuration: null }, key)).toEqual({
      budgetDuration: null,
    });
  });

  it('bounds a team key by its creator’s own limits, else the user defaults', () => {
    const p = policy({ maxBudget: 20 }, { maxBudget: 100 }, { rpmLimit: 10 });
    const creator = { maxBudget: 5, tpmLimit: null, rpmLimit: null };
    // Left out: the default (20) is above the creator's 5, so 5; no rpm: the user default.
    expect(p.forCreate({ name: 'k', models: ['m'] }, creator)).toMatchObject({
      maxBudget: 5,
      tpmLimit: null,
      rpmLimit: 10,
    });
    expect(
      p.forCreate({ name: 'k', models: ['m'], maxBudget: 3 }, creator),
    ).toMatchObject({ maxBudget: 3 });
    expect(() =>
      p.forCreate({ name: 'k', models: ['m'], maxBudget: 6 }, creator),
    ).toThrow(/maxBudget 6 is above your own limit of 5/);
    const key = { createdAt: NOW.toISOString() };
    expect(() => p.forPatch({ rpmLimit: null }, key, creator)).toThrow(
      /rpmLimit unlimited is above your own limit of 10/,
    );
    expect(p.forPatch({ maxBudget: 4 }, key, creator)).toEqual({
      maxBudget: 4,
    });
    // Without a creator (a key of one's own) only the maximums apply.
    expect(p.forCreate({ name: 'k', models: ['m'] })).toMatchObject({
      maxBudget: 20,
      rpmLimit: null,
    });
  });

  it('turns an expiry into a LiteLLM duration of at least a second', () => {
    expect(durationUntil(new Date(NOW.getTime() + 90_500), NOW)).toBe('91s');
    expect(durationUntil(new Date(NOW.getTime() - 5000), NOW)).toBe('1s');
  });
});
