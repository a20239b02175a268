import { ReactNode } from 'react';
import { ResponseError } from '@backstage/errors';
import {
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
} from '@patternfly/react-core/dist/dynamic/components/EmptyState';
import { Spinner } from '@patternfly/react-core/dist/dynamic/components/Spinner';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Bullseye } from '@patternfly/react-core/dist/dynamic/layouts/Bullseye';
import CubesIcon from '@patternfly/react-icons/dist/dynamic/icons/cubes-icon';
import ExclamationCircleIcon from '@patternfly/react-icons/dist/dynamic/icons/exclamation-circle-icon';
import LockIcon from '@patternfly/react-icons/dist/dynamic/icons/lock-icon';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

/** A centred spinner with an accessible name. @public */
export function LoadingState(props: { label?: string }) {
  const { t } = useLiteMaaSTranslation();
  return (
    <Bullseye style={{ padding: 'var(--pf-t--global--spacer--xl)' }}>
      <Spinner
        size="lg"
        aria-label={props.label ?? t('common.states.loading')}
      />
    </Bullseye>
  );
}

/** Nothing to show yet, and what to do about it. @public */
export function EmptyView(props: {
  title: string;
  body?: ReactNode;
  icon?: React.ComponentType<any>;
  actions?: ReactNode;
  headingLevel?: 'h2' | 'h3' | 'h4';
}) {
  return (
    <EmptyState
      titleText={props.title}
      headingLevel={props.headingLevel ?? 'h2'}
      icon={props.icon ?? CubesIcon}
      variant="sm"
    >
      {props.body && <EmptyStateBody>{props.body}</EmptyStateBody>}
      {props.actions && (
        <EmptyStateFooter>
          <EmptyStateActions>{props.actions}</EmptyStateActions>
        </EmptyStateFooter>
      )}
    </EmptyState>
  );
}

/** The permission framework or the backend said no. @public */
export function PermissionDeniedView(props: { reason?: string }) {
  const { t } = useLiteMaaSTranslation();
  return (
    <EmptyState
      titleText={t('common.states.deniedTitle')}
      headingLevel="h2"
      icon={LockIcon}
      variant="sm"
    >
      <EmptyStateBody>
        {props.reason ?? t('common.states.deniedBody')}
      </EmptyStateBody>
    </EmptyState>
  );
}

/** The message a person should read for an error: the backend's, when it sent one. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a backend error, if it is one. */
export function errorStatus(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}

/**
 * A failed read, with the backend's message and a retry. A 403 shows the permission
 * view instead; a 404 a "not found" view.
 *
 * @public
 */
export function ErrorView(props: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const status = errorStatus(props.error);
  if (status === 403) {
    return <PermissionDeniedView reason={errorMessage(props.error)} />;
  }
  return (
    <EmptyState
      titleText={
        props.title ??
        (status === 404
          ? t('common.states.notFoundTitle')
          : t('common.states.errorTitle'))
      }
      headingLevel="h2"
      icon={ExclamationCircleIcon}
      status={status === 404 ? undefined : 'danger'}
      variant="sm"
    >
      <EmptyStateBody role="alert">{errorMessage(props.error)}</EmptyStateBody>
      {props.onRetry && status !== 404 && (
        <EmptyStateFooter>
          <EmptyStateActions>
            <Button variant="secondary" onClick={props.onRetry}>
              {t('common.states.retry')}
            </Button>
          </EmptyStateActions>
        </EmptyStateFooter>
      )}
    </EmptyState>
  );
}

/**
 * Renders a query's loading and error states, and its data otherwise, so every view
 * designs them the same way.
 *
 * @public
 */
export function QueryView<T>(props: {
  query: {
    isPending: boolean;
    error: unknown;
    data: T | undefined;
    refetch: () => unknown;
  };
  loadingLabel?: string;
  errorTitle?: string;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.error) {
    return (
      <ErrorView
        error={query.error}
        title={props.errorTitle}
        onRetry={() => query.refetch()}
      />
    );
  }
  if (query.isPending || query.data === undefined) {
    return <LoadingState label={props.loadingLabel} />;
  }
  return <>{props.children(query.data)}</>;
}
