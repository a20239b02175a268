import { usePermission } from '@backstage/plugin-permission-react';
import { litemaasAuditReadPermission } from '@litemaas/backstage-plugin-litemaas-common';
import { lazyNamed, LiteMaaSPageShell, LiteMaaSSection } from '../components';
import { ModelsPage } from '../features/models/ModelsPage';
import { LiteMaaSQueryProvider, useCanDecideSubscriptions } from '../api';
import { useLiteMaaSTranslation } from '../translations/useTranslation';

// The models tab comes with the page; every other screen is loaded when it is first
// opened, so the first click on LiteMaaS does not bring the key wizard, the tables and
// their stylesheets (bench/frontend.mjs measures what it brings).
const ModelDetailsPage = lazyNamed(
  () => import('../features/models/ModelDetailsPage'),
  'ModelDetailsPage',
);
const SubscriptionsPage = lazyNamed(
  () => import('../features/subscriptions'),
  'SubscriptionsPage',
);
const KeysPage = lazyNamed(() => import('../features/keys'), 'KeysPage');
const TeamsPage = lazyNamed(() => import('../features/teams'), 'TeamsPage');
const ApprovalsPage = lazyNamed(
  () => import('../features/approvals'),
  'ApprovalsPage',
);
const AuditPage = lazyNamed(() => import('../features/audit'), 'AuditPage');
const RevealPage = lazyNamed(() => import('../features/reveal'), 'RevealPage');

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
