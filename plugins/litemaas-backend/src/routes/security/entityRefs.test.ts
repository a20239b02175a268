import { TEST_USERS } from '../../testUtils';
import {
  ALICE,
  BOB,
  MINI,
  PAYMENTS,
  securityBackendPerTest,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

/** A user whose catalog name has capitals, in a group whose name has capitals too. */
const DAVE = 'user:default/Dave';
const DAVE_NORMALISED = 'user:default/dave';
const PAYMENTS_AS_GIVEN = 'group:default/Payments';

describe('item 8: entity refs compare normalised', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  beforeEach(() => {
    TEST_USERS[DAVE] = [PAYMENTS_AS_GIVEN];
  });
  afterEach(async () => {
    delete TEST_USERS[DAVE];
  });

  it.each(databases.eachSupportedId())(
    'item 8: a user whose catalog name has capitals mints, lists and reads keys, and every ref is stored normalised, on %p',
    async databaseId => {
      const b = await backends.start(databaseId);
      await subscribeVia(b, DAVE, [MINI]);

      const created = await b.call('post', '/keys', DAVE, {
        name: 'daves key',
        models: [MINI],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        ownerRef: DAVE_NORMALISED,
        createdBy: DAVE_NORMALISED,
      });
      const mine = await b.call('get', '/keys', DAVE);
      expect(mine.body.items.map((k: any) => k.id)).toEqual([created.body.id]);
      expect(
        (await b.call('get', `/keys/${created.body.id}`, DAVE)).status,
      ).toBe(200);

      // A key of a group Dave's sign-in spells with capitals.
      expect(
        (await b.call('post', '/admin/teams', ALICE, { group: PAYMENTS }))
          .status,
      ).toBe(201);
      await subscribeVia(b, BOB, [MINI], PAYMENTS);
      const team = await b.call('post', '/keys', BOB, {
        name: 'payments key',
        models: [MINI],
        owner: PAYMENTS,
      });
      expect(team.status).toBe(201);
      const listed = await b.call('get', '/keys', DAVE);
      expect(listed.body.items.map((k: any) => k.id).sort()).toEqual(
        [created.body.id, team.body.id].sort(),
      );
      expect((await b.call('get', `/keys/${team.body.id}`, DAVE)).status).toBe(
        200,
      );

      // Stored normalised everywhere.
      const refs = [
        ...(await b.knex('litemaas_keys').pluck('owner_ref')),
        ...(await b.knex('litemaas_keys').pluck('created_by')),
        ...(await b.knex('litemaas_subscriptions').pluck('subject_ref')),
        ...(await b.knex('litemaas_subscriptions').pluck('created_by')),
        ...(await b.knex('litemaas_users').pluck('entity_ref')),
        ...(await b.knex('litemaas_audit').pluck('actor_ref')),
      ];
      expect(refs).toContain(DAVE_NORMALISED);
      expect(refs.filter(r => r !== r.toLocaleLowerCase('en-US'))).toEqual([]);
    },
  );
});
