import type {
  ApiKey,
  ModelListItem,
  SubscriptionStatus,
} from '@litemaas/backstage-plugin-litemaas-common';
import {
  Label,
  LabelGroup,
} from '@patternfly/react-core/dist/dynamic/components/Label';
import LockIcon from '@patternfly/react-icons/dist/dynamic/icons/lock-icon';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { commonMessages } from '../messages';
import { formatDateTime } from '../format';

const SUBSCRIPTION_COLORS: Record<
  SubscriptionStatus,
  'green' | 'orange' | 'red' | 'grey'
> = {
  active: 'green',
  pending: 'orange',
  denied: 'red',
  cancelled: 'grey',
  expired: 'grey',
};

/** A subscription's status. @public */
export function SubscriptionStatusLabel(props: { status: SubscriptionStatus }) {
  const { t } = useLiteMaaSTranslation();
  return (
    <Label color={SUBSCRIPTION_COLORS[props.status]} isCompact>
      {t(`common.status.subscription.${props.status}`)}
    </Label>
  );
}

/**
 * My access to a model: my subscription's status when I have one, else whether the
 * model is open or needs approval (or is unavailable).
 *
 * @public
 */
export function AccessLabel(props: {
  model: Pick<ModelListItem, 'status' | 'restricted' | 'subscription'>;
}) {
  const { t } = useLiteMaaSTranslation();
  const { model } = props;
  if (model.subscription) {
    return <SubscriptionStatusLabel status={model.subscription.status} />;
  }
  if (model.status === 'unavailable') {
    return (
      <Label color="grey" isCompact>
        {t('common.status.model.unavailable')}
      </Label>
    );
  }
  return model.restricted ? (
    <Label color="purple" isCompact icon={<LockIcon />}>
      {t('common.status.access.restricted')}
    </Label>
  ) : (
    <Label color="blue" variant="outline" isCompact>
      {t('common.status.access.open')}
    </Label>
  );
}

/** A key's status; an admin block and a rotation grace period are said so. @public */
export function KeyStatusLabel(props: {
  apiKey: Pick<ApiKey, 'status' | 'blockedByAdmin' | 'graceExpiresAt'>;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const { apiKey } = props;
  if (apiKey.graceExpiresAt && apiKey.status === 'active') {
    return (
      <Label color="orange" isCompact>
        {t('common.status.key.grace', {
          date: formatDateTime(apiKey.graceExpiresAt, locale) ?? '',
        })}
      </Label>
    );
  }
  if (apiKey.status === 'blocked' && apiKey.blockedByAdmin) {
    return (
      <Label color="red" isCompact>
        {t('common.status.key.blockedByAdmin')}
      </Label>
    );
  }
  const colors = {
    pending: 'blue',
    active: 'green',
    blocked: 'red',
    revoked: 'grey',
    expired: 'grey',
    failed: 'red',
  } as const;
  return (
    <Label color={colors[apiKey.status]} isCompact>
      {t(`common.status.key.${apiKey.status}`)}
    </Label>
  );
}

type KnownCapability = Exclude<keyof typeof commonMessages.capability, 'other'>;

/** A capability's name in the UI language. */
export function useCapabilityName() {
  const { t } = useLiteMaaSTranslation();
  return (capability: string) =>
    capability in commonMessages.capability && capability !== 'other'
      ? t(`common.capability.${capability as KnownCapability}`)
      : t('common.capability.other', { name: capability.replace(/_/g, ' ') });
}

/** A model's capabilities as labels. @public */
export function CapabilityLabels(props: {
  capabilities: readonly string[];
  numLabels?: number;
  label?: string;
}) {
  const name = useCapabilityName();
  const { t } = useLiteMaaSTranslation();
  if (props.capabilities.length === 0) return null;
  return (
    <LabelGroup
      numLabels={props.numLabels ?? 4}
      aria-label={props.label}
      collapsedText={t('common.labels.more', { remaining: '${remaining}' })}
      expandedText={t('common.labels.less')}
    >
      {props.capabilities.map(capability => (
        <Label key={capability} isCompact variant="outline">
          {name(capability)}
        </Label>
      ))}
    </LabelGroup>
  );
}
