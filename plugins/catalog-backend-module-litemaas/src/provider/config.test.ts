import { mockServices } from '@backstage/backend-test-utils';

type ConfigData = NonNullable<
  Parameters<typeof mockServices.rootConfig>[0]
>['data'];
import { readProviderConfig } from './config';

const read = (data: ConfigData) =>
  readProviderConfig(mockServices.rootConfig({ data }));

describe('readProviderConfig', () => {
  it('has defaults for everything', () => {
    expect(read({})).toEqual({
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 3 } },
      owner: 'group:default/platform-team',
      system: undefined,
      lifecycle: 'production',
      gatewayName: 'litemaas-gateway',
      apiType: 'openai',
      apiUrl: undefined,
      fallbackApiUrl: undefined,
      appBaseUrl: undefined,
      currency: 'USD',
    });
  });

  it('reads the provider settings', () => {
    const config = read({
      app: { baseUrl: 'https://portal.example.com/' },
      litemaas: { publicBaseUrl: 'https://llm.example.com/', currency: 'EUR' },
      catalog: {
        providers: {
          litemaas: {
            schedule: { frequency: { seconds: 30 }, timeout: { seconds: 20 } },
            owner: 'ml-team',
            system: 'ai-platform',
            lifecycle: 'experimental',
            gatewayName: 'llm-gateway',
            api: { type: 'openapi' },
          },
        },
      },
    });
    expect(config).toMatchObject({
      owner: 'group:default/ml-team',
      system: 'system:default/ai-platform',
      lifecycle: 'experimental',
      gatewayName: 'llm-gateway',
      apiType: 'openapi',
      fallbackApiUrl: 'https://llm.example.com',
      appBaseUrl: 'https://portal.example.com',
      currency: 'EUR',
    });
    expect(config.schedule.frequency).toEqual({ seconds: 30 });
  });

  it('refuses a bad owner or gateway name at startup', () => {
    expect(() =>
      read({ catalog: { providers: { litemaas: { owner: 'group:' } } } }),
    ).toThrow(/catalog.providers.litemaas.owner/);
    expect(() =>
      read({ catalog: { providers: { litemaas: { gatewayName: 'a/b' } } } }),
    ).toThrow(/gatewayName/);
  });
});
