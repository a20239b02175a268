import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import { apiKey, config } from '../../__testUtils__/fixtures';
import {
  createServer,
  http,
  HttpResponse,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';

// In a file of its own: usePermission caches decisions for the whole test file.
const server = createServer();

describe('KeysPage permissions', () => {
  registerMswTestHooks(server);

  it('disables what the permission framework denies, and says why', async () => {
    server.use(
      http.get(url('/config'), () => HttpResponse.json(config())),
      http.get(url('/keys'), () => HttpResponse.json({ items: [apiKey()] })),
      http.get(url('/keys/:id'), () => HttpResponse.json(apiKey())),
    );
    await renderLiteMaaS(<LiteMaaSPage />, {
      path: '/keys',
      allow: name => name === 'litemaas.key.read',
    });
    const create = await screen.findByRole('button', { name: 'Create key' });
    expect(create).toHaveAttribute('aria-disabled', 'true');
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Revoke: invoice-assistant dev' }),
      ).toHaveAttribute('aria-disabled', 'true'),
    );
    expect(
      screen.getByRole('button', { name: 'Rotate: invoice-assistant dev' }),
    ).toHaveAttribute('aria-disabled', 'true');
    await userEvent.setup().hover(create);
    expect(
      await screen.findByText('You are not allowed to create keys.'),
    ).toBeInTheDocument();
  });
});
