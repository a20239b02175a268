import { useId, useMemo, useState } from 'react';
import type { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import {
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core/dist/dynamic/components/Modal';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Form } from '@patternfly/react-core/dist/dynamic/components/Form';
import type { LiteMaaSConfig } from '../../api';
import { useUpdateKey } from '../../api';
import {
  InlineError,
  initialLimitValues,
  LimitFields,
  limitsForUpdate,
  LimitValues,
  validateLimits,
} from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';
import { ModelChecklist } from './ModelChecklist';
import { useOwnerModels } from './useOwnerModels';

/** Change a key's models and limits; an emptied limit is removed. */
export function EditKeyModal(props: {
  apiKey: ApiKey;
  config: LiteMaaSConfig;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const titleId = useId();
  const { apiKey, config } = props;
  const update = useUpdateKey();
  const { models: ownerModels } = useOwnerModels(apiKey.ownerRef);
  const [models, setModels] = useState(apiKey.models);
  const [limits, setLimits] = useState<LimitValues>(() =>
    initialLimitValues(apiKey),
  );
  const problems = useMemo(
    () => validateLimits(limits, config.keyMaximums),
    [limits, config.keyMaximums],
  );
  // The key's own models stay listed even if a subscription has ended meanwhile.
  const options = [...new Set([...apiKey.models, ...ownerModels])].sort();
  const valid = models.length > 0 && Object.keys(problems).length === 0;

  const save = async () => {
    const changedModels =
      models.length !== apiKey.models.length ||
      models.some(m => !apiKey.models.includes(m));
    const done = await update
      .mutateAsync({
        id: apiKey.id,
        patch: {
          ...limitsForUpdate(limits),
          ...(changedModels ? { models } : {}),
        },
      })
      .catch(() => undefined);
    if (done) props.onClose();
  };

  return (
    <Modal
      isOpen
      onClose={props.onClose}
      variant="medium"
      aria-labelledby={titleId}
    >
      <ModalHeader
        labelId={titleId}
        title={t('keys.edit.title', { name: apiKey.name })}
      />
      <ModalBody>
        <Form
          id={`${titleId}-form`}
          onSubmit={e => {
            e.preventDefault();
            if (valid) save();
          }}
        >
          <ModelChecklist
            label={t('keys.edit.models')}
            error={
              models.length === 0 ? t('keys.wizard.modelsRequired') : undefined
            }
            options={options}
            value={models}
            onChange={setModels}
          />
          <LimitFields
            values={limits}
            onChange={setLimits}
            problems={problems}
            defaults={config.keyDefaults}
            maximums={config.keyMaximums}
            periods={config.keyBudgetPeriods}
            currency={config.currency}
          />
        </Form>
        <InlineError error={update.error} />
      </ModalBody>
      <ModalFooter>
        <Button
          type="submit"
          form={`${titleId}-form`}
          isDisabled={!valid || update.isPending}
          isLoading={update.isPending}
        >
          {t('keys.edit.save')}
        </Button>
        <Button variant="link" onClick={props.onClose}>
          {t('common.actions.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
