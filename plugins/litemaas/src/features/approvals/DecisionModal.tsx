import { useId, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Subscription } from '@litemaas/backstage-plugin-litemaas-common';
import {
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core/dist/dynamic/components/Modal';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import {
  Form,
  FormGroup,
  FormHelperText,
} from '@patternfly/react-core/dist/dynamic/components/Form';
import {
  HelperText,
  HelperTextItem,
} from '@patternfly/react-core/dist/dynamic/components/HelperText';
import { TextArea } from '@patternfly/react-core/dist/dynamic/components/TextArea';
import { TextInput } from '@patternfly/react-core/dist/dynamic/components/TextInput';
import { useDecideSubscription } from '../../api';
import { InlineError } from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

/** The end of the chosen day in UTC, as the backend's ISO date-time. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59.000Z`).toISOString();
}

/**
 * Approves a request (optionally until a date, with a note) or denies it, or withdraws
 * an active grant, with the reason the requester reads. The backend's refusal (a
 * decision someone else made first, a model I no longer own) shows in the modal.
 */
export function DecisionModal(props: {
  subscription: Subscription;
  subjectName: string;
  decision: 'approve' | 'deny';
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const alertApi = useApi(alertApiRef);
  const decide = useDecideSubscription();
  const titleId = useId();
  const untilId = useId();
  const reasonId = useId();
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const { subscription, decision } = props;
  const names = { model: subscription.modelId, subject: props.subjectName };
  const withdrawing = decision === 'deny' && subscription.status === 'active';
  const today = new Date().toISOString().slice(0, 10);
  const untilPast = Boolean(until) && until <= today;
  const reasonMissing = decision === 'deny' && !reason.trim();

  const submit = async () => {
    setTouched(true);
    if (untilPast || reasonMissing) return;
    const done = await decide
      .mutateAsync(
        decision === 'approve'
          ? {
              id: subscription.id,
              decision,
              ...(until && { expiresAt: endOfDay(until) }),
              ...(reason.trim() && { reason: reason.trim() }),
            }
          : { id: subscription.id, decision, reason: reason.trim() },
      )
      .catch(() => undefined);
    if (!done) return;
    alertApi.post({
      message: t(`approvals.${decision}.done`, names),
      severity: 'success',
      display: 'transient',
    });
    props.onClose();
  };

  const title =
    decision === 'approve'
      ? t('approvals.approve.title', names)
      : t(
          withdrawing ? 'approvals.deny.withdrawTitle' : 'approvals.deny.title',
          names,
        );
  const confirm =
    decision === 'approve'
      ? t('approvals.approve.confirm')
      : t(
          withdrawing
            ? 'approvals.deny.withdrawConfirm'
            : 'approvals.deny.confirm',
        );

  return (
    <Modal
      isOpen
      onClose={props.onClose}
      variant="small"
      aria-labelledby={titleId}
    >
      <ModalHeader title={title} labelId={titleId} />
      <ModalBody>
        <p>{t(`approvals.${decision}.body`, names)}</p>
        <Form
          id={`${titleId}-form`}
          onSubmit={e => {
            e.preventDefault();
            submit();
          }}
          style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
        >
          {decision === 'approve' && (
            <FormGroup label={t('approvals.approve.until')} fieldId={untilId}>
              <TextInput
                id={untilId}
                type="date"
                min={today}
                value={until}
                onChange={(_e, value) => setUntil(value)}
                validated={touched && untilPast ? 'error' : 'default'}
              />
              <FormHelperText>
                <HelperText>
                  <HelperTextItem
                    variant={touched && untilPast ? 'error' : 'default'}
                  >
                    {touched && untilPast
                      ? t('approvals.approve.untilPast')
                      : t('approvals.approve.untilHelp')}
                  </HelperTextItem>
                </HelperText>
              </FormHelperText>
            </FormGroup>
          )}
          <FormGroup
            label={
              decision === 'approve'
                ? t('approvals.approve.note')
                : t('approvals.deny.reason')
            }
            isRequired={decision === 'deny'}
            fieldId={reasonId}
          >
            <TextArea
              id={reasonId}
              value={reason}
              onChange={(_e, value) => setReason(value)}
              maxLength={1000}
              resizeOrientation="vertical"
              validated={touched && reasonMissing ? 'error' : 'default'}
            />
            {decision === 'deny' && (
              <FormHelperText>
                <HelperText>
                  <HelperTextItem
                    variant={touched && reasonMissing ? 'error' : 'default'}
                  >
                    {touched && reasonMissing
                      ? t('approvals.deny.reasonRequired')
                      : t('approvals.deny.reasonHelp')}
                  </HelperTextItem>
                </HelperText>
              </FormHelperText>
            )}
          </FormGroup>
        </Form>
        <InlineError error={decide.error} />
      </ModalBody>
      <ModalFooter>
        <Button
          variant={decision === 'approve' ? 'primary' : 'danger'}
          type="submit"
          form={`${titleId}-form`}
          isLoading={decide.isPending}
          isDisabled={decide.isPending}
        >
          {confirm}
        </Button>
        <Button variant="link" onClick={props.onClose}>
          {t('common.actions.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
