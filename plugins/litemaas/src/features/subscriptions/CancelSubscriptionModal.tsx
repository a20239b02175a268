import type { Subscription } from '@litemaas/backstage-plugin-litemaas-common';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import {
  List,
  ListItem,
} from '@patternfly/react-core/dist/dynamic/components/List';
import { useCancelSubscription, useKeys } from '../../api';
import { ConfirmModal, LoadingState } from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

/**
 * Confirms a cancellation, naming the keys of the subject that lose the model (and
 * which of them are left with no model and get blocked).
 */
export function CancelSubscriptionModal(props: {
  subscription: Subscription;
  subjectName: string;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const keys = useKeys();
  const cancel = useCancelSubscription();
  const { subscription } = props;
  const affected = (keys.data?.items ?? []).filter(
    key =>
      key.ownerRef === subscription.subjectRef &&
      key.models.includes(subscription.modelId) &&
      key.status !== 'revoked',
  );
  const values = { model: subscription.modelId, subject: props.subjectName };

  return (
    <ConfirmModal
      isOpen
      variant="danger"
      title={t('subscriptions.cancel.title', values)}
      confirmLabel={t('subscriptions.cancel.confirm')}
      onConfirm={() => cancel.mutateAsync(subscription.id)}
      onClose={props.onClose}
    >
      <Content component="p">{t('subscriptions.cancel.body', values)}</Content>
      {keys.isPending && <LoadingState />}
      {!keys.isPending && affected.length === 0 && (
        <Content component="p">
          {t('subscriptions.cancel.noKeys', values)}
        </Content>
      )}
      {affected.length > 0 && (
        <>
          <Content component="p">
            {t('subscriptions.cancel.keys', { count: affected.length })}
          </Content>
          <List
            aria-label={t('subscriptions.cancel.keys', {
              count: affected.length,
            })}
          >
            {affected.map(key => (
              <ListItem key={key.id}>
                <strong>{key.name}</strong> (
                {key.displayName ?? key.litellmAlias})
                {key.models.length === 1 &&
                  ` — ${t('subscriptions.cancel.lastModel', {
                    name: key.name,
                  })}`}
              </ListItem>
            ))}
          </List>
        </>
      )}
    </ConfirmModal>
  );
}
