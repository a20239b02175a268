import { ServiceUnavailableError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../testUtils';
import { createStores } from '../database';
import { AccessService } from './AccessService';
import { AuditService } from './AuditService';
import type { KeyModelRevoker } from '../keys/KeyModelRevoker';
import { SubscriptionService } from './SubscriptionService';
import { UserService } from './UserService';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const GRANITE = 'ibm-granite/granite-3.1-8b-instruct';
const HOUR = 3_600_000;

describe('SubscriptionService.expireDue (the litemaas-subscription-expiry job)', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  /** The job's service on the backend's database, with a recording revoker. */
  function jobService(
    b: LiteMaaSTestBackend,
    revoker: Pick<KeyModelRevoker, 'removeModelFromSubjectKeys'>,
  ) {
    const stores = createStores(b.knex);
    const auditor = mockServices.auditor.mock({
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    });
    const logger = mockServices.logger.mock();
    const service = new SubscriptionService({
      subscriptions: stores.subscriptions,
      models: stores.models,
      // Not used by the job.
      users: {} as UserService,
      access: {} as AccessService,
      audit: new AuditService(stores.audit, auditor, logger),
      revoker: {
        ...revoker,
        removeModelFromKeysOf: async () => {
          throw new Error('not used by the job');
        },
      },
      logger,
    });
    return { service, logger };
  }

  it.each(databases.eachSupportedId())(
    'expires time-limited grants once their time has come and takes the model out of keys on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const b = backend;
      const as = (user: string) => ({ Authorization: b.as(user) });
      await request(b.server)
        .post('/api/litemaas/admin/models/sync')
        .set(as(ALICE));
      await request(b.server)
        .patch(`/api/litemaas/admin/models/${GRANITE}`)
        .set(as(ALICE))
        .send({ restricted: true });
      const asked = await request(b.server)
        .post('/api/litemaas/subscriptions')
        .set(as(BOB))
        .send({ modelId: GRANITE, justification: 'one week trial' });
      const id = asked.body.id;

      const past = await request(b.server)
        .post(`/api/litemaas/admin/subscriptions/${id}/approve`)
        .set(as(ALICE))
        .send({ expiresAt: new Date(Date.now() - 1000).toISOString() });
      expect(past.status).toBe(400);
      const expiresAt = new Date(Date.now() + HOUR).toISOString();
      const approved = await request(b.server)
        .post(`/api/litemaas/admin/subscriptions/${id}/approve`)
        .set(as(ALICE))
        .send({ expiresAt });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'active', expiresAt });
      // An open-ended grant never expires.
      const open = await request(b.server)
        .post('/api/litemaas/subscriptions')
        .set(as(BOB))
        .send({ modelId: 'gpt-4o' });
      expect(open.body.status).toBe('active');

      const removed: unknown[] = [];
      const { service } = jobService(b, {
        async removeModelFromSubjectKeys(input) {
          removed.push(input);
          return { updatedKeyIds: ['k1'], blockedKeyIds: [] };
        },
      });

      expect(await service.expireDue(new Date())).toBe(0);
      expect(removed).toEqual([]);

      expect(await service.expireDue(new Date(Date.now() + 2 * HOUR))).toBe(1);
      expect(removed).toEqual([
        {
          subjectRef: BOB,
          modelId: GRANITE,
          actorRef: 'plugin:litemaas',
          reason: 'subscription expired',
        },
      ]);
      const after = await request(b.server)
        .get(`/api/litemaas/subscriptions/${id}`)
        .set(as(BOB));
      expect(after.body.status).toBe('expired');
      expect(
        after.body.history.map((h: any) => `${h.fromStatus}>${h.toStatus}`),
      ).toEqual(['null>pending', 'pending>active', 'active>expired']);
      const openAfter = await request(b.server)
        .get(`/api/litemaas/subscriptions/${open.body.id}`)
        .set(as(BOB));
      expect(openAfter.body.status).toBe('active');

      // Running again finds nothing more to do.
      expect(await service.expireDue(new Date(Date.now() + 2 * HOUR))).toBe(0);
      expect(removed).toHaveLength(1);

      const audit = await request(b.server)
        .get('/api/litemaas/admin/audit?action=subscription.expire')
        .set(as(ALICE));
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          actorRef: 'plugin:litemaas',
          targetId: id,
          outcome: 'success',
        }),
      ]);

      // Asking again for the restricted model is a new request, not a silent renewal.
      const renewed = await request(b.server)
        .post('/api/litemaas/subscriptions')
        .set(as(BOB))
        .send({ modelId: GRANITE, justification: 'one more week' });
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({ id, status: 'pending' });
    },
  );

  it('ends a grant even when its model cannot be taken out of keys yet, and says so', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    const b = backend;
    await request(b.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', b.as(ALICE));
    await request(b.server)
      .patch(`/api/litemaas/admin/models/${GRANITE}`)
      .set('Authorization', b.as(ALICE))
      .send({ restricted: true });
    const asked = await request(b.server)
      .post('/api/litemaas/subscriptions')
      .set('Authorization', b.as(BOB))
      .send({ modelId: GRANITE });
    await request(b.server)
      .post(`/api/litemaas/admin/subscriptions/${asked.body.id}/approve`)
      .set('Authorization', b.as(ALICE))
      .send({ expiresAt: new Date(Date.now() + HOUR).toISOString() });

    const { service, logger } = jobService(b, {
      async removeModelFromSubjectKeys() {
        throw new ServiceUnavailableError('LiteLLM is down');
      },
    });
    const later = new Date(Date.now() + 2 * HOUR);
    // The grant ends first, whatever the keys: a key being created meanwhile sees it.
    expect(await service.expireDue(later)).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        new RegExp(
          `${asked.body.id} expired, but its model is still in some keys`,
        ),
      ),
    );
    const expired = await b
      .knex('litemaas_subscriptions')
      .where({ id: asked.body.id })
      .first();
    expect(expired.status).toBe('expired');
  });
});
