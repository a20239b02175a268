import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { config, models, TEAM } from '../../__testUtils__/fixtures';
import {
  createServer,
  http,
  HttpResponse,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';
import { LlmAccessEntityCard } from '.';

// A file of its own: the permission hook caches answers per permission for the module.
const server = createServer();

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    annotations: { 'litemaas.io/models': 'gpt-4o' },
  },
  spec: { type: 'service', owner: TEAM, lifecycle: 'production' },
};

describe('LlmAccessEntityCard permissions', () => {
  registerMswTestHooks(server);

  it('disables minting a key where the permission framework denies it, and says why', async () => {
    server.use(
      http.get(url('/config'), () => HttpResponse.json(config())),
      http.get(url('/models'), () => HttpResponse.json({ items: models() })),
      http.get(url('/keys'), () => HttpResponse.json({ items: [] })),
    );
    await renderLiteMaaS(
      <EntityProvider entity={component}>
        <LlmAccessEntityCard />
      </EntityProvider>,
      { allow: name => name === 'litemaas.key.read' },
    );
    const mint = await screen.findByRole('button', { name: 'Create a key' });
    await waitFor(() => expect(mint).toHaveAttribute('aria-disabled', 'true'));
    await userEvent.setup().hover(mint);
    expect(
      await screen.findByText('You are not allowed to create keys.'),
    ).toBeInTheDocument();
  });
});
