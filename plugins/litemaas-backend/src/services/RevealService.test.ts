import { mockServices } from '@backstage/backend-test-utils';
import { randomBytes } from 'node:crypto';
import { applyDatabaseMigrations } from '../database/migrations';
import { createTestDatabases } from '../testUtils';
import { RevealService } from './RevealService';

jest.setTimeout(60_000);

describe('RevealService', () => {
  const databases = createTestDatabases();
  const bob = {
    userRef: 'user:default/bob',
    ownershipRefs: ['user:default/bob', 'group:default/payments'],
  };
  const carol = {
    userRef: 'user:default/carol',
    ownershipRefs: ['user:default/carol', 'group:default/payments'],
  };
  const mallory = {
    userRef: 'user:default/mallory',
    ownershipRefs: ['user:default/mallory'],
  };

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    let now = new Date('2026-11-26T10:00:00Z');
    const service = new RevealService(
      knex,
      'test-encryption-key',
      600,
      () => now,
    );
    return {
      knex,
      service,
      advance: (s: number) => {
        now = new Date(now.getTime() + s * 1000);
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'reveals once to the initiator, keeps only ciphertext meanwhile, on %p',
    async databaseId => {
      const { knex, service } = await setup(databaseId);
      const secret = `sk-${randomBytes(16).toString('base64url')}`;
      const ticket = await service.create({
        keyId: 'k1',
        secret,
        initiatorRef: bob.userRef,
      });

      const stored = JSON.stringify(await knex('litemaas_reveals').select());
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(ticket.token);

      await expect(service.reveal(ticket.token, mallory)).rejects.toThrow(
        /does not exist/,
      );
      await expect(service.reveal(ticket.token, bob)).resolves.toEqual({
        keyId: 'k1',
        secret,
      });
      await expect(service.reveal(ticket.token, bob)).rejects.toThrow(
        /does not exist/,
      );
      expect(
        Number((await knex('litemaas_reveals').count({ n: '*' }))[0].n),
      ).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets a member of the audience group reveal, exactly once under concurrency, on %p',
    async databaseId => {
      const { service } = await setup(databaseId);
      const ticket = await service.create({
        keyId: 'k2',
        secret: 'sk-x',
        initiatorRef: bob.userRef,
        audienceRef: 'group:default/payments',
      });
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => service.reveal(ticket.token, carol)),
      );
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    },
  );

  it('refuses and deletes an expired reveal, and purges expired ones', async () => {
    const { knex, service, advance } = await setup('SQLITE_3');
    const a = await service.create({
      keyId: 'a',
      secret: 'sk-a',
      initiatorRef: bob.userRef,
    });
    await service.create({
      keyId: 'b',
      secret: 'sk-b',
      initiatorRef: bob.userRef,
    });
    advance(601);
    await expect(service.reveal(a.token, bob)).rejects.toThrow(/expired/);
    expect(await service.purgeExpired()).toBe(1);
    expect(await knex('litemaas_reveals').select()).toEqual([]);
  });

  it('cannot decrypt with another encryption key', async () => {
    const { knex, service } = await setup('SQLITE_3');
    const ticket = await service.create({
      keyId: 'c',
      secret: 'sk-c',
      initiatorRef: bob.userRef,
    });
    const other = new RevealService(knex, 'another-key', 600);
    await expect(other.reveal(ticket.token, bob)).rejects.toThrow();
  });
});
