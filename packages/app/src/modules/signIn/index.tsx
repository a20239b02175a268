import { OAuth2 } from '@backstage/core-app-api';
import {
  ApiBlueprint,
  configApiRef,
  createApiRef,
  createFrontendModule,
  discoveryApiRef,
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
} from '@backstage/plugin-app-react';
import { SignInPage } from '@backstage/core-components';
import type { ComponentProps } from 'react';

/**
 * Sign-in through the backend's `oidc` provider (app-config.production.yaml), for any
 * OpenID Connect identity provider (Keycloak, Entra ID, Okta, Dex, ...).
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

/** Guest sign-in in development, OIDC (single sign-on) everywhere else. */
export function signInProviders(
  environment: string | undefined,
): SignInPageProviders {
  if (environment === 'development') {
    return ['guest'];
  }
  return [
    {
      id: 'oidc',
      title: 'Single sign-on',
      message: 'Sign in with your organization account',
      apiRef: oidcAuthApiRef,
    },
  ];
}

type SignInPageProviders = ComponentProps<typeof SignInPage> extends infer P
  ? P extends { providers: infer T }
    ? T
    : never
  : never;

function LiteMaaSSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const providers = signInProviders(
    configApi.getOptionalString('auth.environment'),
  );
  return <SignInPage {...props} providers={providers} />;
}

const signInPage = SignInPageBlueprint.make({
  params: { loader: async () => LiteMaaSSignInPage },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [oidcAuthApi, signInPage],
});
