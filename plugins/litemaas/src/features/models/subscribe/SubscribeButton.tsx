import { useState } from 'react';
import type { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { useLiteMaaSTranslation } from '../../../translations/useTranslation';
import { SubscribeModal } from './SubscribeModal';

/**
 * The access action for a model, by my access to it: subscribe (open), request access
 * (restricted), ask again (denied, cancelled, expired); nothing to do when subscribed or
 * pending. Used on model cards, the model page and the model entity card.
 *
 * @public
 */
export function SubscribeButton(props: {
  model: Pick<ModelListItem, 'id' | 'restricted' | 'status' | 'subscription'>;
  size?: 'sm' | 'default';
}) {
  const { t } = useLiteMaaSTranslation();
  const [open, setOpen] = useState(false);
  const { model } = props;
  const status = model.subscription?.status;
  if (status === 'active' || status === 'pending') return null;
  if (model.status === 'unavailable') return null;

  let label: string = t('models.actions.subscribe');
  if (status === 'denied' || status === 'expired' || status === 'cancelled') {
    label = model.restricted
      ? t('models.actions.requestAgain')
      : t('models.actions.subscribe');
  } else if (model.restricted) {
    label = t('models.actions.requestAccess');
  }
  return (
    <>
      <Button
        variant={model.restricted ? 'secondary' : 'primary'}
        size={props.size === 'sm' ? 'sm' : undefined}
        onClick={() => setOpen(true)}
        aria-label={`${label}: ${model.id}`}
      >
        {label}
      </Button>
      {open && <SubscribeModal model={model} onClose={() => setOpen(false)} />}
    </>
  );
}
