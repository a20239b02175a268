import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import {
  GRANITE,
  model,
  models,
  subscription,
  TEAM,
} from '../../__testUtils__/fixtures';
import {
  createServer,
  http,
  HttpResponse,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';

// A file of its own: Backstage's usePermission caches decisions per module, so the
// people without `litemaas.subscription.approve` and `litemaas.audit.read` are tested
// apart from the admin of ApprovalsPage.test.tsx.
const server = createServer();

/** A developer: key permissions only, neither approver nor auditor. */
const onlyKeyPermissions = (name: string) => name.startsWith('litemaas.key.');

/** Serves the models and the requests; returns the statuses the page asked for. */
function serve(modelList = models()) {
  const asked: string[] = [];
  server.use(
    http.get(url('/models'), () =>
      HttpResponse.json({ items: modelList, total: modelList.length }),
    ),
    http.get(url('/admin/subscriptions'), ({ request }) => {
      asked.push(new URL(request.url).searchParams.get('status')!);
      const items = [
        subscription({ id: 'req-1', modelId: GRANITE, status: 'pending' }),
      ];
      return HttpResponse.json({ items, total: items.length });
    }),
  );
  return asked;
}

const render = (path: string) =>
  renderLiteMaaS(<LiteMaaSPage />, { path, allow: onlyKeyPermissions });

describe('ApprovalsPage and AuditPage without their permissions', () => {
  registerMswTestHooks(server);

  it('shows the approvals tab to a member of a model’s owner group', async () => {
    const asked = serve([
      ...models().filter(m => m.id !== GRANITE),
      model({ id: GRANITE, restricted: true, ownerGroupRef: TEAM }),
    ]);
    await render('/approvals');
    expect(await screen.findByRole('link', { name: GRANITE })).toBeVisible();
    expect(screen.getByRole('link', { name: 'Approvals' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Audit' })).toBeNull();
    expect(asked).toEqual(['pending']);
  });

  it('hides both tabs from a developer, and says no on their addresses', async () => {
    const asked = serve();
    for (const path of ['/approvals', '/audit']) {
      const view = await render(path);
      expect(
        await screen.findByRole('heading', { name: 'Not allowed' }),
      ).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Models' })).toBeInTheDocument();
      expect(screen.queryByRole('link', { name: 'Approvals' })).toBeNull();
      expect(screen.queryByRole('link', { name: 'Audit' })).toBeNull();
      view.unmount();
    }
    expect(asked).toEqual([]);
  });
});
