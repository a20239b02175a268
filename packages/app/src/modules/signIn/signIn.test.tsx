import { oidcAuthApiRef, signInProviders } from './index';

describe('signInProviders', () => {
  it('offers the guest sign-in in development only', () => {
    expect(signInProviders('development')).toEqual(['guest']);
  });

  it.each(['production', undefined])(
    'offers only single sign-on through the oidc provider in %p',
    environment => {
      expect(signInProviders(environment)).toEqual([
        expect.objectContaining({ id: 'oidc', apiRef: oidcAuthApiRef }),
      ]);
    },
  );
});
