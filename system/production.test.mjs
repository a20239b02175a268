// The production build runs: the backend bundle, unpacked as packages/backend/Dockerfile
// unpacks it and started as its CMD starts it (NODE_ENV=production, app-config.yaml +
// app-config.production.yaml, every secret from the environment) on PostgreSQL and Redis,
// signs a person in through OIDC (the development identity provider) and refuses the
// guest; the golden path through the REST API with that person's token: subscribe, mint
// a key, call LiteLLM (the emulator) with it, revoke, and the key stops working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { json } from '../bench/lib.mjs';
import {
  goldenPath,
  litemaas,
  startProduction,
  userToken,
} from './production.mjs';

let production;
let backend;
let emulator;

before(async () => {
  production = await startProduction({ kind: 'prod' });
  [backend] = production.backends;
  emulator = production.emulator;
});

after(() => production?.stop());

test('the bundle runs in production mode: OIDC signs people in, the guest is refused', async () => {
  const guest = await json(backend.url, 'GET', '/api/auth/guest/refresh');
  assert.notEqual(guest.status, 200, JSON.stringify(guest.body));
  assert.equal(JSON.stringify(guest.body).includes('backstageIdentity'), false);

  const token = await userToken(backend.url, 'bob');
  const keys = await litemaas(backend.url, token)('GET', '/keys');
  assert.equal(keys.status, 200, JSON.stringify(keys.body));
  assert.deepEqual(keys.body.items, []);
  assert.equal(
    (await json(backend.url, 'GET', '/api/litemaas/keys')).status,
    401,
  );
});

test('golden path with a real user token: subscribe, mint, call LiteLLM, revoke', async () => {
  const api = litemaas(backend.url, await userToken(backend.url, 'bob'));
  await goldenPath(api, emulator.url, 'production golden path');
});
