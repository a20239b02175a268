import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { litemaasApiRef } from '../../api';
import { litemaasTranslationRef } from '../../translations/ref';

/** The service status card: loading, healthy, degraded and unreachable states. */
function ServiceStatus() {
  const api = useApi(litemaasApiRef);
  const { t } = useTranslationRef(litemaasTranslationRef);
  const { loading, value, error } = useAsync(() => api.getHealth(), [api]);

  if (loading) {
    return (
      <>
        <Progress />
        <Typography variant="body2">{t('status.loading')}</Typography>
      </>
    );
  }
  if (error) {
    return (
      <Typography role="alert" color="error">
        {t('status.unreachable', { message: error.message })}
      </Typography>
    );
  }
  return (
    <Typography>
      {value?.status === 'ok' ? t('status.healthy') : t('status.degraded')}
    </Typography>
  );
}

/**
 * The LiteMaaS landing page.
 *
 * @public
 */
export function LiteMaaSPage() {
  const { t } = useTranslationRef(litemaasTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <InfoCard title={t('status.cardTitle')}>
          <ServiceStatus />
        </InfoCard>
      </Content>
    </Page>
  );
}
