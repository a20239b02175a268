import {
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { litemaasApiRef } from '../../api';
import { litemaasTranslationRef } from '../../translations/ref';
import { formatCount, formatPricePerMillion, modelPath } from '../format';
import { AccessChip } from './AccessChip';

/** Every model LiteLLM serves, with prices, capabilities and my access. */
export function ModelsTable() {
  const api = useApi(litemaasApiRef);
  const { t } = useTranslationRef(litemaasTranslationRef);
  const { loading, value, error } = useAsync(() => api.listModels(), [api]);

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }

  const columns: TableColumn<ModelListItem>[] = [
    {
      title: t('models.columns.model'),
      field: 'id',
      highlight: true,
      render: model => <Link to={modelPath(model.id)}>{model.id}</Link>,
    },
    { title: t('models.columns.provider'), field: 'provider' },
    {
      title: t('models.columns.context'),
      field: 'contextLength',
      type: 'numeric',
      render: model => formatCount(model.contextLength),
    },
    {
      title: t('models.columns.inputPrice'),
      field: 'inputCostPerToken',
      type: 'numeric',
      render: model => formatPricePerMillion(model.inputCostPerToken),
    },
    {
      title: t('models.columns.outputPrice'),
      field: 'outputCostPerToken',
      type: 'numeric',
      render: model => formatPricePerMillion(model.outputCostPerToken),
    },
    {
      title: t('models.columns.capabilities'),
      render: model => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {model.capabilities.map(capability => (
            <Chip key={capability} size="small" label={capability} />
          ))}
        </Box>
      ),
    },
    {
      title: t('models.columns.access'),
      render: model => <AccessChip model={model} />,
    },
  ];

  return (
    <Table<ModelListItem>
      title={t('models.title')}
      isLoading={loading}
      columns={columns}
      data={value?.items ?? []}
      options={{ paging: false, search: true, padding: 'dense' }}
      emptyContent={
        <Typography style={{ padding: 16 }}>{t('models.empty')}</Typography>
      }
    />
  );
}
