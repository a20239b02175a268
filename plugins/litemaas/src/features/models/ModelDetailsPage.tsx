import { useParams } from 'react-router-dom';
import { Link } from '@backstage/core-components';
import type { ModelDetails } from '@litemaas/backstage-plugin-litemaas-common';
import {
  Card,
  CardBody,
  CardTitle,
} from '@patternfly/react-core/dist/dynamic/components/Card';
import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import { Title } from '@patternfly/react-core/dist/dynamic/components/Title';
import {
  List,
  ListItem,
} from '@patternfly/react-core/dist/dynamic/components/List';
import {
  Flex,
  FlexItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Flex';
import {
  Grid,
  GridItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Grid';
import { useLiteMaaSConfig, useModel, useModelEntityRef } from '../../api';
import {
  AccessLabel,
  CapabilityLabels,
  catalogPath,
  formatCount,
  formatDate,
  formatDateTime,
  formatPricePerMillion,
  QueryView,
  TermList,
  TermListRow,
  useLiteMaaSPath,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { ModelKeysList } from './ModelKeysList';
import { useModelLink } from './paths';
import { SubscribeButton } from './subscribe/SubscribeButton';

function AccessCard(props: { model: ModelDetails }) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const { model } = props;
  const status = model.subscription?.status;
  const text = {
    active: t('models.details.accessActive'),
    pending: t('models.details.accessPending'),
    denied: t('models.details.accessDenied'),
  }[status as 'active' | 'pending' | 'denied'];
  return (
    <Card isFullHeight>
      <CardTitle component="h3">{t('models.details.access')}</CardTitle>
      <CardBody>
        <Flex
          direction={{ default: 'column' }}
          spaceItems={{ default: 'spaceItemsSm' }}
        >
          <FlexItem>
            <AccessLabel model={model} />
          </FlexItem>
          <FlexItem>
            <Content component="p">
              {text ?? t('models.details.accessNone')}
            </Content>
            {model.subscription?.expiresAt && (
              <Content component="p">
                {t('models.details.accessExpires', {
                  date: formatDate(model.subscription.expiresAt, locale) ?? '',
                })}
              </Content>
            )}
          </FlexItem>
          <FlexItem>
            <SubscribeButton model={model} />
          </FlexItem>
        </Flex>
      </CardBody>
    </Card>
  );
}

function MyKeysCard(props: { modelId: string }) {
  const { t } = useLiteMaaSTranslation();
  return (
    <Card isFullHeight>
      <CardTitle component="h3">{t('models.details.myKeys')}</CardTitle>
      <CardBody>
        <ModelKeysList modelId={props.modelId} />
      </CardBody>
    </Card>
  );
}

function Overview(props: { model: ModelDetails; currency: string }) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const entityRef = useModelEntityRef(props.model.id);
  const { model, currency } = props;
  const none = t('common.format.none');
  const rows: TermListRow[] = [
    [t('models.details.fields.id'), <code key="id">{model.id}</code>],
    [t('models.details.fields.provider'), model.provider],
    [t('models.details.fields.mode'), model.mode],
    [
      t('models.details.fields.context'),
      formatCount(model.contextLength, locale) ?? none,
    ],
    [
      t('models.details.fields.inputPrice'),
      formatPricePerMillion(model.inputCostPerToken, currency, locale) ?? none,
    ],
    [
      t('models.details.fields.outputPrice'),
      formatPricePerMillion(model.outputCostPerToken, currency, locale) ?? none,
    ],
    [
      t('models.details.fields.capabilities'),
      model.capabilities.length ? (
        <CapabilityLabels capabilities={model.capabilities} numLabels={10} />
      ) : (
        none
      ),
    ],
    [
      t('models.details.fields.lastSynced'),
      formatDateTime(model.lastSyncedAt, locale) ?? none,
    ],
    [
      t('models.details.fields.catalog'),
      entityRef.data ? (
        <Link to={catalogPath(entityRef.data)}>
          {t('models.details.openInCatalog')}
        </Link>
      ) : (
        t('models.details.notInCatalog')
      ),
    ],
  ];
  return (
    <Card isFullHeight>
      <CardTitle component="h3">{t('models.details.overview')}</CardTitle>
      <CardBody>
        {model.description && (
          <Content component="p">{model.description}</Content>
        )}
        <TermList rows={rows} />
      </CardBody>
    </Card>
  );
}

/**
 * One model: description, prices, context, capabilities, deprecation with its
 * replacement, my access and keys, its consumers from the catalog and its entity.
 */
export function ModelDetailsPage() {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const id = decodeURIComponent(useParams()['*'] ?? '');
  const model = useModel(id);
  const config = useLiteMaaSConfig();
  const path = useLiteMaaSPath();
  const modelLink = useModelLink();
  const currency = config.data?.currency ?? 'USD';

  return (
    <>
      <Link to={path()}>← {t('models.details.back')}</Link>
      <QueryView query={model} loadingLabel={t('models.details.loading')}>
        {data => (
          <Grid
            hasGutter
            style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
          >
            <GridItem span={12}>
              <Title
                headingLevel="h2"
                size="2xl"
                style={{ wordBreak: 'break-word' }}
              >
                {data.id}
              </Title>
            </GridItem>
            {data.deprecated && (
              <GridItem span={12}>
                <Alert
                  variant="warning"
                  isInline
                  title={t('models.details.deprecated')}
                >
                  {data.replacementModelId ? (
                    <>
                      {t('models.details.deprecatedBody', {
                        replacement: data.replacementModelId,
                        date: formatDate(data.deprecationDate, locale) ?? '–',
                      })}{' '}
                      <Link
                        to={modelLink(data.replacementModelId)}
                        underline="always"
                      >
                        {data.replacementModelId}
                      </Link>
                    </>
                  ) : (
                    t('models.details.deprecatedNoReplacement', {
                      date: formatDate(data.deprecationDate, locale) ?? '–',
                    })
                  )}
                </Alert>
              </GridItem>
            )}
            <GridItem md={8}>
              <Overview model={data} currency={currency} />
            </GridItem>
            <GridItem md={4}>
              <Grid hasGutter>
                <GridItem>
                  <AccessCard model={data} />
                </GridItem>
                <GridItem>
                  <MyKeysCard modelId={data.id} />
                </GridItem>
              </Grid>
            </GridItem>
            <GridItem span={12}>
              <Card>
                <CardTitle component="h3">
                  {t('models.details.consumers')}
                </CardTitle>
                <CardBody>
                  {data.consumers.length === 0 ? (
                    <Content component="p">
                      {t('models.details.consumersEmpty')}
                    </Content>
                  ) : (
                    <List isPlain>
                      {data.consumers.map(consumer => (
                        <ListItem key={consumer.entityRef}>
                          <Link
                            to={catalogPath(consumer.entityRef)}
                            underline="always"
                          >
                            {consumer.title ?? consumer.entityRef}
                          </Link>
                          {consumer.ownerRef && ` (${consumer.ownerRef})`}
                        </ListItem>
                      ))}
                    </List>
                  )}
                </CardBody>
              </Card>
            </GridItem>
          </Grid>
        )}
      </QueryView>
    </>
  );
}
