// Sign-in for real: the portal (Command 1) signs people in through the development
// identity provider (packages/dev-idp). Through the REST API with each person's own token
// (from `yarn litemaas token`): tokens work, tampered ones do not, two developers cannot
// touch each other's keys, the admin gets admin routes and a developer 403, the approver
// sees only requests for models their group owns. In Chromium: every seeded user signs in
// through the provider's login form and out again, an unknown person gets the sign-in error
// page, and a developer's keys page does not show another developer's key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { backendUrl, launchBrowser, repoRoot, startPortal } from './portal.mjs';
import { devUsers, signInToPortal } from '../packages/dev-idp/src/index.mjs';

const TIMEOUT = 30_000;
const OPEN_MODEL = 'gpt-4o';
const ML_MODEL = 'mistral-large-latest';
const OTHER_RESTRICTED = 'gemini-2.0-flash';

let portal;
let browser;
/** Backstage tokens by username, from the real sign-in. */
const tokens = {};

/**
 * Signs `user` in. The portal answers before the catalog has read the organisation file,
 * and until then the sign-in resolver finds nobody: wait for that, and only for that.
 */
async function signIn(user) {
  const { password } = devUsers.find(u => u.username === user);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return (await signInToPortal({ backendUrl, username: user, password }))
        .token;
    } catch (e) {
      if (
        !/unable to resolve user identity/.test(e.message) ||
        Date.now() > deadline
      )
        throw e;
      await new Promise(r => setTimeout(r, 1000));
    }
  }
}

before(async () => {
  portal = await startPortal({ app: 'built' });
  for (const user of ['alice', 'bob', 'carol', 'dave']) {
    tokens[user] = await signIn(user);
  }
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

async function api(user, method, route, body) {
  const res = await fetch(`${backendUrl}/api/litemaas${route}`, {
    method,
    headers: {
      ...(user && { authorization: `Bearer ${tokens[user] ?? user}` }),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Waits until the model sync has brought `id` in (the sync runs at start-up). */
async function waitForModel(id) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status, body } = await api('alice', 'GET', '/models');
    if (status === 200 && body.items.some(m => m.id === id)) return;
    if (Date.now() > deadline) throw new Error(`model ${id} never synced`);
    await api('alice', 'POST', '/admin/models/sync');
    await new Promise(r => setTimeout(r, 1000));
  }
}

const payload = jwt =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('tokens from `yarn litemaas token`', () => {
  test('the command prints a token for the signed-in user that the REST API accepts', async () => {
    const { stdout } = await promisify(execFile)(
      'node',
      ['scripts/litemaas.mjs', 'token', 'bob', '--backend', backendUrl],
      { cwd: repoRoot },
    );
    const token = stdout.trim();
    assert.equal(payload(token).sub, 'user:default/bob');
    const res = await fetch(`${backendUrl}/api/litemaas/keys`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
  });

  test('the command refuses a person the catalog does not know', async () => {
    await assert.rejects(
      promisify(execFile)(
        'node',
        ['scripts/litemaas.mjs', 'token', 'mallory', '--backend', backendUrl],
        { cwd: repoRoot },
      ),
      e => {
        assert.equal(e.code, 1);
        assert.match(
          e.stderr,
          /refused mallory: .*unable to resolve user identity/,
        );
        assert.equal(e.stdout, '');
        return true;
      },
    );
  });

  test('a tampered token gets 401, and so does no token', async () => {
    const [header, body, signature] = tokens.bob.split('.');
    const claims = payload(tokens.bob);
    const asAlice = Buffer.from(
      JSON.stringify({ ...claims, sub: 'user:default/alice' }),
    ).toString('base64url');
    for (const forged of [
      `${header}.${asAlice}.${signature}`,
      `${header}.${body}.${signature.slice(0, -4)}AAAA`,
    ]) {
      assert.equal((await api(forged, 'GET', '/keys')).status, 401);
    }
    assert.equal((await api(undefined, 'GET', '/keys')).status, 401);
  });
});

describe('isolation through the REST API, each person with their own token', () => {
  let bobKey;

  before(async () => {
    await waitForModel(OPEN_MODEL);
    const sub = await api('bob', 'POST', '/subscriptions', {
      modelId: OPEN_MODEL,
    });
    assert.ok([200, 201].includes(sub.status), JSON.stringify(sub.body));
    const created = await api('bob', 'POST', '/keys', {
      name: 'bob-identity-e2e',
      models: [OPEN_MODEL],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    bobKey = created.body;
  });

  test("carol does not see bob's key, and cannot read, rotate or revoke it", async () => {
    const carolList = await api('carol', 'GET', '/keys');
    assert.equal(carolList.status, 200);
    assert.ok(!carolList.body.items.some(k => k.id === bobKey.id));
    assert.ok(
      (await api('bob', 'GET', '/keys')).body.items.some(
        k => k.id === bobKey.id,
      ),
    );
    for (const [method, route] of [
      ['GET', `/keys/${bobKey.id}`],
      ['POST', `/keys/${bobKey.id}/rotate`],
      ['DELETE', `/keys/${bobKey.id}`],
    ]) {
      const res = await api(
        'carol',
        method,
        route,
        method === 'POST' ? {} : undefined,
      );
      assert.ok(
        [403, 404].includes(res.status),
        `${method} ${route} as carol: ${res.status}`,
      );
    }
    const still = await api('bob', 'GET', `/keys/${bobKey.id}`);
    assert.equal(still.status, 200);
    assert.equal(still.body.status, 'active');
  });

  test('the admin gets the admin routes, a developer 403', async () => {
    assert.equal((await api('alice', 'GET', '/admin/audit')).status, 200);
    assert.equal((await api('alice', 'GET', '/admin/users')).status, 200);
    for (const user of ['bob', 'carol']) {
      assert.equal((await api(user, 'GET', '/admin/audit')).status, 403);
      assert.equal((await api(user, 'GET', '/admin/users')).status, 403);
      assert.equal(
        (
          await api(user, 'PATCH', `/admin/models/${OPEN_MODEL}`, {
            restricted: true,
          })
        ).status,
        403,
      );
    }
  });

  test('the approver sees and decides only requests for models their group owns', async () => {
    await waitForModel(ML_MODEL);
    await waitForModel(OTHER_RESTRICTED);
    for (const [model, owner] of [
      [ML_MODEL, 'group:default/ml-research'],
      [OTHER_RESTRICTED, 'group:default/platform-team'],
    ]) {
      const res = await api('alice', 'PATCH', `/admin/models/${model}`, {
        restricted: true,
        ownerGroupRef: owner,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const requests = {};
    for (const model of [ML_MODEL, OTHER_RESTRICTED]) {
      const res = await api('carol', 'POST', '/subscriptions', {
        modelId: model,
        justification: 'search ranking experiments',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.status, 'pending');
      requests[model] = res.body.id;
    }

    const daveSees = await api('dave', 'GET', '/admin/subscriptions');
    assert.equal(daveSees.status, 200);
    assert.deepEqual(
      daveSees.body.items.map(s => s.modelId),
      [ML_MODEL],
    );
    const aliceSees = await api('alice', 'GET', '/admin/subscriptions');
    assert.deepEqual(
      aliceSees.body.items.map(s => s.modelId).sort(),
      [ML_MODEL, OTHER_RESTRICTED].sort(),
    );
    assert.equal((await api('bob', 'GET', '/admin/subscriptions')).status, 403);

    const other = await api(
      'dave',
      'POST',
      `/admin/subscriptions/${requests[OTHER_RESTRICTED]}/approve`,
      {},
    );
    assert.equal(other.status, 403);
    const own = await api(
      'dave',
      'POST',
      `/admin/subscriptions/${requests[ML_MODEL]}/approve`,
      {},
    );
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.status, 'active');
  });
});

describe("sign-in in Chromium through the provider's login form", () => {
  before(async () => {
    browser = await launchBrowser();
  });

  /** Signs in through the SSO card's popup; returns the page and its context. */
  async function signInWithProvider(username, password) {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
    });
    const page = await context.newPage();
    await page.goto(portal.appUrl, { waitUntil: 'networkidle' });
    const sso = page.getByRole('button', { name: 'Sign in' }).first();
    await sso.waitFor({ timeout: 60_000 });
    const [popup] = await Promise.all([
      page.waitForEvent('popup', { timeout: TIMEOUT }),
      sso.click(),
    ]);
    await popup.getByLabel('Username').fill(username);
    await popup.getByLabel('Password').fill(password);
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.waitForEvent('close', { timeout: TIMEOUT });
    return { context, page };
  }

  for (const user of devUsers.filter(u => u.username !== 'mallory')) {
    test(`${user.username} signs in with the login form and signs out`, async () => {
      const { context, page } = await signInWithProvider(
        user.username,
        user.password,
      );
      try {
        // Through the sidebar, as a person would: the app is loaded already, and a
        // second full load would only cost time.
        await page
          .getByRole('link', { name: 'Settings' })
          .first()
          .click({ timeout: TIMEOUT });
        await page
          .getByText(user.name, { exact: true })
          .first()
          .waitFor({ timeout: TIMEOUT });
        const identity = await page.evaluate(
          async url =>
            (
              await fetch(`${url}/api/auth/oidc/refresh?env=development`, {
                credentials: 'include',
                headers: { 'x-requested-with': 'XMLHttpRequest' },
              })
            ).json(),
          backendUrl,
        );
        assert.equal(
          identity.backstageIdentity.identity.userEntityRef,
          `user:default/${user.username}`,
        );

        await page.getByRole('button', { name: 'more' }).click();
        await page.getByRole('menuitem', { name: /sign out/i }).click();
        await page
          .getByRole('button', { name: 'Sign in' })
          .first()
          .waitFor({ timeout: TIMEOUT });
        const after = await page.evaluate(
          async url =>
            (
              await fetch(`${url}/api/auth/oidc/refresh?env=development`, {
                credentials: 'include',
                headers: { 'x-requested-with': 'XMLHttpRequest' },
              })
            ).status,
          backendUrl,
        );
        assert.equal(after, 401, 'no session is left after signing out');
      } finally {
        await context.close();
      }
    });
  }

  test('a person the catalog does not know gets the sign-in error page', async () => {
    const mallory = devUsers.find(u => u.username === 'mallory');
    const { context, page } = await signInWithProvider(
      mallory.username,
      mallory.password,
    );
    try {
      await page
        .getByText('We could not sign you in')
        .waitFor({ timeout: TIMEOUT });
      await page
        .getByText(/no user in the catalog has your e-mail address/)
        .waitFor();
      await page.getByRole('button', { name: 'Back to sign-in' }).click();
      await page
        .getByRole('button', { name: 'Sign in' })
        .first()
        .waitFor({ timeout: TIMEOUT });
    } finally {
      await context.close();
    }
  });

  /** Opens the LiteMaaS page through the sidebar, signed in as `user`. */
  async function openLiteMaaS(user) {
    const { password } = devUsers.find(u => u.username === user);
    const session = await signInWithProvider(user, password);
    await session.page
      .getByRole('link', { name: 'LiteMaaS' })
      .first()
      .click({ timeout: TIMEOUT });
    await session.page
      .getByRole('link', { name: 'API keys', exact: true })
      .waitFor({ timeout: 60_000 });
    return session;
  }

  test('the admin gets the approvals and audit screens, a developer neither', async () => {
    const alice = await openLiteMaaS('alice');
    try {
      const { page } = alice;
      await page.getByRole('link', { name: 'Approvals', exact: true }).click();
      // carol's request for a platform-team model waits (the REST tests made it).
      await page
        .getByRole('row')
        .filter({ hasText: OTHER_RESTRICTED })
        .filter({ hasText: 'carol' })
        .waitFor({ timeout: TIMEOUT });
      await page.getByRole('link', { name: 'Audit', exact: true }).click();
      await page
        .getByRole('row')
        .filter({ hasText: 'subscription.approve' })
        .filter({ hasText: 'user:default/dave' })
        .first()
        .waitFor({ timeout: TIMEOUT });
    } finally {
      await alice.context.close();
    }

    const bob = await openLiteMaaS('bob');
    try {
      const { page } = bob;
      for (const tab of ['Approvals', 'Audit']) {
        assert.equal(
          await page.getByRole('link', { name: tab, exact: true }).count(),
          0,
          `bob sees the ${tab} tab`,
        );
      }
      await page.goto(`${portal.appUrl}/litemaas/approvals`);
      await page.getByText('Not allowed').waitFor({ timeout: TIMEOUT });
      assert.equal(await page.getByRole('table').count(), 0);
    } finally {
      await bob.context.close();
    }
  });

  test("the approver decides, in the UI, only requests for their group's model", async () => {
    const request = await api('bob', 'POST', '/subscriptions', {
      modelId: ML_MODEL,
      justification: 'offline evaluation',
    });
    assert.equal(request.status, 201, JSON.stringify(request.body));
    const dave = await openLiteMaaS('dave');
    try {
      const { page } = dave;
      assert.equal(
        await page.getByRole('link', { name: 'Audit', exact: true }).count(),
        0,
      );
      await page.getByRole('link', { name: 'Approvals', exact: true }).click();
      const row = page
        .getByRole('row')
        .filter({ hasText: 'offline evaluation' });
      await row.waitFor({ timeout: TIMEOUT });
      // alice's screen listed carol's request for the platform team's model; dave's not.
      assert.equal(
        await page
          .getByRole('row')
          .filter({ hasText: OTHER_RESTRICTED })
          .count(),
        0,
      );
      await row.getByRole('button', { name: /^Approve/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByLabel('Note to the requester (optional)')
        .fill('for the evaluation');
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await page
        .getByText('No request is waiting')
        .waitFor({ timeout: TIMEOUT });
    } finally {
      await dave.context.close();
    }
    const mine = await api('bob', 'GET', '/subscriptions');
    const granted = mine.body.items.find(s => s.id === request.body.id);
    assert.equal(granted.status, 'active');
    assert.equal(granted.decidedBy, 'user:default/dave');
    assert.equal(granted.reason, 'for the evaluation');
  });

  test("a developer's keys page shows their keys and not another developer's", async () => {
    const created = await api('bob', 'POST', '/keys', {
      name: 'bob-browser-only',
      models: [OPEN_MODEL],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const [user, shows] of [
      ['bob', 'bob-browser-only'],
      ['carol', 'No API keys yet'],
    ]) {
      const { password } = devUsers.find(u => u.username === user);
      const { context, page } = await signInWithProvider(user, password);
      try {
        await page
          .getByRole('link', { name: 'LiteMaaS' })
          .first()
          .click({ timeout: TIMEOUT });
        await page
          .getByRole('link', { name: 'API keys', exact: true })
          .click({ timeout: 60_000 });
        await page.getByText(shows).first().waitFor({ timeout: TIMEOUT });
        assert.equal(
          (await page.getByText('bob-browser-only').count()) > 0,
          user === 'bob',
          `${user}'s keys page shows bob's key`,
        );
      } finally {
        await context.close();
      }
    }
  });
});
