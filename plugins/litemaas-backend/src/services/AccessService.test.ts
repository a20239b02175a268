import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  litemaasAuditReadPermission,
  litemaasKeyDeletePermission,
  litemaasKeyReadPermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import { AccessService, Caller, DECISION_TTL_MS } from './AccessService';

const BOB = 'user:default/bob';
const PAYMENTS = 'group:default/payments';

/** The permission service as the routes see it, answering ALLOW or what `next` says. */
function permissionsAnswering() {
  const asked: string[] = [];
  let next: () => Promise<AuthorizeResult> = async () => AuthorizeResult.ALLOW;
  const answer = async (requests: any[]) => {
    asked.push(requests[0].permission.name);
    return [{ result: await next() }];
  };
  const permissions = {
    authorize: answer,
    authorizeConditional: answer,
  } as unknown as PermissionsService;
  // Unconditional decisions never reach a rule: an empty rule set will do.
  const registry = {
    getPermissionRuleset: () => ({ getRuleByName: () => undefined }),
  } as unknown as PermissionsRegistryService;
  return {
    asked,
    permissions,
    registry,
    answer: (f: () => Promise<AuthorizeResult>) => {
      next = f;
    },
  };
}

const caller = (ownershipRefs: string[]): Caller => ({
  credentials: {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef: BOB },
  } as BackstageCredentials<BackstageUserPrincipal>,
  userRef: BOB,
  ownershipRefs,
});

const key = { ownerRef: BOB, teamRef: null };

/** The plugin's cache on the in-memory store, as the portal's development config has it. */
const pluginCache = () =>
  CacheManager.fromConfig(mockServices.rootConfig()).forPlugin('litemaas');

describe('AccessService key decisions', () => {
  afterEach(() => jest.useRealTimers());

  it('asks the policy once per user, groups and permission within the reuse time, then again', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-12-01T10:00:00Z') });
    const p = permissionsAnswering();
    const access = new AccessService(p.permissions, p.registry, pluginCache());
    const bob = caller([BOB, PAYMENTS]);

    expect(await access.canOnKey(bob, litemaasKeyReadPermission, key)).toBe(
      true,
    );
    // The same person with the same groups, in another order: the same question.
    const filter = await access.keyFilter(
      caller([PAYMENTS, BOB]),
      litemaasKeyReadPermission,
    );
    expect(filter(key)).toBe(true);
    expect(p.asked).toEqual(['litemaas.key.read']);

    // Another permission, or other groups, are other questions.
    await access.canOnKey(bob, litemaasKeyDeletePermission, key);
    await access.canOnKey(caller([BOB]), litemaasKeyReadPermission, key);
    expect(p.asked).toHaveLength(3);

    // Once the reuse time is over the policy decides again, and its new answer counts.
    p.answer(async () => AuthorizeResult.DENY);
    jest.advanceTimersByTime(DECISION_TTL_MS - 1);
    expect(await access.canOnKey(bob, litemaasKeyReadPermission, key)).toBe(
      true,
    );
    // The store drops an entry once its time is over (strictly after it).
    jest.advanceTimersByTime(2);
    expect(await access.canOnKey(bob, litemaasKeyReadPermission, key)).toBe(
      false,
    );
    expect(p.asked).toHaveLength(4);
  });

  it('shares a decision between replicas on one cache store', async () => {
    const p = permissionsAnswering();
    const shared = pluginCache();
    const [a, b] = [
      new AccessService(p.permissions, p.registry, shared),
      new AccessService(p.permissions, p.registry, shared),
    ];
    await a.canOnKey(caller([BOB]), litemaasKeyReadPermission, key);
    expect(
      await b.canOnKey(caller([BOB]), litemaasKeyReadPermission, key),
    ).toBe(true);
    expect(p.asked).toEqual(['litemaas.key.read']);
  });

  it('does not remember a failed question', async () => {
    const p = permissionsAnswering();
    const access = new AccessService(p.permissions, p.registry, pluginCache());
    p.answer(async () => {
      throw new Error('ECONNRESET');
    });
    await expect(
      access.canOnKey(caller([BOB]), litemaasKeyReadPermission, key),
    ).rejects.toThrow('ECONNRESET');
    p.answer(async () => AuthorizeResult.ALLOW);
    await expect(
      access.canOnKey(caller([BOB]), litemaasKeyReadPermission, key),
    ).resolves.toBe(true);
    expect(p.asked).toHaveLength(2);
  });

  it("keeps an admin permission's yes or no as long, per user, groups and permission", async () => {
    jest.useFakeTimers({ now: Date.parse('2026-12-01T10:00:00Z') });
    const p = permissionsAnswering();
    const access = new AccessService(p.permissions, p.registry, pluginCache());
    const bob = caller([BOB, PAYMENTS]);

    await expect(
      access.require(bob, litemaasAuditReadPermission),
    ).resolves.toBeUndefined();
    expect(
      await access.isAllowed(
        caller([PAYMENTS, BOB]),
        litemaasAuditReadPermission,
      ),
    ).toBe(true);
    expect(p.asked).toEqual(['litemaas.audit.read']);
    // Other groups are another question, and its denial is kept as long.
    p.answer(async () => AuthorizeResult.DENY);
    await expect(
      access.require(caller([BOB]), litemaasAuditReadPermission),
    ).rejects.toThrow('You are not allowed to do this (litemaas.audit.read)');
    p.answer(async () => AuthorizeResult.ALLOW);
    expect(
      await access.isAllowed(caller([BOB]), litemaasAuditReadPermission),
    ).toBe(false);
    expect(p.asked).toHaveLength(2);

    // Once the reuse time is over the policy decides again.
    p.answer(async () => AuthorizeResult.DENY);
    jest.advanceTimersByTime(DECISION_TTL_MS + 1);
    await expect(
      access.require(bob, litemaasAuditReadPermission),
    ).rejects.toThrow(/not allowed/);
    expect(p.asked).toHaveLength(3);
  });
});
