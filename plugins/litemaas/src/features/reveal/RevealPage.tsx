import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Link } from '@backstage/core-components';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import {
  Card,
  CardBody,
  CardFooter,
  CardTitle,
} from '@patternfly/react-core/dist/dynamic/components/Card';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import CheckCircleIcon from '@patternfly/react-icons/dist/dynamic/icons/check-circle-icon';
import KeyIcon from '@patternfly/react-icons/dist/dynamic/icons/key-icon';
import { useKey, useLiteMaaSConfig, useRevealSecret } from '../../api';
import {
  EmptyView,
  errorMessage,
  errorStatus,
  LoadingState,
  QueryView,
  SecretModal,
  useLiteMaaSPath,
} from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

/** What the reveal answered: kept in state only until the modal closes. */
interface Revealed {
  keyId: string;
  secret: string;
}

/**
 * `/litemaas/reveal/:token`: the page a software template's output links to. The secret
 * is read only when the person asks for it (a link preview must not spend the one-time
 * reveal), shown through the same one-time modal as a new key, and dropped when the modal
 * closes. A used, expired or foreign link reads "already revealed or expired".
 */
export function RevealPage() {
  const { t } = useLiteMaaSTranslation();
  const token = useParams()['*'] ?? '';
  const config = useLiteMaaSConfig();
  const reveal = useRevealSecret();
  const [revealed, setRevealed] = useState<Revealed>();
  const [done, setDone] = useState(false);
  // The key's name and models, for the modal's title and snippets.
  const key = useKey(revealed?.keyId);
  const keysPath = useLiteMaaSPath()('keys');

  const toKeys = <Link to={keysPath}>{t('reveal.toKeys')}</Link>;

  if (done) {
    return (
      <EmptyView
        icon={CheckCircleIcon}
        title={t('reveal.revealedTitle')}
        body={t('reveal.revealedBody')}
        actions={toKeys}
      />
    );
  }
  if (errorStatus(reveal.error) === 404) {
    return (
      <EmptyView
        title={t('reveal.goneTitle')}
        body={t('reveal.goneBody')}
        actions={toKeys}
      />
    );
  }

  return (
    <QueryView query={config}>
      {cfg => (
        <>
          <Card>
            <CardTitle>
              <KeyIcon /> {t('reveal.title')}
            </CardTitle>
            <CardBody>
              <Content component="p">{t('reveal.intro')}</Content>
              {reveal.error !== null && (
                <Alert
                  variant="danger"
                  isInline
                  title={errorMessage(reveal.error)}
                  style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
                />
              )}
            </CardBody>
            <CardFooter>
              <Button
                variant="primary"
                isLoading={reveal.isPending}
                isDisabled={reveal.isPending || Boolean(revealed)}
                onClick={() =>
                  reveal.mutate(token, {
                    onSuccess: answer => {
                      setRevealed(answer);
                      // The secret lives in this page's state only, not in a cache.
                      reveal.reset();
                    },
                  })
                }
              >
                {reveal.isPending ? t('reveal.revealing') : t('reveal.reveal')}
              </Button>
            </CardFooter>
          </Card>
          {revealed && key.isPending && (
            <LoadingState label={t('reveal.loadingKey')} />
          )}
          {revealed && !key.isPending && (
            <SecretModal
              publicBaseUrl={cfg.publicBaseUrl}
              secret={{
                // Without read access to the key, its id still names it.
                name: key.data?.name ?? revealed.keyId,
                model: key.data?.models[0] ?? '',
                secret: revealed.secret,
              }}
              onClose={() => {
                setRevealed(undefined);
                setDone(true);
              }}
            />
          )}
        </>
      )}
    </QueryView>
  );
}
