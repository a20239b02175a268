import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import UsersIcon from '@patternfly/react-icons/dist/dynamic/icons/users-icon';
import { useLiteMaaSConfig, useTeam } from '../../api';
import {
  EmptyView,
  errorStatus,
  ErrorView,
  LoadingState,
  QueryView,
  useLiteMaaSPath,
} from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';
import { TeamSummary } from '../teams';
import { EntityCardFrame } from './EntityCardFrame';

function TeamCardBody(props: { groupRef: string }) {
  const { t } = useLiteMaaSTranslation();
  const team = useTeam(props.groupRef);
  const config = useLiteMaaSConfig();
  // 404: LiteMaaS is not enabled for the group, or the viewer is not a member.
  if (errorStatus(team.error) === 404) {
    return (
      <EmptyView
        icon={UsersIcon}
        title={t('cards.team.notEnabledTitle')}
        body={t('cards.team.notEnabledBody')}
        headingLevel="h3"
      />
    );
  }
  if (team.error) {
    return <ErrorView error={team.error} onRetry={() => team.refetch()} />;
  }
  if (!team.data) return <LoadingState />;
  return (
    <QueryView query={config}>
      {cfg => <TeamSummary team={team.data} config={cfg} />}
    </QueryView>
  );
}

/**
 * The team card of a `Group`: its LiteMaaS budget and where it comes from, spend this
 * period, members, top models and the members' usage where the viewer may see it.
 *
 * @public
 */
export function TeamEntityCard() {
  const { t } = useLiteMaaSTranslation();
  const { entity } = useEntity();
  const teamsPath = useLiteMaaSPath()('teams');
  return (
    <EntityCardFrame
      title={t('cards.team.title')}
      deepLink={{ title: t('cards.openInLiteMaaS'), link: teamsPath }}
    >
      <TeamCardBody groupRef={stringifyEntityRef(entity)} />
    </EntityCardFrame>
  );
}
