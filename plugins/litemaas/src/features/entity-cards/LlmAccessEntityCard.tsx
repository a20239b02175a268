import { Link } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ANNOTATION_LITEMAAS_MODELS,
  ApiKey,
  KEY_METADATA_COMPONENT,
  litemaasKeyCreatePermission,
  parseModelsAnnotation,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import { Label } from '@patternfly/react-core/dist/dynamic/components/Label';
import {
  List,
  ListItem,
} from '@patternfly/react-core/dist/dynamic/components/List';
import { Tooltip } from '@patternfly/react-core/dist/dynamic/components/Tooltip';
import {
  Flex,
  FlexItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Flex';
import PlusIcon from '@patternfly/react-icons/dist/dynamic/icons/plus-icon';
import { useNavigate } from 'react-router-dom';
import { useKeys, useKeysUsage, useLiteMaaSConfig, useModels } from '../../api';
import {
  AccessLabel,
  KeyStatusLabel,
  QueryView,
  SpendBar,
  useLiteMaaSPath,
  CardSection,
} from '../../components';
import { useModelLink } from '../models';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';
import { EntityCardFrame } from './EntityCardFrame';

/** Keys that belong to the entity, or were minted for it (a template records it). */
export function keysOfEntity(keys: readonly ApiKey[], entityRef: string) {
  return keys.filter(
    key =>
      key.ownerRef === entityRef ||
      key.metadata?.[KEY_METADATA_COMPONENT] === entityRef,
  );
}

function DeclaredModels(props: { modelIds: string[] }) {
  const { t } = useLiteMaaSTranslation();
  const models = useModels();
  const modelLink = useModelLink();
  if (props.modelIds.length === 0) {
    return <Content component="p">{t('cards.llmAccess.noModels')}</Content>;
  }
  return (
    <QueryView query={models}>
      {data => (
        <List isPlain>
          {props.modelIds.map(id => {
            const model = data.items.find(m => m.id === id);
            return (
              <ListItem key={id}>
                <Flex
                  spaceItems={{ default: 'spaceItemsSm' }}
                  alignItems={{ default: 'alignItemsCenter' }}
                >
                  <FlexItem>
                    {model ? <Link to={modelLink(id)}>{id}</Link> : id}
                  </FlexItem>
                  <FlexItem>
                    {model ? (
                      <AccessLabel model={model} />
                    ) : (
                      <Label color="grey" isCompact>
                        {t('cards.llmAccess.notInLiteMaaS')}
                      </Label>
                    )}
                  </FlexItem>
                </Flex>
              </ListItem>
            );
          })}
        </List>
      )}
    </QueryView>
  );
}

function EntityKeys(props: { entityRef: string; name: string }) {
  const { t } = useLiteMaaSTranslation();
  const keys = useKeys();
  const config = useLiteMaaSConfig();
  const owned = keysOfEntity(keys.data?.items ?? [], props.entityRef);
  const usage = useKeysUsage();
  return (
    <QueryView query={keys}>
      {() =>
        owned.length === 0 ? (
          <Content component="p">
            {t('cards.llmAccess.noKeys', { name: props.name })}
          </Content>
        ) : (
          <List isPlain>
            {owned.map(key => (
              <ListItem key={key.id}>
                <Flex
                  spaceItems={{ default: 'spaceItemsSm' }}
                  alignItems={{ default: 'alignItemsCenter' }}
                >
                  <FlexItem>{key.name}</FlexItem>
                  <FlexItem>
                    <KeyStatusLabel apiKey={key} />
                  </FlexItem>
                </Flex>
                <SpendBar
                  spend={usage.get(key.id)?.spend}
                  budget={usage.get(key.id)?.maxBudget ?? key.maxBudget}
                  currency={config.data?.currency ?? 'USD'}
                  label={key.name}
                />
              </ListItem>
            ))}
          </List>
        )
      }
    </QueryView>
  );
}

function MintButton(props: { model?: string; owner: string }) {
  const { t } = useLiteMaaSTranslation();
  const navigate = useNavigate();
  const path = useLiteMaaSPath();
  const canCreate = usePermission({ permission: litemaasKeyCreatePermission });
  const button = (
    <Button
      variant="secondary"
      size="sm"
      icon={<PlusIcon />}
      isAriaDisabled={!canCreate.allowed}
      onClick={() =>
        navigate(
          `${path('keys')}?${new URLSearchParams({
            create: props.model ?? '',
            owner: props.owner,
          })}`,
        )
      }
    >
      {t('cards.llmAccess.mint')}
    </Button>
  );
  return !canCreate.loading && !canCreate.allowed ? (
    <Tooltip content={t('cards.llmAccess.mintDenied')}>{button}</Tooltip>
  ) : (
    button
  );
}

/**
 * The "LLM access" card of a `Component` or `System`: the models it declares in
 * `litemaas.io/models` with my access to each, the keys that belong to it with their
 * spend against budget, and a button to create a key owned by it.
 *
 * @public
 */
export function LlmAccessEntityCard() {
  const { t } = useLiteMaaSTranslation();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const modelIds = parseModelsAnnotation(
    entity.metadata.annotations?.[ANNOTATION_LITEMAAS_MODELS],
  );
  const name = entity.metadata.title ?? entity.metadata.name;
  const keysPath = useLiteMaaSPath()('keys');
  return (
    <EntityCardFrame
      title={t('cards.llmAccess.title')}
      deepLink={{
        title: t('cards.openInLiteMaaS'),
        link: keysPath,
      }}
    >
      <CardSection title={t('cards.llmAccess.models')}>
        <DeclaredModels modelIds={modelIds} />
      </CardSection>
      <CardSection title={t('cards.llmAccess.keys', { name })}>
        <EntityKeys entityRef={entityRef} name={name} />
      </CardSection>
      <div style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
        <MintButton model={modelIds[0]} owner={entityRef} />
      </div>
    </EntityCardFrame>
  );
}
