import { useMemo, useState } from 'react';
import { Link } from '@backstage/core-components';
import type {
  Subscription,
  SubscriptionStatus,
} from '@litemaas/backstage-plugin-litemaas-common';
import {
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
} from '@patternfly/react-table/dist/dynamic/components/Table';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { useCurrentUser, useModels, useSubscriptions } from '../../api';
import {
  EmptyView,
  formatDate,
  QueryView,
  shortRef,
  StatusFilter,
  SubscriptionStatusLabel,
  useLiteMaaSPath,
} from '../../components';
import { SubscribeButton, useModelLink } from '../models';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { CancelSubscriptionModal } from './CancelSubscriptionModal';

const FILTERS = ['all', 'active', 'pending', 'denied', 'expired'] as const;
type Filter = (typeof FILTERS)[number];

function matches(filter: Filter, status: SubscriptionStatus): boolean {
  if (filter === 'all') return true;
  // Cancelled subscriptions are shown with the expired ones: both ended.
  if (filter === 'expired')
    return status === 'expired' || status === 'cancelled';
  return status === filter;
}

/** Subjects first by me, then by team; then newest first. */
function sortSubscriptions(items: Subscription[], userRef: string) {
  return [...items].sort(
    (a, b) =>
      Number(b.subjectRef === userRef) - Number(a.subjectRef === userRef) ||
      b.createdAt.localeCompare(a.createdAt),
  );
}

/**
 * My subscriptions and my teams', by status, with the justification, the approver's
 * reason and the decision date; cancel names the keys that lose the model.
 */
export function SubscriptionsPage() {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const subscriptions = useSubscriptions();
  const models = useModels();
  const user = useCurrentUser();
  const path = useLiteMaaSPath();
  const modelLink = useModelLink();
  const [filter, setFilter] = useState<Filter>('all');
  const [cancelling, setCancelling] = useState<Subscription>();
  const userRef = user.data?.userEntityRef ?? '';
  const modelsById = useMemo(
    () => new Map((models.data?.items ?? []).map(m => [m.id, m])),
    [models.data],
  );
  const none = t('common.format.none');
  const subjectName = (ref: string) =>
    ref === userRef
      ? t('subscriptions.me')
      : t('subscriptions.team', { name: shortRef(ref) });

  return (
    <QueryView query={subscriptions} loadingLabel={t('subscriptions.loading')}>
      {data =>
        data.items.length === 0 ? (
          <EmptyView
            title={t('subscriptions.empty.title')}
            body={t('subscriptions.empty.body')}
            actions={<Link to={path()}>{t('subscriptions.empty.browse')}</Link>}
          />
        ) : (
          <>
            <StatusFilter
              label={t('subscriptions.filter.label')}
              idPrefix="litemaas-subscriptions"
              options={FILTERS.map(value => ({
                value,
                text: `${
                  value === 'all'
                    ? t('subscriptions.filter.all')
                    : t(`common.status.subscription.${value}`)
                } (${data.items.filter(s => matches(value, s.status)).length})`,
              }))}
              selected={filter}
              onSelect={setFilter}
            />
            <Table aria-label={t('subscriptions.tab')} variant="compact">
              <Thead>
                <Tr>
                  <Th modifier="wrap">{t('subscriptions.columns.model')}</Th>
                  <Th modifier="wrap">{t('subscriptions.columns.subject')}</Th>
                  <Th modifier="wrap">{t('subscriptions.columns.status')}</Th>
                  <Th modifier="wrap">
                    {t('subscriptions.columns.justification')}
                  </Th>
                  <Th modifier="wrap">{t('subscriptions.columns.reason')}</Th>
                  <Th modifier="wrap">
                    {t('subscriptions.columns.requested')}
                  </Th>
                  <Th modifier="wrap">{t('subscriptions.columns.decided')}</Th>
                  <Th modifier="wrap">{t('subscriptions.columns.expires')}</Th>
                  <Th screenReaderText={t('subscriptions.columns.actions')} />
                </Tr>
              </Thead>
              <Tbody>
                {sortSubscriptions(
                  data.items.filter(s => matches(filter, s.status)),
                  userRef,
                ).map(subscription => {
                  const model = modelsById.get(subscription.modelId);
                  return (
                    <Tr key={subscription.id}>
                      <Td dataLabel={t('subscriptions.columns.model')}>
                        <Link to={modelLink(subscription.modelId)}>
                          {subscription.modelId}
                        </Link>
                      </Td>
                      <Td dataLabel={t('subscriptions.columns.subject')}>
                        {subjectName(subscription.subjectRef)}
                      </Td>
                      <Td dataLabel={t('subscriptions.columns.status')}>
                        <SubscriptionStatusLabel status={subscription.status} />
                      </Td>
                      <Td
                        dataLabel={t('subscriptions.columns.justification')}
                        modifier="breakWord"
                      >
                        {subscription.justification ?? none}
                      </Td>
                      <Td
                        dataLabel={t('subscriptions.columns.reason')}
                        modifier="breakWord"
                      >
                        {subscription.reason ?? none}
                      </Td>
                      <Td
                        dataLabel={t('subscriptions.columns.requested')}
                        modifier="nowrap"
                      >
                        {formatDate(subscription.createdAt, locale) ?? none}
                      </Td>
                      <Td
                        dataLabel={t('subscriptions.columns.decided')}
                        modifier="nowrap"
                      >
                        {formatDate(subscription.decidedAt, locale) ?? none}
                      </Td>
                      <Td
                        dataLabel={t('subscriptions.columns.expires')}
                        modifier="nowrap"
                      >
                        {formatDate(subscription.expiresAt, locale) ?? none}
                      </Td>
                      <Td isActionCell>
                        {(subscription.status === 'active' ||
                          subscription.status === 'pending') && (
                          <Button
                            variant="secondary"
                            isDanger
                            size="sm"
                            aria-label={t('subscriptions.cancel.actionLabel', {
                              model: subscription.modelId,
                            })}
                            onClick={() => setCancelling(subscription)}
                          >
                            {t('subscriptions.cancel.action')}
                          </Button>
                        )}
                        {subscription.subjectRef === userRef &&
                          model &&
                          (subscription.status === 'denied' ||
                            subscription.status === 'expired' ||
                            subscription.status === 'cancelled') && (
                            <SubscribeButton
                              size="sm"
                              model={{
                                ...model,
                                subscription: {
                                  id: subscription.id,
                                  status: subscription.status,
                                  expiresAt: subscription.expiresAt,
                                },
                              }}
                            />
                          )}
                      </Td>
                    </Tr>
                  );
                })}
              </Tbody>
            </Table>
            {cancelling && (
              <CancelSubscriptionModal
                subscription={cancelling}
                subjectName={subjectName(cancelling.subjectRef)}
                onClose={() => setCancelling(undefined)}
              />
            )}
          </>
        )
      }
    </QueryView>
  );
}
