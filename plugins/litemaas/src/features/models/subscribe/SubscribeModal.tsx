import { useId, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';
import {
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core/dist/dynamic/components/Modal';
import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import {
  Form,
  FormGroup,
  FormHelperText,
} from '@patternfly/react-core/dist/dynamic/components/Form';
import {
  FormSelect,
  FormSelectOption,
} from '@patternfly/react-core/dist/dynamic/components/FormSelect';
import {
  HelperText,
  HelperTextItem,
} from '@patternfly/react-core/dist/dynamic/components/HelperText';
import { TextArea } from '@patternfly/react-core/dist/dynamic/components/TextArea';
import { useCurrentUser, useSubscribe, useTeams } from '../../../api';
import { InlineError, shortRef } from '../../../components';
import { useLiteMaaSTranslation } from '../../../translations/useTranslation';

/**
 * Subscribes to an open model or requests access to a restricted one, for me or one of
 * my teams; a restricted model needs a justification.
 */
export function SubscribeModal(props: {
  model: Pick<ModelListItem, 'id' | 'restricted'>;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const alertApi = useApi(alertApiRef);
  const titleId = useId();
  const subjectId = useId();
  const justificationId = useId();
  const user = useCurrentUser();
  const teams = useTeams();
  const subscribe = useSubscribe();
  const [subject, setSubject] = useState('');
  const [justification, setJustification] = useState('');
  const [touched, setTouched] = useState(false);
  const { model } = props;
  const userRef = user.data?.userEntityRef ?? '';
  const missingJustification = model.restricted && !justification.trim();

  const submit = async () => {
    setTouched(true);
    if (missingJustification) return;
    const result = await subscribe
      .mutateAsync({
        modelId: model.id,
        ...(subject && subject !== userRef ? { subject } : {}),
        ...(justification.trim()
          ? { justification: justification.trim() }
          : {}),
      })
      .catch(() => undefined);
    if (!result) return;
    alertApi.post({
      message:
        result.status === 'active'
          ? t('models.subscribe.done', { model: model.id })
          : t('models.subscribe.requested', { model: model.id }),
      severity: 'success',
      display: 'transient',
    });
    props.onClose();
  };

  return (
    <Modal
      isOpen
      onClose={props.onClose}
      variant="small"
      aria-labelledby={titleId}
    >
      <ModalHeader
        labelId={titleId}
        title={
          model.restricted
            ? t('models.subscribe.requestTitle', { model: model.id })
            : t('models.subscribe.title', { model: model.id })
        }
      />
      <ModalBody>
        <Alert
          isInline
          isPlain
          variant="info"
          title={
            model.restricted
              ? t('models.subscribe.restrictedInfo')
              : t('models.subscribe.openInfo')
          }
        />
        <Form
          id={`${titleId}-form`}
          onSubmit={e => {
            e.preventDefault();
            submit();
          }}
          style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
        >
          {(teams.data?.items.length ?? 0) > 0 && (
            <FormGroup
              label={t('models.subscribe.subject')}
              fieldId={subjectId}
            >
              <FormSelect
                id={subjectId}
                value={subject || userRef}
                onChange={(_e, value) => setSubject(value)}
              >
                <FormSelectOption
                  value={userRef}
                  label={t('models.subscribe.me')}
                />
                {teams.data!.items.map(team => (
                  <FormSelectOption
                    key={team.ref}
                    value={team.ref}
                    label={t('models.subscribe.team', {
                      name: team.displayName ?? shortRef(team.ref),
                    })}
                  />
                ))}
              </FormSelect>
            </FormGroup>
          )}
          <FormGroup
            label={t('models.subscribe.justification')}
            fieldId={justificationId}
            isRequired={model.restricted}
          >
            <TextArea
              id={justificationId}
              value={justification}
              onChange={(_e, value) => setJustification(value)}
              resizeOrientation="vertical"
              maxLength={1000}
              validated={touched && missingJustification ? 'error' : 'default'}
              aria-describedby={`${justificationId}-help`}
            />
            <FormHelperText>
              <HelperText id={`${justificationId}-help`}>
                {touched && missingJustification ? (
                  <HelperTextItem variant="error">
                    {t('models.subscribe.justificationRequired')}
                  </HelperTextItem>
                ) : (
                  <HelperTextItem>
                    {t('models.subscribe.justificationHelp')}
                  </HelperTextItem>
                )}
              </HelperText>
            </FormHelperText>
          </FormGroup>
        </Form>
        <InlineError error={subscribe.error} />
      </ModalBody>
      <ModalFooter>
        <Button
          variant="primary"
          type="submit"
          form={`${titleId}-form`}
          isLoading={subscribe.isPending}
          isDisabled={subscribe.isPending || !userRef}
        >
          {model.restricted
            ? t('models.subscribe.submitRequest')
            : t('models.subscribe.submit')}
        </Button>
        <Button variant="link" onClick={props.onClose}>
          {t('common.actions.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
