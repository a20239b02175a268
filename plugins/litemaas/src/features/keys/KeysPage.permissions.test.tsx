import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import {
  apiKey,
  config,
  subscription,
  team,
  TEAM,
  usage,
} from '../../__testUtils__/fixtures';
import {
  createServer,
  fail,
  http,
  HttpResponse,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';

const server = createServer();

function serve(keys = [apiKey()]) {
  server.use(
    http.get(url('/config'), () => HttpResponse.json(config())),
    http.get(url('/keys'), () => HttpResponse.json({ items: keys })),
    http.get(url('/keys/:id'), ({ params }) => {
      const key = keys.find(k => k.id === params.id);
      return key
        ? HttpResponse.json({ ...key, usage: usage() })
        : fail(404, 'no such key', 'NotFoundError');
    }),
    http.get(url('/teams'), () => HttpResponse.json({ items: [team()] })),
    http.get(url('/subscriptions'), () =>
      HttpResponse.json({
        items: [
          subscription(),
          subscription({ id: 's2', modelId: 'gpt-4o-mini' }),
          subscription({
            id: 's3',
            modelId: 'claude-3-5-sonnet',
            subjectRef: TEAM,
          }),
          subscription({ id: 's4', modelId: 'granite', status: 'pending' }),
        ],
      }),
    ),
  );
}

const render = (allow?: (name: string) => boolean) =>
  renderLiteMaaS(<LiteMaaSPage />, { path: '/keys', allow });

// In a file of its own: usePermission caches decisions for the whole test file.
describe('KeysPage permissions', () => {
  registerMswTestHooks(server);

  it('disables what the permission framework denies, and says why', async () => {
    serve();
    await render(name => name === 'litemaas.key.read');
    const create = await screen.findByRole('button', { name: 'Create key' });
    expect(create).toHaveAttribute('aria-disabled', 'true');
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Revoke: invoice-assistant dev' }),
      ).toHaveAttribute('aria-disabled', 'true'),
    );
    await userEvent.setup().hover(create);
    expect(
      await screen.findByText('You are not allowed to create keys.'),
    ).toBeInTheDocument();
  });
});
