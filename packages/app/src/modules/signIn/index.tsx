import { OAuth2 } from '@backstage/core-app-api';
import {
  ApiBlueprint,
  configApiRef,
  createApiRef,
  createFrontendModule,
  discoveryApiRef,
  errorApiRef,
  oauthRequestApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import type {
  BackstageIdentityApi,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/core-plugin-api';
import {
  SignInPageBlueprint,
  SignInPageProps,
  TranslationBlueprint,
} from '@backstage/plugin-app-react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { SignInPage } from '@backstage/core-components';
import { useEffect, useState, type ComponentProps } from 'react';
import { SignInFailure } from './SignInFailure';
import { signInTranslations, signInTranslationRef } from './translations';

/**
 * Sign-in through the backend's `oidc` provider, for any OpenID Connect identity provider:
 * the development one (packages/dev-idp), Keycloak, Entra ID, Okta, ... (docs/auth.md).
 */
export const oidcAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>({ id: 'app.auth.oidc' });

const oidcAuthApi = ApiBlueprint.make({
  name: 'oidc',
  params: defineParams =>
    defineParams({
      api: oidcAuthApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        configApi: configApiRef,
      },
      factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          provider: { id: 'oidc', title: 'Single sign-on', icon: () => null },
          environment: configApi.getOptionalString('auth.environment'),
          defaultScopes: ['openid', 'profile', 'email'],
        }),
    }),
});

/**
 * In development, single sign-on through the development identity provider and the guest
 * for a zero-step start; everywhere else, single sign-on only.
 */
export function signInProviders(
  environment: string | undefined,
  sso: { title: string; message: string },
): SignInPageProviders {
  const oidc = { id: 'oidc', ...sso, apiRef: oidcAuthApiRef };
  return environment === 'development' ? [oidc, 'guest'] : [oidc];
}

type SignInPageProviders = ComponentProps<typeof SignInPage> extends infer P
  ? P extends { providers: infer T }
    ? T
    : never
  : never;

/**
 * The sign-in page; a failed sign-in (for instance a person the catalog does not know)
 * replaces it with a page that says why.
 */
function LiteMaaSSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const errorApi = useApi(errorApiRef);
  const { t } = useTranslationRef(signInTranslationRef);
  const [failure, setFailure] = useState<Error>();
  useEffect(() => {
    const subscription = errorApi
      .error$()
      .subscribe(({ error }) => setFailure(error as Error));
    return () => subscription.unsubscribe();
  }, [errorApi]);

  if (failure) {
    return (
      <SignInFailure error={failure} onRetry={() => setFailure(undefined)} />
    );
  }
  const providers = signInProviders(
    configApi.getOptionalString('auth.environment'),
    { title: t('sso.title'), message: t('sso.message') },
  );
  return <SignInPage {...props} providers={providers} />;
}

const signInPage = SignInPageBlueprint.make({
  params: { loader: async () => LiteMaaSSignInPage },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    oidcAuthApi,
    signInPage,
    TranslationBlueprint.make({
      name: 'litemaas-sign-in',
      params: { resource: signInTranslations },
    }),
  ],
});
