import type { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';
import { Link } from '@backstage/core-components';
import {
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  CardTitle,
} from '@patternfly/react-core/dist/dynamic/components/Card';
import { Checkbox } from '@patternfly/react-core/dist/dynamic/components/Checkbox';
import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
} from '@patternfly/react-core/dist/dynamic/components/DescriptionList';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import {
  Flex,
  FlexItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Flex';
import {
  AccessLabel,
  CapabilityLabels,
  formatCompact,
  formatPricePerMillion,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { useModelLink } from './paths';
import { SubscribeButton } from './subscribe/SubscribeButton';

/** One model in the card view: what it is, what it costs, my access and the action. */
export function ModelCard(props: {
  model: ModelListItem;
  currency: string;
  selected: boolean;
  selectDisabled: boolean;
  onSelect: (selected: boolean) => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const modelLink = useModelLink();
  const { model, currency } = props;
  const none = t('common.format.none');
  const titleId = `litemaas-model-${model.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <Card isCompact isFullHeight aria-labelledby={titleId} component="article">
      <CardHeader>
        <CardTitle id={titleId}>
          <Link to={modelLink(model.id)} style={{ wordBreak: 'break-word' }}>
            {model.id}
          </Link>
        </CardTitle>
        <Flex spaceItems={{ default: 'spaceItemsSm' }} style={{ marginTop: 4 }}>
          <FlexItem>
            <Content component="small">{model.provider}</Content>
          </FlexItem>
          <FlexItem>
            <AccessLabel model={model} />
          </FlexItem>
        </Flex>
      </CardHeader>
      <CardBody>
        {model.description && (
          <Content
            component="p"
            style={{
              display: '-webkit-box',
              WebkitLineClamp: 2,
              WebkitBoxOrient: 'vertical',
              overflow: 'hidden',
            }}
          >
            {model.description}
          </Content>
        )}
        <DescriptionList
          isCompact
          isHorizontal={false}
          columnModifier={{ default: '3Col' }}
        >
          <DescriptionListGroup>
            <DescriptionListTerm>
              {t('models.card.context')}
            </DescriptionListTerm>
            <DescriptionListDescription>
              {formatCompact(model.contextLength, locale) ?? none}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('models.card.input')}</DescriptionListTerm>
            <DescriptionListDescription>
              {formatPricePerMillion(
                model.inputCostPerToken,
                currency,
                locale,
              ) ?? none}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('models.card.output')}</DescriptionListTerm>
            <DescriptionListDescription>
              {formatPricePerMillion(
                model.outputCostPerToken,
                currency,
                locale,
              ) ?? none}
            </DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>
        <div style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}>
          <CapabilityLabels
            capabilities={model.capabilities}
            numLabels={3}
            label={t('models.columns.capabilities')}
          />
        </div>
      </CardBody>
      <CardFooter>
        <Flex
          justifyContent={{ default: 'justifyContentSpaceBetween' }}
          alignItems={{ default: 'alignItemsCenter' }}
        >
          <FlexItem>
            <Checkbox
              id={`${titleId}-compare`}
              label={t('models.card.compare')}
              aria-label={t('models.card.compareLabel', { model: model.id })}
              isChecked={props.selected}
              isDisabled={props.selectDisabled && !props.selected}
              onChange={(_e, checked) => props.onSelect(checked)}
            />
          </FlexItem>
          <FlexItem>
            <SubscribeButton model={model} size="sm" />
          </FlexItem>
        </Flex>
      </CardFooter>
    </Card>
  );
}
