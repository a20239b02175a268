import { useState } from 'react';
import { Link } from '@backstage/core-components';
import type { Subscription } from '@litemaas/backstage-plugin-litemaas-common';
import {
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
} from '@patternfly/react-table/dist/dynamic/components/Table';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import CheckCircleIcon from '@patternfly/react-icons/dist/dynamic/icons/check-circle-icon';
import {
  useCanDecideSubscriptions,
  useSubscriptionsForDecision,
} from '../../api';
import {
  EmptyView,
  formatDate,
  LoadingState,
  PermissionDeniedView,
  QueryView,
  shortRef,
  StatusFilter,
} from '../../components';
import { useModelLink } from '../models';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { DecisionModal } from './DecisionModal';

const STATUSES = ['pending', 'active', 'denied'] as const;
type Status = (typeof STATUSES)[number];

/**
 * Access requests for restricted models, for the people who decide them: every request
 * for an admin, those for the models their group owns for an approver. Approve (until a
 * date, with a note), deny with a reason, or withdraw an active grant.
 */
export function ApprovalsPage() {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const modelLink = useModelLink();
  const can = useCanDecideSubscriptions();
  const [status, setStatus] = useState<Status>('pending');
  const requests = useSubscriptionsForDecision(status, {
    enabled: can.allowed,
  });
  const [deciding, setDeciding] = useState<{
    subscription: Subscription;
    decision: 'approve' | 'deny';
  }>();
  const none = t('common.format.none');
  const emptyKind = status === 'pending' ? 'pending' : 'other';
  const subjectName = (ref: string) =>
    ref.startsWith('group:')
      ? t('subscriptions.team', { name: shortRef(ref) })
      : shortRef(ref);

  if (can.loading) return <LoadingState label={t('approvals.loading')} />;
  if (!can.allowed) return <PermissionDeniedView />;

  return (
    <>
      <Content component="p">{t('approvals.intro')}</Content>
      <StatusFilter
        label={t('approvals.filter.label')}
        idPrefix="litemaas-approvals"
        options={STATUSES.map(value => ({
          value,
          text: t(`approvals.filter.${value}`),
        }))}
        selected={status}
        onSelect={setStatus}
      />
      <QueryView query={requests} loadingLabel={t('approvals.loading')}>
        {data =>
          data.items.length === 0 ? (
            <EmptyView
              icon={status === 'pending' ? CheckCircleIcon : undefined}
              title={t(`approvals.empty.${emptyKind}.title`)}
              body={t(`approvals.empty.${emptyKind}.body`)}
            />
          ) : (
            <>
              {data.total !== undefined && data.total > data.items.length && (
                <Alert
                  variant="info"
                  isInline
                  isPlain
                  title={t('approvals.more', {
                    shown: String(data.items.length),
                    total: String(data.total),
                  })}
                />
              )}
              <Table aria-label={t('approvals.tab')} variant="compact">
                <Thead>
                  <Tr>
                    <Th modifier="wrap">{t('approvals.columns.model')}</Th>
                    <Th modifier="wrap">{t('approvals.columns.subject')}</Th>
                    <Th modifier="wrap">
                      {t('approvals.columns.justification')}
                    </Th>
                    <Th modifier="wrap">{t('approvals.columns.requested')}</Th>
                    {status !== 'pending' && (
                      <Th modifier="wrap">{t('approvals.columns.decision')}</Th>
                    )}
                    <Th screenReaderText={t('approvals.columns.actions')} />
                  </Tr>
                </Thead>
                <Tbody>
                  {data.items.map(subscription => {
                    const names = {
                      model: subscription.modelId,
                      subject: subjectName(subscription.subjectRef),
                    };
                    return (
                      <Tr key={subscription.id}>
                        <Td dataLabel={t('approvals.columns.model')}>
                          <Link to={modelLink(subscription.modelId)}>
                            {subscription.modelId}
                          </Link>
                        </Td>
                        <Td dataLabel={t('approvals.columns.subject')}>
                          {names.subject}
                        </Td>
                        <Td
                          dataLabel={t('approvals.columns.justification')}
                          modifier="breakWord"
                        >
                          {subscription.justification ?? none}
                        </Td>
                        <Td dataLabel={t('approvals.columns.requested')}>
                          {formatDate(subscription.createdAt, locale) ?? none}
                        </Td>
                        {status !== 'pending' && (
                          <Td
                            dataLabel={t('approvals.columns.decision')}
                            modifier="breakWord"
                          >
                            {subscription.decidedBy
                              ? t('approvals.decidedBy', {
                                  who: shortRef(subscription.decidedBy),
                                  when:
                                    formatDate(
                                      subscription.decidedAt,
                                      locale,
                                    ) ?? none,
                                })
                              : none}
                            {subscription.reason && (
                              <div>{subscription.reason}</div>
                            )}
                          </Td>
                        )}
                        <Td isActionCell>
                          <div
                            style={{
                              display: 'flex',
                              gap: 'var(--pf-t--global--spacer--sm)',
                              justifyContent: 'flex-end',
                              flexWrap: 'nowrap',
                            }}
                          >
                            {status === 'pending' && (
                              <Button
                                variant="primary"
                                size="sm"
                                aria-label={t(
                                  'approvals.approve.actionLabel',
                                  names,
                                )}
                                onClick={() =>
                                  setDeciding({
                                    subscription,
                                    decision: 'approve',
                                  })
                                }
                              >
                                {t('approvals.approve.action')}
                              </Button>
                            )}
                            {status !== 'denied' && (
                              <Button
                                variant="secondary"
                                isDanger
                                size="sm"
                                aria-label={t(
                                  status === 'active'
                                    ? 'approvals.deny.withdrawLabel'
                                    : 'approvals.deny.actionLabel',
                                  names,
                                )}
                                onClick={() =>
                                  setDeciding({
                                    subscription,
                                    decision: 'deny',
                                  })
                                }
                              >
                                {status === 'active'
                                  ? t('approvals.deny.withdraw')
                                  : t('approvals.deny.action')}
                              </Button>
                            )}
                          </div>
                        </Td>
                      </Tr>
                    );
                  })}
                </Tbody>
              </Table>
            </>
          )
        }
      </QueryView>
      {deciding && (
        <DecisionModal
          subscription={deciding.subscription}
          decision={deciding.decision}
          subjectName={subjectName(deciding.subscription.subjectRef)}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </>
  );
}
