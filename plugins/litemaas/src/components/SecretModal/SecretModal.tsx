import { useId, useState } from 'react';
import {
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core/dist/dynamic/components/Modal';
import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Checkbox } from '@patternfly/react-core/dist/dynamic/components/Checkbox';
import { ClipboardCopy } from '@patternfly/react-core/dist/dynamic/components/ClipboardCopy';
import {
  CodeBlock,
  CodeBlockAction,
  CodeBlockCode,
} from '@patternfly/react-core/dist/dynamic/components/CodeBlock';
import {
  Tab,
  Tabs,
  TabTitleText,
} from '@patternfly/react-core/dist/dynamic/components/Tabs';
import {
  Flex,
  FlexItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Flex';
import { Title } from '@patternfly/react-core/dist/dynamic/components/Title';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { formatDateTime } from '../format';
import { CopyButton } from './CopyButton';
import {
  buildKeySnippets,
  KeySnippets,
  openAiBaseUrl,
} from '@litemaas/backstage-plugin-litemaas-common';

/** A secret to hand over once. @public */
export interface OneTimeSecret {
  /** The key's name, for the title and labels. */
  name: string;
  secret: string;
  /** A model of the key, used in the snippets. */
  model: string;
  /** After a rotation: until when the previous secret still works. */
  previousKey?: { graceExpiresAt: string | null };
}

const SNIPPET_TABS: (keyof KeySnippets)[] = [
  'env',
  'curl',
  'python',
  'javascript',
];

/**
 * Shows a new secret exactly once: copy button, snippets with the proxy's public base
 * URL, a clear "you will not see it again", and an acknowledgement before it closes. The
 * caller drops the secret in `onClose`, so nothing of it stays in the page.
 *
 * @public
 */
export function SecretModal(props: {
  secret: OneTimeSecret | undefined;
  publicBaseUrl: string;
  rotated?: boolean;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const titleId = useId();
  const [acknowledged, setAcknowledged] = useState(false);
  const [tab, setTab] = useState<keyof KeySnippets>('env');
  const { secret } = props;
  if (!secret) return null;

  const snippets = buildKeySnippets({
    secret: secret.secret,
    publicBaseUrl: props.publicBaseUrl,
    model: secret.model,
  });
  const close = () => {
    if (!acknowledged) return;
    setAcknowledged(false);
    setTab('env');
    props.onClose();
  };
  const grace = secret.previousKey?.graceExpiresAt;

  return (
    <Modal
      isOpen
      variant="medium"
      aria-labelledby={titleId}
      // Escape and the close button only work once the person has acknowledged.
      onClose={acknowledged ? close : undefined}
      onEscapePress={event => {
        event.preventDefault();
        close();
      }}
    >
      <ModalHeader
        labelId={titleId}
        title={
          props.rotated
            ? t('common.secret.rotatedTitle', { name: secret.name })
            : t('common.secret.title')
        }
      />
      <ModalBody>
        <Alert variant="warning" isInline title={t('common.secret.once')} />
        <div style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
          <ClipboardCopy
            isReadOnly
            hoverTip={t('common.actions.copy')}
            clickTip={t('common.actions.copied')}
            textAriaLabel={t('common.secret.secretLabel', {
              name: secret.name,
            })}
            toggleAriaLabel={t('common.actions.copy')}
            data-testid="litemaas-secret"
          >
            {secret.secret}
          </ClipboardCopy>
        </div>
        {secret.previousKey && (
          <Content component="p" style={{ marginTop: 8 }}>
            {grace
              ? t('common.secret.previousKeyGrace', {
                  date: formatDateTime(grace, locale) ?? grace,
                })
              : t('common.secret.previousKeyStopped')}
          </Content>
        )}
        <Content component="p" style={{ marginTop: 8 }}>
          {t('common.secret.baseUrl')}:{' '}
          <code data-testid="litemaas-base-url">
            {openAiBaseUrl(props.publicBaseUrl)}
          </code>
        </Content>
        <Title
          headingLevel="h3"
          size="md"
          style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
        >
          {t('common.secret.snippetsTitle')}
        </Title>
        <Tabs
          activeKey={tab}
          onSelect={(_e, key) => setTab(key as keyof KeySnippets)}
          aria-label={t('common.secret.snippetsLabel')}
          mountOnEnter
          unmountOnExit
        >
          {SNIPPET_TABS.map(key => (
            <Tab
              key={key}
              eventKey={key}
              title={
                <TabTitleText>{t(`common.secret.tabs.${key}`)}</TabTitleText>
              }
            >
              <CodeBlock
                actions={
                  <CodeBlockAction>
                    <CopyButton
                      text={snippets[key]}
                      label={`${t('common.actions.copy')}: ${t(
                        `common.secret.tabs.${key}`,
                      )}`}
                    />
                  </CodeBlockAction>
                }
              >
                <CodeBlockCode data-testid={`litemaas-snippet-${key}`}>
                  {snippets[key]}
                </CodeBlockCode>
              </CodeBlock>
            </Tab>
          ))}
        </Tabs>
      </ModalBody>
      <ModalFooter>
        <Flex
          justifyContent={{ default: 'justifyContentSpaceBetween' }}
          alignItems={{ default: 'alignItemsCenter' }}
          style={{ width: '100%' }}
        >
          <FlexItem>
            <Checkbox
              id={`${titleId}-ack`}
              label={t('common.secret.acknowledge')}
              isChecked={acknowledged}
              onChange={(_e, checked) => setAcknowledged(checked)}
            />
          </FlexItem>
          <FlexItem>
            <Button
              variant="primary"
              isDisabled={!acknowledged}
              onClick={close}
            >
              {t('common.secret.done')}
            </Button>
          </FlexItem>
        </Flex>
      </ModalFooter>
    </Modal>
  );
}
