import type { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import {
  litemaasKeyDeletePermission,
  litemaasKeyUpdatePermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Tooltip } from '@patternfly/react-core/dist/dynamic/components/Tooltip';
import {
  Flex,
  FlexItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Flex';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

export type KeyAction = 'edit' | 'rotate' | 'revoke';

/**
 * Edit, rotate and revoke a key, each enabled only when the permission framework
 * allows it for this key (the API checks again); a denied action says why.
 */
export function KeyActions(props: {
  apiKey: ApiKey;
  onAction: (action: KeyAction) => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const { apiKey } = props;
  const update = usePermission({
    permission: litemaasKeyUpdatePermission,
    resourceRef: apiKey.id,
  });
  const remove = usePermission({
    permission: litemaasKeyDeletePermission,
    resourceRef: apiKey.id,
  });
  if (apiKey.status === 'revoked' || apiKey.status === 'failed') return null;
  const blocked = apiKey.blockedByAdmin;

  const button = (
    action: KeyAction,
    allowed: boolean,
    loading: boolean,
    label: string,
    danger = false,
  ) => {
    const disabled = loading || !allowed || (blocked && action !== 'revoke');
    const element = (
      <Button
        variant={danger ? 'secondary' : 'link'}
        isDanger={danger}
        size="sm"
        isAriaDisabled={disabled}
        aria-label={`${label}: ${apiKey.name}`}
        onClick={() => props.onAction(action)}
      >
        {label}
      </Button>
    );
    return (
      <FlexItem>
        {!loading && !allowed ? (
          <Tooltip content={t('keys.actions.denied')}>{element}</Tooltip>
        ) : (
          element
        )}
      </FlexItem>
    );
  };

  return (
    <Flex
      spaceItems={{ default: 'spaceItemsXs' }}
      flexWrap={{ default: 'nowrap' }}
      aria-label={t('keys.actions.label', { name: apiKey.name })}
      role="group"
    >
      {button('edit', update.allowed, update.loading, t('keys.actions.edit'))}
      {button(
        'rotate',
        update.allowed,
        update.loading,
        t('keys.actions.rotate'),
      )}
      {button(
        'revoke',
        remove.allowed,
        remove.loading,
        t('keys.actions.revoke'),
        true,
      )}
    </Flex>
  );
}
