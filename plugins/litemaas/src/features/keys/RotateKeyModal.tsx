import { useId, useState } from 'react';
import type { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import { FormGroup } from '@patternfly/react-core/dist/dynamic/components/Form';
import {
  FormSelect,
  FormSelectOption,
} from '@patternfly/react-core/dist/dynamic/components/FormSelect';
import type { CreatedKey } from '../../api';
import { useRotateKey } from '../../api';
import { ConfirmModal } from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

const GRACE_CHOICES = [0, 3600, 4 * 3600, 24 * 3600, 3 * 86400, 7 * 86400];

/**
 * Rotate a key: pick how long the old secret keeps working, then the new secret goes
 * to `onRotated` (and on to the one-time secret modal).
 */
export function RotateKeyModal(props: {
  apiKey: ApiKey;
  maxGraceSeconds: number;
  onRotated: (key: CreatedKey) => void;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const id = useId();
  const rotate = useRotateKey();
  const choices = GRACE_CHOICES.filter(s => s <= props.maxGraceSeconds);
  const [grace, setGrace] = useState(
    choices.includes(3600) ? 3600 : choices[choices.length - 1] ?? 0,
  );
  const label = (seconds: number) => {
    if (seconds === 0) return t('keys.rotate.graceNone');
    if (seconds < 86400)
      return t('keys.rotate.graceHours', { count: seconds / 3600 });
    return t('keys.rotate.graceDays', { count: seconds / 86400 });
  };

  return (
    <ConfirmModal
      isOpen
      title={t('keys.rotate.title', { name: props.apiKey.name })}
      confirmLabel={t('keys.rotate.confirm')}
      onClose={props.onClose}
      onConfirm={async () => {
        const created = await rotate.mutateAsync({
          id: props.apiKey.id,
          request: { gracePeriodSeconds: grace },
        });
        rotate.reset();
        props.onRotated(created);
      }}
    >
      <Content component="p">{t('keys.rotate.body')}</Content>
      <FormGroup label={t('keys.rotate.grace')} fieldId={id}>
        <FormSelect
          id={id}
          value={String(grace)}
          onChange={(_e, value) => setGrace(Number(value))}
        >
          {choices.map(seconds => (
            <FormSelectOption
              key={seconds}
              value={String(seconds)}
              label={label(seconds)}
            />
          ))}
        </FormSelect>
      </FormGroup>
    </ConfirmModal>
  );
}
