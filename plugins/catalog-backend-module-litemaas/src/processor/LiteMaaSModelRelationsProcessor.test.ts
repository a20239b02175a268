import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { modelEntityName } from '../entities/entityName';
import { LiteMaaSModelRelationsProcessor } from './LiteMaaSModelRelationsProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function entity(
  kind: string,
  models?: string,
  name = 'invoice-assistant',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(models !== undefined
        ? { annotations: { 'litemaas.io/models': models } }
        : {}),
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  };
}

async function relationsOf(e: Entity) {
  const processor = new LiteMaaSModelRelationsProcessor();
  const emitted: CatalogProcessorResult[] = [];
  const result = await processor.postProcessEntity(e, location, r =>
    emitted.push(r),
  );
  expect(result).toBe(e);
  return emitted.map(r => {
    if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
    const ref = (x: { kind: string; namespace: string; name: string }) =>
      `${x.kind.toLowerCase()}:${x.namespace}/${x.name}`;
    return `${ref(r.relation.source)} ${r.relation.type} ${ref(
      r.relation.target,
    )}`;
  });
}

const granite = `resource:default/${modelEntityName(
  'ibm-granite/granite-3.1-8b-instruct',
)}`;

describe('LiteMaaSModelRelationsProcessor', () => {
  it('relates an annotated component and its models both ways', async () => {
    await expect(
      relationsOf(
        entity('Component', 'gpt-4o, ibm-granite/granite-3.1-8b-instruct'),
      ),
    ).resolves.toEqual([
      'component:default/invoice-assistant dependsOn resource:default/gpt-4o',
      'resource:default/gpt-4o dependencyOf component:default/invoice-assistant',
      `component:default/invoice-assistant dependsOn ${granite}`,
      `${granite} dependencyOf component:default/invoice-assistant`,
    ]);
  });

  it('relates a system too', async () => {
    await expect(
      relationsOf(entity('System', 'llama3.2:3b', 'payments-platform')),
    ).resolves.toEqual([
      `system:default/payments-platform dependsOn resource:default/${modelEntityName(
        'llama3.2:3b',
      )}`,
      `resource:default/${modelEntityName(
        'llama3.2:3b',
      )} dependencyOf system:default/payments-platform`,
    ]);
  });

  it('ignores empty and duplicate entries', async () => {
    await expect(
      relationsOf(entity('Component', ' , gpt-4o,,gpt-4o , ')),
    ).resolves.toEqual([
      'component:default/invoice-assistant dependsOn resource:default/gpt-4o',
      'resource:default/gpt-4o dependencyOf component:default/invoice-assistant',
    ]);
    await expect(relationsOf(entity('Component', ' , '))).resolves.toEqual([]);
    await expect(relationsOf(entity('Component', ''))).resolves.toEqual([]);
  });

  it('relates models that are not synced yet: the relation resolves when they appear', async () => {
    await expect(
      relationsOf(entity('Component', 'gpt-4o, not-synced-yet')),
    ).resolves.toEqual([
      'component:default/invoice-assistant dependsOn resource:default/gpt-4o',
      'resource:default/gpt-4o dependencyOf component:default/invoice-assistant',
      'component:default/invoice-assistant dependsOn resource:default/not-synced-yet',
      'resource:default/not-synced-yet dependencyOf component:default/invoice-assistant',
    ]);
  });

  it('leaves other kinds and components without the annotation alone', async () => {
    const processor = new LiteMaaSModelRelationsProcessor();
    const emit = jest.fn();
    for (const e of [
      entity('Resource', 'gpt-4o'),
      entity('API', 'gpt-4o'),
      entity('User', 'gpt-4o'),
      entity('Component'),
    ]) {
      await processor.postProcessEntity(e, location, emit);
    }
    expect(emit).not.toHaveBeenCalled();
  });
});
