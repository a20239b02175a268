import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { litemaasApiRef } from '../../api';
import { litemaasTranslationRef } from '../../translations/ref';

/** Whether the LiteMaaS backend and its database answer. */
export function ServiceStatus() {
  const api = useApi(litemaasApiRef);
  const { t } = useTranslationRef(litemaasTranslationRef);
  const { loading, value, error } = useAsync(() => api.getHealth(), [api]);

  let content;
  if (loading) {
    content = (
      <>
        <Progress />
        <Typography variant="body2">{t('status.loading')}</Typography>
      </>
    );
  } else if (error) {
    content = (
      <Typography role="alert" color="error">
        {t('status.unreachable', { message: error.message })}
      </Typography>
    );
  } else {
    content = (
      <Typography>
        {value?.status === 'ok' ? t('status.healthy') : t('status.degraded')}
      </Typography>
    );
  }
  return <InfoCard title={t('status.cardTitle')}>{content}</InfoCard>;
}
