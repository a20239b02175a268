import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import { apiKey, config } from '../../__testUtils__/fixtures';
import {
  createServer,
  fail,
  http,
  HttpResponse,
  never,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';

const server = createServer();
const SECRET = ['sk', 'templatesecret0123456789abcdef'].join('-');
const KEY_ID = '22222222-2222-4222-8222-222222222222';
const TOKEN = 'tok_abc123';

/** The backend's reveal: 200 once, then 404, like `RevealService`. */
function serveOnce() {
  const calls: string[] = [];
  let used = false;
  server.use(
    http.get(url('/config'), () => HttpResponse.json(config())),
    http.get(url(`/keys/${KEY_ID}`), () =>
      HttpResponse.json({
        ...apiKey({ id: KEY_ID, name: 'checkout', models: ['gpt-4o-mini'] }),
        usage: null,
      }),
    ),
    http.get(url('/reveal/:token'), ({ params }) => {
      calls.push(String(params.token));
      if (used) {
        return fail(
          404,
          'This reveal link does not exist, expired or was used',
          'NotFoundError',
        );
      }
      used = true;
      return HttpResponse.json({ keyId: KEY_ID, secret: SECRET });
    }),
  );
  return calls;
}

const render = () =>
  renderLiteMaaS(<LiteMaaSPage />, { path: `/reveal/${TOKEN}` });

describe('RevealPage', () => {
  registerMswTestHooks(server);

  it('reveals the secret once on request, through the one-time modal, then forgets it', async () => {
    const calls = serveOnce();
    await render();
    const user = userEvent.setup();

    // Opening the link spends nothing: a preview must not burn the reveal.
    const button = await screen.findByRole('button', {
      name: 'Reveal the secret',
    });
    expect(calls).toEqual([]);
    // A hidden section: no tabs on this page.
    expect(screen.queryByRole('link', { name: 'Models' })).toBeNull();

    await user.click(button);
    const modal = await screen.findByRole('dialog', {
      name: 'Your new API key',
    });
    expect(calls).toEqual([TOKEN]);
    expect(within(modal).getByDisplayValue(SECRET)).toBeInTheDocument();
    expect(within(modal).getByTestId('litemaas-snippet-env')).toHaveTextContent(
      `export OPENAI_API_KEY='${SECRET}'`,
    );
    await user.click(within(modal).getByRole('tab', { name: 'Python' }));
    expect(
      within(modal).getByTestId('litemaas-snippet-python'),
    ).toHaveTextContent('model="gpt-4o-mini"');

    await user.click(
      within(modal).getByRole('checkbox', {
        name: 'I have copied the secret and stored it safely',
      }),
    );
    await user.click(within(modal).getByRole('button', { name: 'Done' }));
    expect(
      await screen.findByRole('heading', { name: 'The secret was shown' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(
      screen.getByRole('link', { name: 'Go to my API keys' }),
    ).toHaveAttribute('href', '/keys');
  }, 60_000);

  it('says "already revealed or expired" for a used link', async () => {
    const calls = serveOnce();
    await render();
    const user = userEvent.setup();
    // Someone (or an earlier visit) spent the link already.
    await fetch(url(`/reveal/${TOKEN}`));

    await user.click(
      await screen.findByRole('button', { name: 'Reveal the secret' }),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'Already revealed or expired',
      }),
    ).toBeInTheDocument();
    expect(calls).toEqual([TOKEN, TOKEN]);
    expect(screen.queryByRole('dialog')).toBeNull();
  }, 30_000);

  it('names the key by its id when the viewer cannot read the key', async () => {
    serveOnce();
    server.use(
      http.get(url(`/keys/${KEY_ID}`), () =>
        fail(404, `Key ${KEY_ID} not found`, 'NotFoundError'),
      ),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', { name: 'Reveal the secret' }),
    );
    const modal = await screen.findByRole('dialog', {
      name: 'Your new API key',
    });
    expect(within(modal).getByDisplayValue(SECRET)).toBeInTheDocument();
    expect(
      within(modal).getByRole('textbox', { name: `Secret of ${KEY_ID}` }),
    ).toBeInTheDocument();
  }, 30_000);

  it('shows the backend message when revealing fails for another reason, and lets retry', async () => {
    let down = true;
    server.use(
      http.get(url('/config'), () => HttpResponse.json(config())),
      http.get(url('/reveal/:token'), () =>
        down
          ? fail(
              503,
              'One-time reveal delivery is not configured on this portal',
              'ServiceUnavailableError',
            )
          : HttpResponse.json({ keyId: KEY_ID, secret: SECRET }),
      ),
      http.get(url(`/keys/${KEY_ID}`), () =>
        HttpResponse.json({ ...apiKey({ id: KEY_ID }), usage: null }),
      ),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', { name: 'Reveal the secret' }),
    );
    expect(
      await screen.findByText(
        'One-time reveal delivery is not configured on this portal',
      ),
    ).toBeInTheDocument();
    down = false;
    await user.click(screen.getByRole('button', { name: 'Reveal the secret' }));
    expect(
      await screen.findByRole('dialog', { name: 'Your new API key' }),
    ).toBeInTheDocument();
  }, 30_000);

  it('shows loading while the configuration loads, and its error', async () => {
    server.use(http.get(url('/config'), never));
    const first = await render();
    expect(
      await screen.findByRole('progressbar', { name: 'Loading…' }),
    ).toBeInTheDocument();
    first.unmount();

    server.use(
      http.get(url('/config'), () =>
        fail(500, 'The LiteMaaS database is unreachable'),
      ),
    );
    await render();
    expect(
      await screen.findByText('The LiteMaaS database is unreachable'),
    ).toBeInTheDocument();
  });
});
