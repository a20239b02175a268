import {
  ApiEntity,
  ComponentEntity,
  ResourceEntity,
} from '@backstage/catalog-model';
import {
  aModel,
  emulatorDefaultModels,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { validateLikeTheCatalog } from '../__testUtils__/entities';
import { modelEntityName } from './entityName';
import {
  buildEntities,
  EntityShapeOptions,
  modelToEntity,
  pricePerMillionTokens,
} from './modelEntity';

const options: EntityShapeOptions = {
  owner: 'group:default/platform-team',
  lifecycle: 'production',
  gatewayName: 'litemaas-gateway',
  apiType: 'openai',
  apiUrl: 'https://llm.example.com',
  appBaseUrl: 'https://portal.example.com/',
  currency: 'USD',
  location: 'litemaas:LiteMaaSEntityProvider',
};

describe('entities of the emulator default models', () => {
  const models = emulatorDefaultModels();
  const { entities, modelIds } = buildEntities(models, options);

  it('emits the gateway and one Resource per model', () => {
    expect(models.length).toBeGreaterThanOrEqual(10);
    expect(modelIds).toEqual(models.map(m => m.id));
    expect(entities.map(e => e.kind)).toEqual([
      'Component',
      'API',
      ...models.map(() => 'Resource'),
    ]);
  });

  it('all pass the catalog validation', async () => {
    for (const entity of entities) {
      await expect(validateLikeTheCatalog(entity)).resolves.toBeUndefined();
    }
  });

  it('describes a model fully', () => {
    const granite = entities.find(
      e => e.metadata.title === 'ibm-granite/granite-3.1-8b-instruct',
    ) as ResourceEntity;
    const source = models.find(
      m => m.id === 'ibm-granite/granite-3.1-8b-instruct',
    )!;
    expect(granite.metadata.name).toBe(modelEntityName(source.id));
    expect(granite.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': 'litemaas:LiteMaaSEntityProvider',
      'backstage.io/managed-by-origin-location':
        'litemaas:LiteMaaSEntityProvider',
      'litemaas.io/model-id': 'ibm-granite/granite-3.1-8b-instruct',
      'litemaas.io/provider': source.provider,
      'litemaas.io/mode': 'chat',
      'litemaas.io/restricted': 'false',
      'litemaas.io/context-length': String(source.contextLength),
      'litemaas.io/currency': 'USD',
    });
    expect(
      granite.metadata.annotations!['litemaas.io/deprecated'],
    ).toBeUndefined();
    expect(granite.metadata.tags).toContain(source.provider.replace(/_/g, '-'));
    expect(granite.metadata.tags).toContain('chat');
    expect(granite.metadata.links).toEqual([
      expect.objectContaining({
        url: 'https://portal.example.com/litemaas/models/ibm-granite%2Fgranite-3.1-8b-instruct',
      }),
    ]);
    expect(granite.spec).toEqual({
      type: 'ai-model',
      owner: 'group:default/platform-team',
    });
  });

  it('prices per million tokens as plain decimals', () => {
    const gpt = entities.find(e => e.metadata.name === 'gpt-4o')!;
    expect(gpt.metadata.annotations).toMatchObject({
      'litemaas.io/input-price-per-million-tokens': '2.5',
      'litemaas.io/output-price-per-million-tokens': '10',
    });
    const mini = entities.find(e => e.metadata.name === 'gpt-4o-mini')!;
    expect(mini.metadata.annotations).toMatchObject({
      'litemaas.io/input-price-per-million-tokens': '0.15',
      'litemaas.io/output-price-per-million-tokens': '0.6',
    });
    expect(pricePerMillionTokens(3e-9)).toBe('0.003');
    expect(pricePerMillionTokens(0)).toBe('0');
  });

  it('describes the gateway as a model server providing an OpenAI API and depending on every model', () => {
    const [component, api] = entities as [ComponentEntity, ApiEntity];
    expect(component.spec).toEqual({
      type: 'model-server',
      lifecycle: 'production',
      owner: 'group:default/platform-team',
      providesApis: ['api:default/litemaas-gateway'],
      dependsOn: models.map(m => `resource:default/${modelEntityName(m.id)}`),
    });
    expect(api.spec.type).toBe('openai');
    expect(api.metadata.annotations!['litemaas.io/base-url']).toBe(
      'https://llm.example.com',
    );
    const definition = JSON.parse(api.spec.definition);
    expect(definition.servers).toEqual([{ url: 'https://llm.example.com' }]);
    expect(Object.keys(definition.paths)).toEqual(
      expect.arrayContaining(['/v1/chat/completions', '/v1/embeddings']),
    );
  });
});

describe('modelToEntity', () => {
  it('keeps a restricted model with its flag', async () => {
    const entity = modelToEntity(
      aModel('gpt-4o', { restricted: true }),
      options,
    );
    expect(entity.metadata.annotations!['litemaas.io/restricted']).toBe('true');
    expect(entity.metadata.tags).toContain('restricted');
    await validateLikeTheCatalog(entity);
  });

  it('marks a deprecated model with its replacement and date', async () => {
    const entity = modelToEntity(
      aModel('llama3.2:3b', {
        deprecated: true,
        replacementModelId: 'meta-llama/Llama-3.3-70B-Instruct',
        deprecationDate: '2026-12-31T00:00:00Z',
      }),
      options,
    );
    expect(entity.metadata.annotations).toMatchObject({
      'litemaas.io/deprecated': 'true',
      'litemaas.io/replacement-model-id': 'meta-llama/Llama-3.3-70B-Instruct',
      'litemaas.io/replacement-entity-ref': `resource:default/${modelEntityName(
        'meta-llama/Llama-3.3-70B-Instruct',
      )}`,
      'litemaas.io/deprecation-date': '2026-12-31T00:00:00Z',
    });
    expect(entity.metadata.tags).toContain('deprecated');
    await validateLikeTheCatalog(entity);
  });

  it('omits unknown numbers, uses the model owner group and the system', async () => {
    const entity = modelToEntity(
      aModel('custom/model', {
        contextLength: null,
        inputCostPerToken: null,
        outputCostPerToken: null,
        description: null,
        capabilities: [],
        ownerGroupRef: 'group:default/ml-team',
      }),
      {
        ...options,
        system: 'system:default/ai-platform',
        appBaseUrl: undefined,
      },
    );
    const annotations = entity.metadata.annotations!;
    expect(annotations['litemaas.io/context-length']).toBeUndefined();
    expect(
      annotations['litemaas.io/input-price-per-million-tokens'],
    ).toBeUndefined();
    expect(annotations['litemaas.io/capabilities']).toBeUndefined();
    expect(entity.metadata.description).toBe(
      'Chat model from openai, served through LiteMaaS.',
    );
    expect(entity.metadata.links).toEqual([]);
    expect(entity.spec.owner).toBe('group:default/ml-team');
    expect(entity.spec.system).toBe('system:default/ai-platform');
    await validateLikeTheCatalog(entity);
  });
});

describe('buildEntities', () => {
  it('leaves unavailable models out', () => {
    const { entities, modelIds } = buildEntities(
      [aModel('gpt-4o'), aModel('o3-mini', { status: 'unavailable' })],
      options,
    );
    expect(modelIds).toEqual(['gpt-4o']);
    expect(entities.map(e => e.metadata.name)).not.toContain('o3-mini');
  });

  it('emits only the gateway when there are no models', () => {
    const { entities } = buildEntities([], { ...options, apiUrl: undefined });
    expect(entities.map(e => e.kind)).toEqual(['Component', 'API']);
    expect(
      JSON.parse((entities[1] as ApiEntity).spec.definition).servers,
    ).toBeUndefined();
  });
});

describe('validateLikeTheCatalog (the test oracle)', () => {
  it('rejects what the catalog rejects', async () => {
    const good = modelToEntity(aModel('gpt-4o'), options);
    await validateLikeTheCatalog(good);
    const bad = [
      { ...good, metadata: { ...good.metadata, name: 'ibm-granite/granite' } },
      { ...good, metadata: { ...good.metadata, tags: ['function_calling'] } },
      { ...good, spec: { ...good.spec, owner: undefined } },
      { ...good, metadata: { ...good.metadata, name: 'x'.repeat(64) } },
    ];
    for (const entity of bad) {
      await expect(validateLikeTheCatalog(entity as any)).rejects.toThrow();
    }
  });
});
