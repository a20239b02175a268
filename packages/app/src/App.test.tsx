import { render, screen } from '@testing-library/react';
import App from './App';

// The whole app loads its plugins before the first page shows; that takes a while.
jest.setTimeout(120_000);

describe('App', () => {
  it('opens on the single sign-on page outside development, with no guest sign-in', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'LiteMaaS test portal' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // signInModule's page with its oidc provider (the guest one is development-only).
    expect(
      await screen.findByText(
        'Sign in with your organization account',
        {},
        { timeout: 90_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'LiteMaaS test portal' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Single sign-on')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });
});
