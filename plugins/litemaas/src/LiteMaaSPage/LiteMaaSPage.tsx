import { LiteMaaSPageShell, LiteMaaSSection } from '../components';
import { KeysPage } from '../features/keys';
import { ModelDetailsPage, ModelsPage } from '../features/models';
import { RevealPage } from '../features/reveal';
import { TeamsPage } from '../features/teams';
import { SubscriptionsPage } from '../features/subscriptions';
import { useLiteMaaSTranslation } from '../translations/useTranslation';

/**
 * The LiteMaaS page: one tab per feature, each feature from its folder under
 * `features/`. A new screen adds its section (or an extra route) here.
 *
 * @public
 */
export function LiteMaaSPage() {
  const { t } = useLiteMaaSTranslation();
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
      id: 'reveal',
      path: 'reveal',
      title: t('reveal.title'),
      element: <RevealPage />,
      hidden: true,
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
