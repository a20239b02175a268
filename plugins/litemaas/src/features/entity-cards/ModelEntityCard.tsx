import { useEntity } from '@backstage/plugin-catalog-react';
import { ANNOTATION_LITEMAAS_MODEL_ID } from '@litemaas/backstage-plugin-litemaas-common';
import type { ModelDetails } from '@litemaas/backstage-plugin-litemaas-common';
import { Label } from '@patternfly/react-core/dist/dynamic/components/Label';
import {
  Flex,
  FlexItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Flex';
import { useLiteMaaSConfig, useModel } from '../../api';
import {
  AccessLabel,
  CardSection,
  EmptyView,
  formatCount,
  formatPricePerMillion,
  QueryView,
  TermList,
  TermListRow,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { ModelKeysList, SubscribeButton, useModelLink } from '../models';
import { EntityCardFrame } from './EntityCardFrame';

function ModelFacts(props: { model: ModelDetails; currency: string }) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const { model, currency } = props;
  const none = t('common.format.none');
  const status = model.deprecated ? (
    <Label color="orange" isCompact>
      {t('cards.model.deprecated')}
    </Label>
  ) : (
    <Label color={model.status === 'unavailable' ? 'grey' : 'green'} isCompact>
      {model.status === 'unavailable'
        ? t('cards.model.unavailable')
        : t('cards.model.available')}
    </Label>
  );
  const rows: TermListRow[] = [
    [
      t('cards.model.inputPrice'),
      formatPricePerMillion(model.inputCostPerToken, currency, locale) ?? none,
    ],
    [
      t('cards.model.outputPrice'),
      formatPricePerMillion(model.outputCostPerToken, currency, locale) ?? none,
    ],
    [
      t('cards.model.context'),
      model.contextLength
        ? t('cards.model.contextTokens', {
            tokens: formatCount(model.contextLength, locale) ?? '',
          })
        : none,
    ],
    [t('cards.model.status'), status],
    [
      t('cards.model.access'),
      <Flex
        key="access"
        spaceItems={{ default: 'spaceItemsSm' }}
        alignItems={{ default: 'alignItemsCenter' }}
      >
        <FlexItem>
          <AccessLabel model={model} />
        </FlexItem>
        <FlexItem>
          <SubscribeButton model={model} size="sm" />
        </FlexItem>
      </Flex>,
    ],
  ];
  return (
    <>
      <TermList rows={rows} />
      <CardSection title={t('cards.model.keys')}>
        <ModelKeysList modelId={model.id} />
      </CardSection>
    </>
  );
}

/**
 * The card of a model `Resource` (`spec.type: ai-model`): prices, context, status, my
 * access with the subscribe or request button, and my keys that include the model.
 *
 * @public
 */
export function ModelEntityCard() {
  const { t } = useLiteMaaSTranslation();
  const { entity } = useEntity();
  const modelId = entity.metadata.annotations?.[ANNOTATION_LITEMAAS_MODEL_ID];
  const modelLink = useModelLink();
  return (
    <EntityCardFrame
      title={t('cards.model.title')}
      deepLink={
        modelId
          ? { title: t('cards.openInLiteMaaS'), link: modelLink(modelId) }
          : undefined
      }
    >
      {modelId ? (
        <ModelCardBody modelId={modelId} />
      ) : (
        <EmptyView
          title={t('cards.model.title')}
          body={t('cards.model.notLinked')}
          headingLevel="h3"
        />
      )}
    </EntityCardFrame>
  );
}

function ModelCardBody(props: { modelId: string }) {
  const model = useModel(props.modelId);
  const config = useLiteMaaSConfig();
  return (
    <QueryView query={config}>
      {cfg => (
        <QueryView query={model}>
          {data => <ModelFacts model={data} currency={cfg.currency} />}
        </QueryView>
      )}
    </QueryView>
  );
}
