import { ReactNode, useId, useState } from 'react';
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
} from '@patternfly/react-core/dist/dynamic/components/Form';
import { TextInput } from '@patternfly/react-core/dist/dynamic/components/TextInput';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';
import { InlineError } from '../StateViews';

/**
 * Asks before a consequential action. With `typedConfirmation` the person types that
 * text (e.g. the key's name) before the action is possible. The action's error, with
 * the backend's message, shows in the modal, which stays open.
 *
 * @public
 */
export function ConfirmModal(props: {
  isOpen: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  variant?: 'danger' | 'primary';
  typedConfirmation?: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const titleId = useId();
  const inputId = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirmed =
    !props.typedConfirmation || typed.trim() === props.typedConfirmation;

  const close = () => {
    setTyped('');
    setError(undefined);
    props.onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      setTyped('');
      props.onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      isOpen={props.isOpen}
      onClose={close}
      variant="small"
      aria-labelledby={titleId}
    >
      <ModalHeader title={props.title} labelId={titleId} />
      <ModalBody>
        {props.children}
        {props.typedConfirmation && (
          <Form
            onSubmit={e => {
              e.preventDefault();
              if (confirmed && !busy) confirm();
            }}
            style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
          >
            <FormGroup
              label={t('common.confirm.typeToConfirm', {
                text: props.typedConfirmation,
              })}
              fieldId={inputId}
            >
              <TextInput
                id={inputId}
                value={typed}
                onChange={(_e, value) => setTyped(value)}
                autoComplete="off"
              />
            </FormGroup>
          </Form>
        )}
        <InlineError error={error} />
      </ModalBody>
      <ModalFooter>
        <Button
          variant={props.variant === 'danger' ? 'danger' : 'primary'}
          onClick={confirm}
          isDisabled={!confirmed || busy}
          isLoading={busy}
        >
          {props.confirmLabel}
        </Button>
        <Button variant="link" onClick={close}>
          {t('common.actions.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
