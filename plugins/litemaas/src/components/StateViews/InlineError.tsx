import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import { errorMessage } from './StateViews';

/** A failed action inside a form or modal, with the backend's message. @public */
export function InlineError(props: { error: unknown }) {
  if (props.error === undefined || props.error === null) return null;
  return (
    <Alert
      variant="danger"
      isInline
      title={errorMessage(props.error)}
      style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
    />
  );
}
