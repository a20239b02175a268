import type { ApiKey, Team } from '@litemaas/backstage-plugin-litemaas-common';
import { Link } from '@backstage/core-components';
import {
  Card,
  CardBody,
  CardHeader,
  CardTitle,
} from '@patternfly/react-core/dist/dynamic/components/Card';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
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
import UsersIcon from '@patternfly/react-icons/dist/dynamic/icons/users-icon';
import type { LiteMaaSConfig } from '../../api';
import { useKeys, useLiteMaaSConfig, useTeams } from '../../api';
import {
  CardSection,
  catalogPath,
  EmptyView,
  KeyStatusLabel,
  QueryView,
  shortRef,
  useLiteMaaSPath,
} from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';
import { TeamSummary } from './TeamSummary';

function TeamKeys(props: { keys: readonly ApiKey[] }) {
  const { t } = useLiteMaaSTranslation();
  const path = useLiteMaaSPath();
  if (props.keys.length === 0) {
    return <Content component="p">{t('teams.noKeys')}</Content>;
  }
  return (
    <List isPlain>
      {props.keys.map(key => (
        <ListItem key={key.id}>
          <Link to={path('keys')}>{key.name}</Link>{' '}
          <KeyStatusLabel apiKey={key} />
        </ListItem>
      ))}
    </List>
  );
}

function TeamPanel(props: {
  team: Team;
  config: LiteMaaSConfig;
  keys: readonly ApiKey[];
}) {
  const { t } = useLiteMaaSTranslation();
  const { team } = props;
  const name = team.displayName ?? shortRef(team.ref);
  return (
    <Card isFullHeight>
      <CardHeader>
        <Flex
          justifyContent={{ default: 'justifyContentSpaceBetween' }}
          alignItems={{ default: 'alignItemsCenter' }}
        >
          <FlexItem>
            <CardTitle component="h2">{name}</CardTitle>
          </FlexItem>
          <FlexItem>
            <Link to={catalogPath(team.ref)}>{t('teams.openInCatalog')}</Link>
          </FlexItem>
        </Flex>
      </CardHeader>
      <CardBody>
        <TeamSummary team={team} config={props.config} />
        <CardSection title={t('teams.membersList', { name })}>
          <List isPlain aria-label={t('teams.membersList', { name })}>
            {team.members.map(member => (
              <ListItem key={member}>
                <Link to={catalogPath(member)}>{shortRef(member)}</Link>
              </ListItem>
            ))}
          </List>
        </CardSection>
        <CardSection title={t('teams.keys')}>
          <TeamKeys keys={props.keys.filter(k => k.ownerRef === team.ref)} />
        </CardSection>
      </CardBody>
    </Card>
  );
}

/**
 * My LiteMaaS teams: each team's budget and where it comes from (an admin or the group's
 * catalog annotations), spend this period, members, top models and the team's keys.
 */
export function TeamsPage() {
  const { t } = useLiteMaaSTranslation();
  const teams = useTeams();
  const config = useLiteMaaSConfig();
  const keys = useKeys();
  return (
    <QueryView query={config}>
      {cfg => (
        <QueryView query={teams} loadingLabel={t('teams.loading')}>
          {data =>
            data.items.length === 0 ? (
              <EmptyView
                icon={UsersIcon}
                title={t('teams.emptyTitle')}
                body={t('teams.emptyBody')}
              />
            ) : (
              <Grid hasGutter lg={6}>
                {data.items.map(team => (
                  <GridItem key={team.ref}>
                    <TeamPanel
                      team={team}
                      config={cfg}
                      keys={keys.data?.items ?? []}
                    />
                  </GridItem>
                ))}
              </Grid>
            )
          }
        </QueryView>
      )}
    </QueryView>
  );
}
