import { useState } from 'react';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Tooltip } from '@patternfly/react-core/dist/dynamic/components/Tooltip';
import CopyIcon from '@patternfly/react-icons/dist/dynamic/icons/copy-icon';
import CheckIcon from '@patternfly/react-icons/dist/dynamic/icons/check-icon';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

/** Copies a text to the clipboard and says so. @public */
export function CopyButton(props: { text: string; label: string }) {
  const { t } = useLiteMaaSTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <Tooltip
      content={copied ? t('common.actions.copied') : props.label}
      aria="none"
      aria-live="polite"
    >
      <Button
        variant="plain"
        aria-label={props.label}
        icon={copied ? <CheckIcon /> : <CopyIcon />}
        onClick={async () => {
          await navigator.clipboard?.writeText(props.text);
          setCopied(true);
        }}
      />
    </Tooltip>
  );
}
