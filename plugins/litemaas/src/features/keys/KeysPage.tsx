import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import { litemaasKeyCreatePermission } from '@litemaas/backstage-plugin-litemaas-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { Link } from '@backstage/core-components';
import {
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
} from '@patternfly/react-table/dist/dynamic/components/Table';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Tooltip } from '@patternfly/react-core/dist/dynamic/components/Tooltip';
import {
  Label,
  LabelGroup,
} from '@patternfly/react-core/dist/dynamic/components/Label';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import {
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core/dist/dynamic/components/Toolbar';
import PlusIcon from '@patternfly/react-icons/dist/dynamic/icons/plus-icon';
import KeyIcon from '@patternfly/react-icons/dist/dynamic/icons/key-icon';
import type { CreatedKey, LiteMaaSConfig } from '../../api';
import {
  useCurrentUser,
  useKeys,
  useKeysUsage,
  useLiteMaaSConfig,
  useRevokeKey,
} from '../../api';
import {
  ConfirmModal,
  EmptyView,
  formatCount,
  formatDate,
  KeyStatusLabel,
  OneTimeSecret,
  QueryView,
  SecretModal,
  shortRef,
  SpendBar,
  usePeriodLabel,
} from '../../components';
import { useModelLink } from '../models';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { CreateKeyWizard } from './CreateKeyWizard';
import { EditKeyModal } from './EditKeyModal';
import { KeyAction, KeyActions } from './KeyActions';
import { RotateKeyModal } from './RotateKeyModal';

function toSecret(key: CreatedKey): OneTimeSecret {
  return {
    name: key.name,
    secret: key.secret,
    model: key.models[0] ?? '',
    previousKey: key.previousKey,
  };
}

function KeysTable(props: {
  keys: ApiKey[];
  config: LiteMaaSConfig;
  userRef: string;
  onAction: (key: ApiKey, action: KeyAction) => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const modelLink = useModelLink();
  const periodLabel = usePeriodLabel();
  const usage = useKeysUsage();
  const { config } = props;

  const limitsOf = (key: ApiKey) => {
    const parts = [
      key.tpmLimit
        ? t('keys.limitsSummary.tpm', {
            value: formatCount(key.tpmLimit, locale)!,
          })
        : undefined,
      key.rpmLimit
        ? t('keys.limitsSummary.rpm', {
            value: formatCount(key.rpmLimit, locale)!,
          })
        : undefined,
    ].filter(Boolean);
    // One limit a line: a narrow column then breaks between limits, not inside one.
    return parts.length
      ? parts.map(part => <div key={part}>{part}</div>)
      : t('keys.limitsSummary.none');
  };
  const period = (key: ApiKey) =>
    key.budgetDuration
      ? t('keys.limitsSummary.period', {
          period: periodLabel(key.budgetDuration),
        })
      : undefined;

  return (
    <Table aria-label={t('keys.tab')} variant="compact">
      <Thead>
        <Tr>
          <Th width={15}>{t('keys.columns.name')}</Th>
          <Th modifier="nowrap">{t('keys.columns.owner')}</Th>
          <Th width={15}>{t('keys.columns.models')}</Th>
          <Th width={20}>{t('keys.columns.spend')}</Th>
          <Th modifier="nowrap">{t('keys.columns.limits')}</Th>
          <Th modifier="nowrap">{t('keys.columns.expires')}</Th>
          <Th modifier="nowrap">{t('keys.columns.status')}</Th>
          <Th screenReaderText={t('keys.columns.actions')} />
        </Tr>
      </Thead>
      <Tbody>
        {props.keys.map(key => {
          const live = usage.get(key.id);
          return (
            <Tr key={key.id}>
              <Td dataLabel={t('keys.columns.name')}>
                <strong>{key.name}</strong>
                <Content component="small" style={{ display: 'block' }}>
                  <code>{key.displayName ?? key.litellmAlias}</code>
                </Content>
              </Td>
              <Td dataLabel={t('keys.columns.owner')}>
                {key.ownerRef === props.userRef
                  ? t('keys.me')
                  : t('keys.team', { name: shortRef(key.ownerRef) })}
              </Td>
              <Td dataLabel={t('keys.columns.models')}>
                <LabelGroup numLabels={3}>
                  {key.models.map(model => (
                    <Label key={model} isCompact variant="outline">
                      <Link to={modelLink(model)}>{model}</Link>
                    </Label>
                  ))}
                </LabelGroup>
              </Td>
              <Td dataLabel={t('keys.columns.spend')}>
                <SpendBar
                  spend={live?.spend}
                  budget={live?.maxBudget ?? key.maxBudget}
                  currency={config.currency}
                  label={key.name}
                />
                {period(key) && (
                  <Content component="small">{period(key)}</Content>
                )}
              </Td>
              <Td dataLabel={t('keys.columns.limits')} modifier="nowrap">
                {limitsOf(key)}
              </Td>
              <Td dataLabel={t('keys.columns.expires')} modifier="nowrap">
                {formatDate(key.expiresAt, locale) ?? t('keys.never')}
              </Td>
              <Td dataLabel={t('keys.columns.status')}>
                <KeyStatusLabel apiKey={key} />
                {key.status === 'blocked' && (
                  <Content
                    component="small"
                    style={{ display: 'block', maxWidth: 260 }}
                  >
                    {key.blockedByAdmin
                      ? t('keys.blockedExplained')
                      : t('keys.blockedNoModel')}
                  </Content>
                )}
              </Td>
              <Td isActionCell>
                <KeyActions
                  apiKey={key}
                  onAction={a => props.onAction(key, a)}
                />
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
}

/**
 * My keys and my teams': spend against budget, limits, expiry and status; create
 * through the wizard, edit limits, rotate with a grace period, revoke with a typed
 * confirmation. A new secret is shown once in the secret modal and then dropped.
 * `?create=<model>` opens the wizard with that model ticked; `&owner=<entity ref>` picks
 * the owner (a team or a component or system a team owns) when it is one I may choose.
 */
export function KeysPage() {
  const { t } = useLiteMaaSTranslation();
  const keys = useKeys();
  const config = useLiteMaaSConfig();
  const user = useCurrentUser();
  const revoke = useRevokeKey();
  const canCreate = usePermission({ permission: litemaasKeyCreatePermission });
  const [params, setParams] = useSearchParams();
  const [secret, setSecret] = useState<{
    value: OneTimeSecret;
    rotated: boolean;
  }>();
  const [target, setTarget] = useState<{ key: ApiKey; action: KeyAction }>();
  const creating = params.has('create');
  const userRef = user.data?.userEntityRef ?? '';

  const openCreate = (open: boolean) => {
    const next = new URLSearchParams(params);
    if (open) next.set('create', '');
    else {
      next.delete('create');
      next.delete('owner');
    }
    setParams(next, { replace: true });
  };

  const createButton = (
    <Button
      icon={<PlusIcon />}
      isAriaDisabled={!canCreate.allowed || !config.data}
      onClick={() => openCreate(true)}
    >
      {t('keys.create')}
    </Button>
  );
  const createAction =
    !canCreate.loading && !canCreate.allowed ? (
      <Tooltip content={t('keys.createDenied')}>{createButton}</Tooltip>
    ) : (
      createButton
    );

  return (
    <QueryView query={config}>
      {cfg => (
        <>
          <QueryView query={keys} loadingLabel={t('keys.loading')}>
            {data =>
              data.items.length === 0 ? (
                <EmptyView
                  icon={KeyIcon}
                  title={t('keys.empty.title')}
                  body={t('keys.empty.body')}
                  actions={createAction}
                />
              ) : (
                <>
                  <Toolbar inset={{ default: 'insetNone' }}>
                    <ToolbarContent>
                      <ToolbarItem>{createAction}</ToolbarItem>
                    </ToolbarContent>
                  </Toolbar>
                  <KeysTable
                    keys={data.items}
                    config={cfg}
                    userRef={userRef}
                    onAction={(key, action) => setTarget({ key, action })}
                  />
                </>
              )
            }
          </QueryView>
          {creating && userRef && canCreate.allowed && (
            <CreateKeyWizard
              config={cfg}
              userRef={userRef}
              initialModel={params.get('create') || undefined}
              initialOwner={params.get('owner') || undefined}
              onClose={() => openCreate(false)}
              onCreated={created => {
                openCreate(false);
                setSecret({ value: toSecret(created), rotated: false });
              }}
            />
          )}
          {target?.action === 'edit' && (
            <EditKeyModal
              apiKey={target.key}
              config={cfg}
              onClose={() => setTarget(undefined)}
            />
          )}
          {target?.action === 'rotate' && (
            <RotateKeyModal
              apiKey={target.key}
              maxGraceSeconds={cfg.rotationMaxGraceSeconds}
              onClose={() => setTarget(undefined)}
              onRotated={created =>
                setSecret({ value: toSecret(created), rotated: true })
              }
            />
          )}
          {target?.action === 'revoke' && (
            <ConfirmModal
              isOpen
              variant="danger"
              title={t('keys.revoke.title', { name: target.key.name })}
              confirmLabel={t('keys.revoke.confirm')}
              typedConfirmation={target.key.name}
              onConfirm={() => revoke.mutateAsync(target.key.id)}
              onClose={() => setTarget(undefined)}
            >
              <Content component="p">{t('keys.revoke.body')}</Content>
            </ConfirmModal>
          )}
          <SecretModal
            secret={secret?.value}
            rotated={secret?.rotated}
            publicBaseUrl={cfg.publicBaseUrl}
            onClose={() => setSecret(undefined)}
          />
        </>
      )}
    </QueryView>
  );
}
