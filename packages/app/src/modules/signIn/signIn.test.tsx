import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { oidcAuthApiRef, signInProviders } from './index';
import { isUnknownUser, SignInFailure } from './SignInFailure';

// The test app loads its plugins before the first page shows; that takes a while here.
jest.setTimeout(60_000);
const slow = { timeout: 30_000 };

const sso = { title: 'Single sign-on', message: 'Sign in' };

describe('signInProviders', () => {
  it('offers single sign-on and the guest in development', () => {
    expect(signInProviders('development', sso)).toEqual([
      expect.objectContaining({ id: 'oidc', apiRef: oidcAuthApiRef }),
      'guest',
    ]);
  });

  it.each(['production', undefined])(
    'offers only single sign-on through the oidc provider in %p',
    environment => {
      expect(signInProviders(environment, sso)).toEqual([
        expect.objectContaining({ id: 'oidc', apiRef: oidcAuthApiRef }),
      ]);
    },
  );
});

describe('isUnknownUser', () => {
  it('recognises the backend refusing a person no catalog User matches', () => {
    const resolverError = new Error(
      'Failed to sign-in, unable to resolve user identity. Please verify that your catalog contains the expected User entities',
    );
    expect(isUnknownUser(resolverError)).toBe(true);
    expect(
      isUnknownUser(
        Object.assign(new Error('Login failed'), { cause: resolverError }),
      ),
    ).toBe(true);
    expect(isUnknownUser(new Error('Login failed, popup was closed'))).toBe(
      false,
    );
  });
});

describe('SignInFailure', () => {
  it('tells a person the catalog does not know to ask for a catalog entry', async () => {
    const onRetry = jest.fn();
    const refused = Object.assign(new Error('Login failed'), {
      cause: new Error(
        'Failed to sign-in, unable to resolve user identity. Please verify that your catalog contains the expected User entities',
      ),
    });
    await renderInTestApp(<SignInFailure error={refused} onRetry={onRetry} />);

    expect(
      await screen.findByText(/We could not sign you in/, {}, slow),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/no user in the catalog has your e-mail address/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Back to sign-in' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('says any other failed sign-in did not complete, with its details', async () => {
    await renderInTestApp(
      <SignInFailure
        error={new Error('Login failed, popup was closed')}
        onRetry={jest.fn()}
      />,
    );
    expect(
      await screen.findByText('The sign-in did not complete.', {}, slow),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Details: Login failed, popup was closed'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/no user in the catalog/),
    ).not.toBeInTheDocument();
  });
});
