import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** Settings of the LiteMaaS entity provider, read once from `catalog.providers.litemaas`. */
export interface LiteMaaSProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  owner: string;
  system?: string;
  lifecycle: string;
  gatewayName: string;
  apiType: string;
  /** `catalog.providers.litemaas.api.url`: wins over everything else. */
  apiUrl?: string;
  /** Used when neither the config above nor the backend names the URL. */
  fallbackApiUrl?: string;
  appBaseUrl?: string;
  currency: string;
}

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
};
export const DEFAULT_OWNER = 'group:default/platform-team';
export const DEFAULT_GATEWAY_NAME = 'litemaas-gateway';

const CONFIG_ROOT = 'catalog.providers.litemaas';

function fullRef(value: string, defaultKind: string, key: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (error) {
    throw new InputError(
      `Invalid ${CONFIG_ROOT}.${key} '${value}': ${(error as Error).message}`,
    );
  }
}

function trimSlash(url: string | undefined): string | undefined {
  return url?.replace(/\/+$/, '') || undefined;
}

/** Reads and checks the provider's settings; throws at startup on a bad value. */
export function readProviderConfig(
  config: RootConfigService,
): LiteMaaSProviderConfig {
  const c = config.getOptionalConfig(CONFIG_ROOT);
  const schedule = c?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        c.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  const gatewayName =
    c?.getOptionalString('gatewayName') ?? DEFAULT_GATEWAY_NAME;
  if (!makeValidator().isValidEntityName(gatewayName)) {
    throw new InputError(
      `Invalid ${CONFIG_ROOT}.gatewayName '${gatewayName}': not a valid entity name`,
    );
  }
  const system = c?.getOptionalString('system');
  return {
    schedule,
    owner: fullRef(
      c?.getOptionalString('owner') ?? DEFAULT_OWNER,
      'group',
      'owner',
    ),
    system: system ? fullRef(system, 'system', 'system') : undefined,
    lifecycle: c?.getOptionalString('lifecycle') ?? 'production',
    gatewayName,
    apiType: c?.getOptionalString('api.type') ?? 'openai',
    apiUrl: trimSlash(c?.getOptionalString('api.url')),
    fallbackApiUrl: trimSlash(
      config.getOptionalString('litemaas.publicBaseUrl') ??
        config.getOptionalString('litemaas.litellm.baseUrl'),
    ),
    appBaseUrl: trimSlash(config.getOptionalString('app.baseUrl')),
    currency: config.getOptionalString('litemaas.currency') ?? 'USD',
  };
}
