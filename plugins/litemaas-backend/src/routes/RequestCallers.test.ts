import {
  BackstageCredentials,
  BackstageUserInfo,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { RequestCallers, USER_INFO_TTL_MS } from './RequestCallers';
import { AnyRequest } from './request';

/** The auth backend's /v1/userinfo, counted: what each user's last sign-in resolved. */
function countingUserInfo(groups: Record<string, string[]>) {
  const asked: string[] = [];
  let failNext = false;
  const service: UserInfoService = {
    async getUserInfo(credentials: BackstageCredentials) {
      const user = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      asked.push(user);
      if (failNext) {
        failNext = false;
        throw new Error('auth backend unavailable');
      }
      return {
        userEntityRef: user,
        ownershipEntityRefs: [user, ...groups[user]],
      } satisfies BackstageUserInfo;
    },
  };
  return {
    service,
    asked,
    failOnce: () => {
      failNext = true;
    },
  };
}

/** A request whose (already verified) token is this user's. */
const requestOf = (user: string) => ({ user } as unknown as AnyRequest);
const httpAuth = {
  credentials: async (req: { user: string }) => mockCredentials.user(req.user),
} as unknown as HttpAuthService;

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const GROUPS = {
  [ALICE]: ['group:default/Platform'],
  [BOB]: ['group:default/payments'],
};

describe('RequestCallers', () => {
  afterEach(() => jest.useRealTimers());

  const callersOn = (
    userInfo: UserInfoService,
    cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'litemaas',
    ),
  ) =>
    new RequestCallers(httpAuth, userInfo, mockServices.auditor.mock(), cache);

  it('asks who a user is once per user while it is fresh, on every replica of one cache store', async () => {
    const userInfo = countingUserInfo(GROUPS);
    const cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'litemaas',
    );
    const replicaA = callersOn(userInfo.service, cache);
    const replicaB = callersOn(userInfo.service, cache);

    const first = await replicaA.caller(requestOf(ALICE));
    const again = await replicaB.caller(requestOf(ALICE));
    const bob = await replicaA.caller(requestOf(BOB));

    expect(userInfo.asked).toEqual([ALICE, BOB]);
    expect(first.userRef).toBe(ALICE);
    expect(first.ownershipRefs).toEqual([ALICE, 'group:default/platform']);
    expect(again.ownershipRefs).toEqual(first.ownershipRefs);
    expect(bob.ownershipRefs).toEqual([BOB, 'group:default/payments']);
  });

  it('asks again once the answer is older than USER_INFO_TTL_MS', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') });
    const userInfo = countingUserInfo(GROUPS);
    const callers = callersOn(userInfo.service);

    await callers.caller(requestOf(ALICE));
    jest.setSystemTime(Date.now() + USER_INFO_TTL_MS - 1_000);
    await callers.caller(requestOf(ALICE));
    expect(userInfo.asked).toEqual([ALICE]);

    jest.setSystemTime(Date.now() + 2_000);
    await callers.caller(requestOf(ALICE));
    expect(userInfo.asked).toEqual([ALICE, ALICE]);
  });

  it('keeps no failure: the next request asks again', async () => {
    const userInfo = countingUserInfo(GROUPS);
    const callers = callersOn(userInfo.service);
    userInfo.failOnce();

    await expect(callers.caller(requestOf(ALICE))).rejects.toThrow(
      'auth backend unavailable',
    );
    const caller = await callers.caller(requestOf(ALICE));

    expect(caller.ownershipRefs).toEqual([ALICE, 'group:default/platform']);
    expect(userInfo.asked).toEqual([ALICE, ALICE]);
  });
});
