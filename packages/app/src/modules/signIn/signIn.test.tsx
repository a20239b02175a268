import { oidcAuthApiRef, signInProviders } from './index';
import { isUnknownUser } from './SignInFailure';

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
