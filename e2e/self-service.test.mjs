// The self-service flow in a real Chromium against the portal on its embedded defaults:
// filter and compare models, subscribe, request access to a restricted model, create a
// key, read its secret once and use it against the emulator, rotate, revoke; Spanish,
// dark mode, and axe on every screen; the example template's reveal link, the Teams tab and
// the cards on catalog entities. With LITEMAAS_SCREENSHOTS=1 every screen is also saved as a
// PNG under docs/images/ (the README shows some of them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import {
  backendUrl,
  launchBrowser,
  repoRoot,
  signInAsGuest,
  startPortal,
} from './portal.mjs';

const SHOTS = path.join(repoRoot, 'docs/images');
const RESTRICTED = 'mistral-large-latest';
const TIMEOUT = 30_000;

let portal;
let browser;
let page;
let token;

before(async () => {
  if (process.env.LITEMAAS_SCREENSHOTS) mkdirSync(SHOTS, { recursive: true });
  portal = await startPortal({
    app: 'built',
    configs: ['e2e/app-config.self-service.yaml'],
  });
  browser = await launchBrowser();
  page = await newSignedInPage();
  token = (await (await fetch(`${backendUrl}/api/auth/guest/refresh`)).json())
    .backstageIdentity.token;
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

async function newSignedInPage(init) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
  });
  if (init) await context.addInitScript(init);
  const p = await context.newPage();
  await signInAsGuest(p, portal.appUrl);
  return p;
}

/** Opens LiteMaaS from the sidebar and waits for the model cards. */
async function openLiteMaaS(p, sidebarName = 'LiteMaaS') {
  await p.getByRole('link', { name: sidebarName }).first().click();
  await p.waitForURL(/\/litemaas/);
  await p.getByRole('article').first().waitFor({ timeout: 60_000 });
  // The cards' titles too, before a screenshot is taken.
  await p
    .getByRole('article')
    .first()
    .getByRole('link')
    .first()
    .waitFor({ timeout: TIMEOUT });
}

/**
 * Waits for the page's finite animations (PatternFly fades helper texts and dialogs in):
 * a screenshot or axe in the middle of a fade sees half-transparent text.
 */
async function settled(p) {
  await p.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter(
            a =>
              a.playState === 'running' &&
              a.effect?.getComputedTiming().endTime !== Infinity,
          )
          .map(a => a.finished.catch(() => undefined)),
      ),
      // PatternFly's fades last a few hundred milliseconds; never wait on more.
      new Promise(resolve => setTimeout(resolve, 2000)),
    ]),
  );
}

async function shot(p, name, options = {}) {
  if (!process.env.LITEMAAS_SCREENSHOTS) return;
  await settled(p);
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`), ...options });
}

/**
 * The column headers of the page's tables that their cells cut off ("Rea…" for "Reason"):
 * text wider than the box that shows it.
 */
async function truncatedHeaders(p) {
  return p.locator('table thead th').evaluateAll(cells =>
    cells
      .filter(th => {
        const text = th.querySelector('.pf-v6-c-table__text') ?? th;
        return text.scrollWidth > text.clientWidth + 1;
      })
      .map(th => th.textContent.trim()),
  );
}

/** axe on the whole page: no serious or critical violation. */
async function assertAccessible(p, what) {
  await settled(p);
  const started = Date.now();
  const results = await new AxeBuilder({ page: p })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  console.log(`# axe on ${what}: ${Date.now() - started} ms`);
  const bad = results.violations.filter(v =>
    ['serious', 'critical'].includes(v.impact),
  );
  assert.deepEqual(
    bad.map(v => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
    })),
    [],
    `${what}: axe found serious or critical violations`,
  );
}

/** Client-side navigation (no reload of the app): what a click on a link does. */
async function navigate(p, route) {
  await p.evaluate(to => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, route);
}

const card = name => page.getByRole('article', { name, exact: true });

async function api(method, route, body) {
  const res = await fetch(`${backendUrl}/api/litemaas${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Calls the model through the proxy as a key holder would, with the snippet's base URL. */
async function chat(baseUrl, secret, model) {
  const res = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secret}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'Hello!' }],
    }),
  });
  return res.status;
}

/**
 * Backstage's toast confirms an action: read it, then close it as a user would, so it does not
 * sit dimmed under the next dialog's backdrop (axe rightly flags its contrast there).
 */
async function closeToast(text) {
  const toast = page.getByRole('alertdialog', { name: text });
  await toast.waitFor({ timeout: TIMEOUT });
  await toast.getByRole('button').click();
  await toast.waitFor({ state: 'detached', timeout: TIMEOUT });
}

/** Reads the secret and base URL from the one-time modal, then acknowledges and closes it. */
async function takeSecret(dialogName, screenshot) {
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.waitFor({ timeout: TIMEOUT });
  const secretBox = dialog.getByRole('textbox', { name: /^Secret of / });
  const secret = await secretBox.inputValue();
  const baseUrl = (
    await dialog.getByTestId('litemaas-base-url').textContent()
  ).trim();
  assert.match(secret, /^sk-/);
  if (screenshot)
    await shot(page, screenshot, {
      mask: [secretBox, dialog.getByTestId('litemaas-snippet-env')],
    });
  await assertAccessible(page, 'secret modal');
  const done = dialog.getByRole('button', { name: 'Done' });
  assert.equal(await done.isDisabled(), true);
  await dialog
    .getByRole('checkbox', { name: /I have copied the secret/ })
    .check();
  await done.click();
  await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
  assert.ok(
    !(await page.content()).includes(secret),
    'the secret is gone from the page once the modal is closed',
  );
  return { secret, baseUrl };
}

test('models: filter, switch to the table, compare, open a model page', async () => {
  await openLiteMaaS(page);
  await page.getByText(/^\d+ models$/).waitFor({ timeout: TIMEOUT });
  await shot(page, 'models-cards');
  await assertAccessible(page, 'models (cards)');

  await page.getByRole('combobox', { name: 'Provider' }).selectOption('openai');
  await card('claude-3-5-sonnet').waitFor({
    state: 'detached',
    timeout: TIMEOUT,
  });
  await card('gpt-4o').waitFor();
  await page.getByRole('combobox', { name: 'Provider' }).selectOption('');
  await page.getByRole('combobox', { name: 'Context' }).selectOption('200000');
  for (const a of await page.getByRole('article').all()) {
    const text = await a.textContent();
    assert.match(text, /(200K|1M|1\.0M|\d{3}K)/, `context filter kept ${text}`);
  }
  await page.getByRole('button', { name: 'Clear all filters' }).first().click();

  await page.getByRole('button', { name: 'Table' }).click();
  await page
    .getByRole('grid', { name: 'Models' })
    .waitFor({ timeout: TIMEOUT });
  await shot(page, 'models-table');
  assert.deepEqual(await truncatedHeaders(page), []);
  await assertAccessible(page, 'models (table)');
  await page.getByRole('button', { name: 'Cards' }).click();

  for (const id of ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet']) {
    await page
      .getByRole('checkbox', { name: `Compare ${id}`, exact: true })
      .check();
  }
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const compare = page.getByRole('dialog', { name: 'Compare models' });
  await compare.getByText('Lowest').first().waitFor({ timeout: TIMEOUT });
  assert.equal(await compare.getByRole('columnheader').count(), 4);
  await shot(page, 'models-compare');
  assert.deepEqual(await truncatedHeaders(page), []);
  await assertAccessible(page, 'compare');
  await compare.getByRole('button', { name: /Close/ }).click();
  await page.getByRole('button', { name: 'Clear selection' }).click();

  await page
    .getByRole('link', { name: 'ibm-granite/granite-3.1-8b-instruct' })
    .click();
  await page
    .getByRole('heading', { name: 'Overview' })
    .waitFor({ timeout: TIMEOUT });
  await page
    .getByRole('link', { name: 'Invoice assistant' })
    .waitFor({ timeout: TIMEOUT });
  await shot(page, 'model-page');
  await assertAccessible(page, 'model page');
  await page.getByRole('link', { name: /All models/ }).click();
});

test('subscribe to open models from their cards', async () => {
  await page.getByRole('link', { name: 'Models', exact: true }).click();
  for (const id of ['gpt-4o-mini', 'gpt-4o']) {
    await card(id)
      .getByRole('button', { name: `Subscribe: ${id}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Subscribe to ${id}` });
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
    await card(id).getByText('Subscribed').waitFor({ timeout: TIMEOUT });
    await closeToast(`Subscribed to ${id}`);
  }
});

test('request access to a restricted model with a justification', async () => {
  const restricted = await api('PATCH', `/admin/models/${RESTRICTED}`, {
    restricted: true,
  });
  assert.equal(restricted.status, 200, JSON.stringify(restricted.body));
  await page.reload();
  await card(RESTRICTED)
    .getByText('Needs approval')
    .waitFor({ timeout: 60_000 });
  await card(RESTRICTED)
    .getByRole('button', { name: `Request access: ${RESTRICTED}` })
    .click();
  const dialog = page.getByRole('dialog', {
    name: `Request access to ${RESTRICTED}`,
  });
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await dialog
    .getByText('A justification is required for this model')
    .waitFor({ timeout: TIMEOUT });
  await dialog
    .getByRole('textbox', { name: /Why do you need it/ })
    .fill('Long invoices need the larger model');
  await shot(page, 'request-access');
  await assertAccessible(page, 'request access');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
  await card(RESTRICTED)
    .getByText('Request pending')
    .waitFor({ timeout: TIMEOUT });
  await closeToast(`Access to ${RESTRICTED} requested`);

  await page.getByRole('link', { name: 'Subscriptions', exact: true }).click();
  const row = page.getByRole('row', { name: new RegExp(RESTRICTED) });
  await row
    .getByText('Long invoices need the larger model')
    .waitFor({ timeout: TIMEOUT });
  await row.getByText('Request pending').waitFor();
  await shot(page, 'subscriptions');
  assert.deepEqual(await truncatedHeaders(page), []);
  await assertAccessible(page, 'subscriptions');
});

test('an admin approves the request on the Approvals tab; the audit trail shows it', async () => {
  // For this test the guest's team administers LiteMaaS (app-config.self-service.yaml).
  await page.getByRole('link', { name: 'Approvals', exact: true }).click();
  const request = page
    .getByRole('row')
    .filter({ hasText: 'Long invoices need the larger model' });
  await request.getByRole('link', { name: RESTRICTED }).waitFor({
    timeout: TIMEOUT,
  });
  await shot(page, 'approvals');
  assert.deepEqual(await truncatedHeaders(page), []);
  await assertAccessible(page, 'approvals');
  await request.getByRole('button', { name: /^Approve/ }).click();
  const dialog = page.getByRole('dialog', {
    name: `Approve access to ${RESTRICTED}?`,
  });
  await dialog
    .getByLabel('Note to the requester (optional)')
    .fill('Approved for the invoices project');
  await assertAccessible(page, 'approval dialog');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
  await page.getByText('No request is waiting').waitFor({ timeout: TIMEOUT });
  await closeToast(new RegExp(`^Approved ${RESTRICTED} for`));

  await page.getByRole('link', { name: 'Subscriptions', exact: true }).click();
  const row = page.getByRole('row', { name: new RegExp(RESTRICTED) });
  await row.getByText('Subscribed').waitFor({ timeout: TIMEOUT });
  await row.getByText('Approved for the invoices project').waitFor();

  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  const entry = page
    .getByRole('row')
    .filter({ hasText: 'subscription.approve' })
    .first();
  await entry.waitFor({ timeout: TIMEOUT });
  await entry.getByRole('button', { name: /^Details of entry/ }).click();
  await page.getByText(`"modelId": "${RESTRICTED}"`).waitFor({
    timeout: TIMEOUT,
  });
  await shot(page, 'audit');
  assert.deepEqual(await truncatedHeaders(page), []);
  await assertAccessible(page, 'audit');
});

let key;

test('create a key, read its secret once, and call the model with it', async () => {
  await page.getByRole('link', { name: 'API keys', exact: true }).click();
  await page.getByText('No API keys yet').waitFor({ timeout: TIMEOUT });
  await shot(page, 'keys-empty');
  await assertAccessible(page, 'keys (empty)');
  await page.getByRole('button', { name: 'Create key' }).click();
  const wizard = page.getByRole('dialog', { name: 'Create an API key' });
  await wizard.getByRole('textbox', { name: /Name/ }).fill('e2e invoices');
  await shot(page, 'key-wizard-owner');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('checkbox', { name: 'gpt-4o-mini' }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  const budget = wizard.getByRole('spinbutton', { name: /Budget/ });
  assert.equal(await budget.inputValue(), '10');
  await budget.fill('500');
  await wizard
    .getByText('At most $100.00 is allowed')
    .waitFor({ timeout: TIMEOUT });
  assert.equal(
    await wizard.getByRole('button', { name: 'Next' }).isDisabled(),
    true,
  );
  await shot(page, 'key-wizard-limits');
  await assertAccessible(page, 'key wizard');
  await budget.fill('20');
  await wizard.getByRole('button', { name: 'Next' }).click();
  // The review shows the limits formatted, as the keys list will.
  const review = wizard.getByLabel('Check and create');
  await review.getByText('$20.00').waitFor({ timeout: TIMEOUT });
  await shot(page, 'key-wizard-review');
  await wizard.getByRole('button', { name: 'Create key' }).click();

  key = await takeSecret('Your new API key', 'key-secret');
  assert.equal(await chat(key.baseUrl, key.secret, 'gpt-4o-mini'), 200);
  // The key is limited to its models.
  assert.notEqual(
    await chat(key.baseUrl, key.secret, 'claude-3-5-sonnet'),
    200,
  );

  const row = page.getByRole('row', { name: /e2e invoices/ });
  await row.getByRole('progressbar').waitFor({ timeout: TIMEOUT });
  await shot(page, 'keys');
  assert.deepEqual(await truncatedHeaders(page), []);
  await assertAccessible(page, 'keys');
});

test('rotate: the new secret works, the old one stops after its grace period (none)', async () => {
  await page.getByRole('button', { name: 'Rotate: e2e invoices' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate e2e invoices?' });
  await dialog
    .getByRole('combobox', { name: 'Old secret keeps working for' })
    .selectOption('0');
  await dialog.getByRole('button', { name: 'Rotate' }).click();
  const rotated = await takeSecret('The new secret of e2e invoices');
  assert.notEqual(rotated.secret, key.secret);
  assert.equal(await chat(rotated.baseUrl, rotated.secret, 'gpt-4o-mini'), 200);
  assert.equal(await chat(key.baseUrl, key.secret, 'gpt-4o-mini'), 401);
  key = rotated;
});

test('revoke with a typed confirmation: the secret stops working', async () => {
  await page
    .getByRole('button', { name: 'Revoke: e2e invoices' })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Revoke e2e invoices?' });
  const confirm = dialog.getByRole('button', { name: 'Revoke key' });
  assert.equal(await confirm.isDisabled(), true);
  await dialog
    .getByRole('textbox', { name: /Type e2e invoices to confirm/ })
    .fill('e2e invoices');
  await shot(page, 'key-revoke');
  await confirm.click();
  await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });
  assert.equal(await chat(key.baseUrl, key.secret, 'gpt-4o-mini'), 401);
});

test('teams: empty until an admin enables the group as a LiteMaaS team', async () => {
  await navigate(page, '/litemaas/teams');
  await page
    .getByText('You are in no LiteMaaS team')
    .waitFor({ timeout: TIMEOUT });
  await shot(page, 'teams-empty');
  await assertAccessible(page, 'teams (empty)');
  // Keys owned by a group need the group to be a LiteMaaS team (the template's key is).
  const enabled = await api('POST', '/admin/teams', {
    group: 'group:default/payments',
    maxBudget: 200,
    budgetDuration: 'monthly',
  });
  assert.equal(enabled.status, 201, JSON.stringify(enabled.body));
});

test('the example template mints a key whose reveal link works once', async () => {
  const started = await fetch(`${backendUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      templateRef: 'template:default/llm-service',
      values: {
        name: 'e2e-llm-service',
        owner: 'group:default/payments',
        models: ['gpt-4o-mini'],
      },
    }),
  });
  assert.equal(started.status, 201, await started.clone().text());
  const { id } = await started.json();
  let task;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    task = await (
      await fetch(`${backendUrl}/api/scaffolder/v2/tasks/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    if (!['open', 'processing'].includes(task.status)) break;
    await new Promise(r => setTimeout(r, 500));
  }
  if (task.status !== 'completed') {
    const events = await (
      await fetch(`${backendUrl}/api/scaffolder/v2/tasks/${id}/events`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    assert.fail(
      `the template task ${task.status}: ${events
        .map(e => e.body?.message)
        .filter(Boolean)
        .slice(-5)
        .join(' | ')}`,
    );
  }

  // The task page's output link leads to the reveal page.
  await navigate(page, `/create/tasks/${id}`);
  await page
    .getByRole('link', { name: 'Reveal the API key (once)' })
    .click({ timeout: 60_000 });
  await page.waitForURL(/\/litemaas\/reveal\//);
  const revealUrl = page.url();
  const reveal = page.getByRole('button', { name: 'Reveal the secret' });
  await reveal.waitFor({ timeout: TIMEOUT });
  await shot(page, 'reveal');
  await assertAccessible(page, 'reveal');
  await reveal.click();
  const minted = await takeSecret('Your new API key');
  assert.equal(await chat(minted.baseUrl, minted.secret, 'gpt-4o-mini'), 200);
  await page.getByText('The secret was shown').waitFor({ timeout: TIMEOUT });

  // Open the link again (as a second visit would, without reloading the app).
  await navigate(page, '/litemaas/keys');
  await page.getByRole('button', { name: 'Create key' }).waitFor();
  await navigate(page, new URL(revealUrl).pathname);
  await page.getByRole('button', { name: 'Reveal the secret' }).click({
    timeout: TIMEOUT,
  });
  await page
    .getByText('Already revealed or expired')
    .waitFor({ timeout: TIMEOUT });
  await shot(page, 'reveal-gone');
  await assertAccessible(page, 'reveal (already revealed)');
});

test('teams: the team the template minted a key for, its budget, members and keys', async () => {
  await navigate(page, '/litemaas/teams');
  await page.reload(); // the list cached before the admin enabled the team
  await page
    .getByRole('heading', { name: 'Payments', exact: true })
    .waitFor({ timeout: 60_000 });
  await page.getByText('e2e-llm-service').first().waitFor({ timeout: TIMEOUT });
  await shot(page, 'teams');
  assert.deepEqual(await truncatedHeaders(page), []);
  await assertAccessible(page, 'teams');
});

test('cards on catalog entities: model, LLM access, team', async () => {
  const found = await (
    await fetch(
      `${backendUrl}/api/catalog/entities/by-query?filter=kind=resource,spec.type=ai-model,metadata.annotations.litemaas.io/model-id=gpt-4o&limit=1`,
      { headers: { authorization: `Bearer ${token}` } },
    )
  ).json();
  const model = found.items[0];
  assert.ok(model, 'the catalog module wrote gpt-4o as a Resource');
  const pages = [
    [
      `/catalog/default/resource/${model.metadata.name}`,
      'LiteMaaS model',
      'card-model',
      'Subscribed',
    ],
    [
      '/catalog/default/component/invoice-assistant',
      'LLM access',
      'card-llm-access',
      'ibm-granite/granite-3.1-8b-instruct',
    ],
    [
      '/catalog/default/group/payments',
      'LiteMaaS team',
      'card-team',
      'Team budget',
    ],
  ];
  for (const [route, title, name, content] of pages) {
    await navigate(page, route);
    await page
      .getByText(title, { exact: true })
      .first()
      .waitFor({ timeout: 60_000 });
    await page.getByText(content).first().waitFor({ timeout: TIMEOUT });
    const heading = page.getByRole('heading', { name: title, exact: true });
    await heading.scrollIntoViewIfNeeded();
    if (process.env.LITEMAAS_SCREENSHOTS) {
      await page.waitForLoadState('networkidle');
      // Our card as high in the view as the page scrolls (the catalog's own cards come
      // first), once the page has stopped laying itself out.
      await heading.evaluate(h => h.scrollIntoView({ block: 'start' }));
    }
    await shot(page, name);
    await assertAccessible(page, `${title} card`);
  }
});

test('in Spanish', async () => {
  const es = await newSignedInPage(() =>
    localStorage.setItem('language', 'es'),
  );
  try {
    await openLiteMaaS(es);
    await es
      .getByRole('link', { name: 'Suscripciones' })
      .waitFor({ timeout: TIMEOUT });
    await es.getByRole('combobox', { name: 'Proveedor' }).waitFor();
    await shot(es, 'models-es');
    await assertAccessible(es, 'models in Spanish');
    await es.getByRole('link', { name: 'Claves de API' }).click();
    await es
      .getByRole('button', { name: 'Crear clave' })
      .waitFor({ timeout: TIMEOUT });
  } finally {
    await es.context().close();
  }
});

test('in dark mode, PatternFly follows the Backstage theme; an error state', async () => {
  const dark = await newSignedInPage(() =>
    localStorage.setItem('theme', 'dark'),
  );
  try {
    await openLiteMaaS(dark);
    assert.equal(
      await dark.evaluate(() =>
        document.documentElement.classList.contains('pf-v6-theme-dark'),
      ),
      true,
    );
    await shot(dark, 'models-dark');
    await assertAccessible(dark, 'models in dark mode');
    await dark
      .getByRole('link', { name: 'Subscriptions', exact: true })
      .click();
    await dark
      .getByRole('grid', { name: 'Subscriptions' })
      .waitFor({ timeout: TIMEOUT });
    await shot(dark, 'subscriptions-dark');
    await assertAccessible(dark, 'subscriptions in dark mode');
    // The admin screens too (the guest's team administers LiteMaaS in this test).
    await dark.getByRole('link', { name: 'Audit', exact: true }).click();
    await dark
      .getByRole('grid', { name: 'Audit' })
      .waitFor({ timeout: TIMEOUT });
    await shot(dark, 'audit-dark');
    await assertAccessible(dark, 'audit in dark mode');

    // An error from the backend: its message, and a way to try again.
    await dark.route('**/api/litemaas/teams*', route =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            name: 'ServiceUnavailableError',
            message: 'LiteLLM is not reachable',
          },
          request: { method: 'GET', url: '/api/litemaas/teams' },
          response: { statusCode: 503 },
        }),
      }),
    );
    await dark.getByRole('link', { name: 'Teams', exact: true }).click();
    await dark
      .getByText('LiteLLM is not reachable')
      .first()
      .waitFor({ timeout: TIMEOUT });
    await dark.getByRole('button', { name: 'Try again' }).waitFor();
    await shot(dark, 'error-state-dark');
    await assertAccessible(dark, 'error state in dark mode');
  } finally {
    await dark.context().close();
  }
});
