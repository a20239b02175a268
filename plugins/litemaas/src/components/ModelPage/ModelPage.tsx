import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ResponseError } from '@backstage/errors';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { litemaasApiRef } from '../../api';
import { litemaasTranslationRef } from '../../translations/ref';
import { formatCount, formatPricePerMillion } from '../format';
import { AccessChip } from '../ModelsTable';

/** One model: what it is, what it costs, and my access to it. */
export function ModelPage() {
  const api = useApi(litemaasApiRef);
  const { t } = useTranslationRef(litemaasTranslationRef);
  const id = decodeURIComponent(useParams()['*'] ?? '');
  const {
    loading,
    value: model,
    error,
  } = useAsync(() => api.getModel(id), [api, id]);

  const back = <Link to="../..">{t('model.back')}</Link>;
  if (loading) {
    return <Progress />;
  }
  if (error) {
    const notFound = error instanceof ResponseError && error.statusCode === 404;
    return (
      <>
        {back}
        {notFound ? (
          <Typography role="alert">{t('model.notFound', { id })}</Typography>
        ) : (
          <ResponseErrorPanel error={error} />
        )}
      </>
    );
  }
  if (!model) {
    return null;
  }
  return (
    <>
      {back}
      <InfoCard title={model.id} subheader={model.description ?? undefined}>
        {model.deprecated && (
          <Typography role="note" color="error" paragraph>
            {t('model.deprecated', {
              replacement: model.replacementModelId ?? t('model.none'),
              date: model.deprecationDate ?? '–',
            })}
          </Typography>
        )}
        <StructuredMetadataTable
          // The labels are translated sentences: keep them as they are.
          options={{ titleFormat: (label: string) => label }}
          metadata={{
            [t('model.fields.id')]: model.id,
            [t('model.fields.provider')]: model.provider,
            [t('model.fields.mode')]: model.mode,
            [t('model.fields.context')]: formatCount(model.contextLength),
            [t('model.fields.inputPrice')]: formatPricePerMillion(
              model.inputCostPerToken,
            ),
            [t('model.fields.outputPrice')]: formatPricePerMillion(
              model.outputCostPerToken,
            ),
            [t('model.fields.capabilities')]:
              model.capabilities.join(', ') || t('model.none'),
            [t('model.fields.access')]: <AccessChip model={model} />,
            [t('model.fields.lastSynced')]: model.lastSyncedAt ?? '–',
          }}
        />
      </InfoCard>
      <InfoCard title={t('model.consumers.title')}>
        {model.consumers.length === 0 ? (
          <Typography>{t('model.consumers.empty')}</Typography>
        ) : (
          <List dense>
            {model.consumers.map(consumer => (
              <ListItem key={consumer.entityRef}>
                <Link to={catalogPath(consumer.entityRef)}>
                  {consumer.title ?? consumer.entityRef}
                </Link>
                {consumer.ownerRef && (
                  <Typography variant="body2" style={{ marginLeft: 8 }}>
                    ({consumer.ownerRef})
                  </Typography>
                )}
              </ListItem>
            ))}
          </List>
        )}
      </InfoCard>
    </>
  );
}

/** `component:default/name` → the entity's page in the catalog. */
function catalogPath(entityRef: string): string {
  const [, kind, namespace, name] =
    /^([^:]+):([^/]+)\/(.+)$/.exec(entityRef) ?? [];
  return kind ? `/catalog/${namespace}/${kind}/${name}` : '/catalog';
}
