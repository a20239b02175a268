import type { Team } from '@litemaas/backstage-plugin-litemaas-common';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import {
  List,
  ListItem,
} from '@patternfly/react-core/dist/dynamic/components/List';
import type { LiteMaaSConfig } from '../../api';
import { useUsage } from '../../api';
import {
  CardSection,
  errorStatus,
  formatDate,
  formatMoney,
  QueryView,
  shortRef,
  SpendBar,
  TermList,
  TermListRow,
  usePeriodLabel,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';

const TOP = 5;

/** Where a team's budget comes from: the group's annotations win over the admin API. */
export function budgetSource(team: Pick<Team, 'catalogManaged'>) {
  return team.catalogManaged.includes('maxBudget') ? 'annotations' : 'admin';
}

/** A team's usage of the last 30 days grouped by model or member, biggest spend first. */
export function TeamUsageList(props: {
  teamRef: string;
  groupBy: 'model' | 'user';
  currency: string;
  hiddenText?: string;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const usage = useUsage({ groupBy: props.groupBy, team: props.teamRef });
  if (usage.error && errorStatus(usage.error) === 403 && props.hiddenText) {
    return <Content component="p">{props.hiddenText}</Content>;
  }
  return (
    <QueryView query={usage}>
      {report => {
        const rows = report.rows
          .filter(row => row.group !== null && row.requests > 0)
          .sort((a, b) => b.spend - a.spend)
          .slice(0, TOP);
        if (rows.length === 0) {
          return <Content component="p">{t('teams.noUsage')}</Content>;
        }
        return (
          <List isPlain>
            {rows.map(row => (
              <ListItem key={row.group}>
                <strong>
                  {props.groupBy === 'user'
                    ? shortRef(row.group!)
                    : row.label ?? row.group}
                </strong>{' '}
                {t('teams.requests', {
                  spend: formatMoney(row.spend, props.currency, locale) ?? '',
                  count: row.requests,
                })}
              </ListItem>
            ))}
          </List>
        );
      }}
    </QueryView>
  );
}

export function TeamSummary(props: { team: Team; config: LiteMaaSConfig }) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const periodLabel = usePeriodLabel();
  const { team, config } = props;
  const currency = config.currency;
  const budget = formatMoney(team.maxBudget, currency, locale);
  const rows: TermListRow[] = [
    [
      t('teams.budget'),
      budget
        ? t('teams.budgetPerPeriod', {
            budget,
            period: periodLabel(team.budgetDuration),
          })
        : t('teams.noBudget'),
    ],
    [
      t('teams.spend'),
      <SpendBar
        key="spend"
        spend={team.spend}
        budget={team.maxBudget}
        currency={currency}
        label={team.displayName ?? shortRef(team.ref)}
      />,
    ],
  ];
  if (team.budgetResetAt) {
    rows.push([
      t('teams.resets'),
      formatDate(team.budgetResetAt, locale) ?? '',
    ]);
  }
  if (team.maxBudget !== null) {
    rows.push([
      t('teams.source'),
      budgetSource(team) === 'annotations'
        ? t('teams.sourceAnnotations')
        : t('teams.sourceAdmin'),
    ]);
  }
  rows.push([
    t('teams.members'),
    t('teams.membersCount', { count: team.members.length }),
  ]);
  return (
    <>
      <TermList rows={rows} />
      <CardSection title={t('teams.topModels')}>
        <TeamUsageList teamRef={team.ref} groupBy="model" currency={currency} />
      </CardSection>
      <CardSection title={t('teams.membersUsage')}>
        <TeamUsageList
          teamRef={team.ref}
          groupBy="user"
          currency={currency}
          hiddenText={t('teams.membersUsageHidden')}
        />
      </CardSection>
    </>
  );
}
