import {
  Content,
  Header,
  Page,
  WarningPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { signInTranslationRef } from './translations';

/**
 * The backend's answer when the identity provider's person matches no catalog User
 * (auth-node's declarative sign-in resolvers).
 */
const UNKNOWN_USER =
  /unable to resolve user identity|not from an allowed domain/i;

/** Whether a failed sign-in failed because the person is not in the catalog. */
export function isUnknownUser(error: Error): boolean {
  const cause = (error as Error & { cause?: Error }).cause;
  return UNKNOWN_USER.test(`${error.message} ${cause?.message ?? ''}`);
}

/** A failed sign-in, said plainly, with the way back to the sign-in page. */
export function SignInFailure(props: { error: Error; onRetry: () => void }) {
  const { t } = useTranslationRef(signInTranslationRef);
  const { error, onRetry } = props;
  return (
    <Page themeId="home">
      <Header title={t('failure.pageTitle')} />
      <Content>
        <WarningPanel
          severity="error"
          title={t('failure.title')}
          defaultExpanded
        >
          <Typography paragraph>
            {isUnknownUser(error)
              ? t('failure.unknownUser')
              : t('failure.other')}
          </Typography>
          <Typography variant="body2" paragraph>
            {t('failure.details', { message: error.message })}
          </Typography>
          <Button variant="contained" color="primary" onClick={onRetry}>
            {t('failure.retry')}
          </Button>
        </WarningPanel>
      </Content>
    </Page>
  );
}
