// Browser tests of the running portal: guest sign-in, the LiteMaaS sidebar item and page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backendUrl,
  launchBrowser,
  litellmUrl,
  signInAsGuest,
  startPortal,
} from './portal.mjs';

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  console.log(`# portal answered after ${portal.startupMs} ms`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

test('the backend health route answers without a token', async () => {
  const res = await fetch(`${backendUrl}/api/litemaas/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok', database: 'ok' });
});

test('other LiteMaaS routes refuse a request without a token', async () => {
  const res = await fetch(`${backendUrl}/api/litemaas/models`);
  assert.equal(res.status, 401);
});

test('after guest sign-in the sidebar shows LiteMaaS and its page loads', async () => {
  const page = await browser.newPage();
  try {
    await signInAsGuest(page);
    const item = page.getByRole('link', { name: 'LiteMaaS' });
    await item.first().waitFor({ timeout: 30_000 });
    await item.first().click();
    await page.waitForURL(/\/litemaas$/);
    await page
      .getByText('Governed access to large language models')
      .waitFor({ timeout: 30_000 });
    // The models synced from the emulator, with prices per million tokens.
    const granite = page.getByRole('link', {
      name: 'ibm-granite/granite-3.1-8b-instruct',
    });
    await granite.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: 'e2e/screenshots/litemaas-page.png' });
    // A model's own page, even with / in its name.
    await granite.click();
    await page.waitForURL(/\/litemaas\/models\/ibm-granite%2Fgranite/);
    await page.getByText('LiteLLM model name').waitFor({ timeout: 30_000 });
    // Who uses it: the example component that declares it.
    await page
      .getByRole('link', { name: 'Invoice assistant' })
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: 'e2e/screenshots/model-page.png' });
  } finally {
    await page.close();
  }
});

test('Command 1 also started the LiteLLM emulator', async () => {
  const res = await fetch(`${litellmUrl}/health/readiness`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, 'healthy');
});

test("the portal synced the emulator's models at start-up", async () => {
  const token = (
    await (await fetch(`${backendUrl}/api/auth/guest/refresh`)).json()
  ).backstageIdentity.token;
  let ids = [];
  for (let i = 0; i < 60 && !ids.includes('gpt-4o'); i++) {
    const res = await fetch(`${backendUrl}/api/litemaas/models`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    ids = (await res.json()).items.map(m => m.id);
    if (!ids.includes('gpt-4o')) await new Promise(r => setTimeout(r, 500));
  }
  assert.ok(ids.includes('gpt-4o'), `models: ${ids.join(', ')}`);
  assert.ok(ids.includes('ibm-granite/granite-3.1-8b-instruct'));
});

test('the catalog lists the models as resources, related to the example component', async () => {
  const token = (
    await (await fetch(`${backendUrl}/api/auth/guest/refresh`)).json()
  ).backstageIdentity.token;
  const get = async path =>
    (
      await fetch(`${backendUrl}/api/catalog${path}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
  let models = [];
  let component;
  for (let i = 0; i < 180; i++) {
    models = await get('/entities?filter=kind=resource,spec.type=ai-model');
    component = await get(
      '/entities/by-name/component/default/invoice-assistant',
    );
    const related = (component.relations ?? []).filter(
      r => r.type === 'dependsOn' && r.targetRef.startsWith('resource:'),
    );
    if (models.length >= 13 && related.length === 2) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  const entityOf = id =>
    models.find(m => m.metadata.annotations['litemaas.io/model-id'] === id);
  const gpt = entityOf('gpt-4o');
  const granite = entityOf('ibm-granite/granite-3.1-8b-instruct');
  assert.ok(gpt && granite, `model entities: ${models.length}`);
  assert.equal(gpt.metadata.annotations['litemaas.io/provider'], 'openai');
  assert.ok(
    gpt.metadata.annotations['litemaas.io/input-price-per-million-tokens'],
  );
  const dependsOn = component.relations
    .filter(r => r.type === 'dependsOn' && r.targetRef.startsWith('resource:'))
    .map(r => r.targetRef)
    .sort();
  assert.deepEqual(
    dependsOn,
    [gpt, granite].map(m => `resource:default/${m.metadata.name}`).sort(),
  );
});
