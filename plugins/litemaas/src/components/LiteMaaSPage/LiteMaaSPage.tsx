import { Content, Header, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Grid from '@material-ui/core/Grid';
import { Route, Routes } from 'react-router-dom';
import { litemaasTranslationRef } from '../../translations/ref';
import { ModelPage } from '../ModelPage';
import { ModelsTable } from '../ModelsTable';
import { ServiceStatus } from '../ServiceStatus';

/**
 * The LiteMaaS page: the models LiteLLM serves (`/litemaas`) and one model's page
 * (`/litemaas/models/<url-encoded id>`, where catalog entities link to).
 *
 * @public
 */
export function LiteMaaSPage() {
  const { t } = useTranslationRef(litemaasTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <Routes>
          <Route
            path="/"
            element={
              <Grid container spacing={3}>
                <Grid item xs={12}>
                  <ModelsTable />
                </Grid>
                <Grid item xs={12} md={6}>
                  <ServiceStatus />
                </Grid>
              </Grid>
            }
          />
          <Route path="/models/*" element={<ModelPage />} />
        </Routes>
      </Content>
    </Page>
  );
}
