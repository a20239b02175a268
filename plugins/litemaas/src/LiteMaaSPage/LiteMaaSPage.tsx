import { usePermission } from '@backstage/plugin-permission-react';
import { litemaasAuditReadPermission } from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSPageShell, LiteMaaSSection } from '../components';
import { KeysPage } from '../features/keys';
import { ModelDetailsPage, ModelsPage } from '../features/models';
import { RevealPage } from '../features/reveal';
import { TeamsPage } from '../features/teams';
import { SubscriptionsPage } from '../features/subscriptions';
import { ApprovalsPage } from '../features/approvals';
import { AuditPage } from '../features/audit';
import { LiteMaaSQueryProvider, useCanDecideSubscriptions } from '../api';
import { useLiteMaaSTranslation } from '../translations/useTranslation';

/**
 * The LiteMaaS page: one tab per feature, each feature from its folder under
 * `features/`. A new screen adds its section (or an extra route) here.
 *
 * @public
 */
export function LiteMaaSPage() {
  // The tabs' visibility reads the query cache, so the cache comes first.
  return (
    <LiteMaaSQueryProvider>
      <LiteMaaSSections />
    </LiteMaaSQueryProvider>
  );
}

function LiteMaaSSections() {
  const { t } = useLiteMaaSTranslation();
  // Screens for the people who decide and oversee: hidden from everyone else, who
  // would only be refused (the backend checks each call again; the screens say so).
  const canDecide = useCanDecideSubscriptions().allowed;
  const canAudit = usePermission({
    permission: litemaasAuditReadPermission,
  }).allowed;
  const sections: LiteMaaSSection[] = [
    {
      id: 'models',
      path: '',
      aliases: ['models'],
      title: t('models.tab'),
      element: <ModelsPage />,
    },
    {
      id: 'subscriptions',
      path: 'subscriptions',
      title: t('subscriptions.tab'),
      element: <SubscriptionsPage />,
    },
    {
      id: 'keys',
      path: 'keys',
      title: t('keys.tab'),
      element: <KeysPage />,
    },
    {
      id: 'teams',
      path: 'teams',
      title: t('teams.tab'),
      element: <TeamsPage />,
    },
    {
      id: 'approvals',
      path: 'approvals',
      title: t('approvals.tab'),
      element: <ApprovalsPage />,
      hidden: !canDecide,
    },
    {
      id: 'audit',
      path: 'audit',
      title: t('audit.tab'),
      element: <AuditPage />,
      hidden: !canAudit,
    },
    {
      id: 'reveal',
      path: 'reveal',
      title: t('reveal.title'),
      element: <RevealPage />,
      standalone: true,
    },
  ];
  return (
    <LiteMaaSPageShell
      title={t('page.title')}
      subtitle={t('page.subtitle')}
      navLabel={t('page.nav')}
      sections={sections}
      extraRoutes={[{ path: 'models/*', element: <ModelDetailsPage /> }]}
    />
  );
}
