import { useState } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import { litemaasAuditReadPermission } from '@litemaas/backstage-plugin-litemaas-common';
import {
  ExpandableRowContent,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
} from '@patternfly/react-table/dist/dynamic/components/Table';
import {
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core/dist/dynamic/components/Toolbar';
import { TextInput } from '@patternfly/react-core/dist/dynamic/components/TextInput';
import {
  FormSelect,
  FormSelectOption,
} from '@patternfly/react-core/dist/dynamic/components/FormSelect';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import { Label } from '@patternfly/react-core/dist/dynamic/components/Label';
import AngleDownIcon from '@patternfly/react-icons/dist/dynamic/icons/angle-down-icon';
import AngleRightIcon from '@patternfly/react-icons/dist/dynamic/icons/angle-right-icon';
import { Bullseye } from '@patternfly/react-core/dist/dynamic/layouts/Bullseye';
import { useAuditEntries, type AuditFilters } from '../../api';
import {
  EmptyView,
  formatDateTime,
  InlineError,
  LoadingState,
  PermissionDeniedView,
  QueryView,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';

const OUTCOMES = ['success', 'failure', 'denied'] as const;
type Outcome = (typeof OUTCOMES)[number];
const OUTCOME_COLORS = {
  success: 'green',
  failure: 'red',
  denied: 'orange',
} as const;

/** The filter form's fields; empty fields do not filter. */
interface Draft {
  actor: string;
  action: string;
  outcome: Outcome | '';
}
const NO_FILTER: Draft = { actor: '', action: '', outcome: '' };

function toFilters(draft: Draft): AuditFilters {
  return {
    ...(draft.actor.trim() && { actor: draft.actor.trim() }),
    ...(draft.action.trim() && { action: draft.action.trim() }),
    ...(draft.outcome && { outcome: draft.outcome }),
  };
}

/**
 * The audit trail for admins (`litemaas.audit.read`): who did what to which model,
 * subscription, key, team or limit, and whether it worked; filter by actor, action and
 * outcome; each entry's details (secrets are redacted before they are stored) unfold.
 */
export function AuditPage() {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const permission = usePermission({ permission: litemaasAuditReadPermission });
  const [draft, setDraft] = useState<Draft>(NO_FILTER);
  const [filters, setFilters] = useState<AuditFilters>({});
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const entries = useAuditEntries(filters, {
    enabled: permission.allowed,
  });
  const none = t('common.format.none');

  if (permission.loading) return <LoadingState label={t('audit.loading')} />;
  if (!permission.allowed) return <PermissionDeniedView />;

  const toggle = (id: number) =>
    setExpanded(current => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <>
      <Content component="p">{t('audit.intro')}</Content>
      <form
        aria-label={t('audit.filter.label')}
        onSubmit={e => {
          e.preventDefault();
          setFilters(toFilters(draft));
        }}
      >
        <Toolbar inset={{ default: 'insetNone' }}>
          <ToolbarContent>
            <ToolbarGroup>
              <ToolbarItem>
                <TextInput
                  aria-label={t('audit.filter.actor')}
                  placeholder={t('audit.filter.actorPlaceholder')}
                  value={draft.actor}
                  onChange={(_e, actor) => setDraft({ ...draft, actor })}
                />
              </ToolbarItem>
              <ToolbarItem>
                <TextInput
                  aria-label={t('audit.filter.action')}
                  placeholder={t('audit.filter.actionPlaceholder')}
                  value={draft.action}
                  onChange={(_e, action) => setDraft({ ...draft, action })}
                />
              </ToolbarItem>
              <ToolbarItem>
                <FormSelect
                  aria-label={t('audit.filter.outcome')}
                  value={draft.outcome}
                  onChange={(_e, outcome) =>
                    setDraft({ ...draft, outcome: outcome as Draft['outcome'] })
                  }
                >
                  <FormSelectOption
                    value=""
                    label={t('audit.filter.anyOutcome')}
                  />
                  {OUTCOMES.map(o => (
                    <FormSelectOption
                      key={o}
                      value={o}
                      label={t(`audit.outcome.${o}`)}
                    />
                  ))}
                </FormSelect>
              </ToolbarItem>
            </ToolbarGroup>
            <ToolbarGroup>
              <ToolbarItem>
                <Button type="submit" variant="primary">
                  {t('audit.filter.apply')}
                </Button>
              </ToolbarItem>
              <ToolbarItem>
                <Button
                  variant="link"
                  onClick={() => {
                    setDraft(NO_FILTER);
                    setFilters({});
                  }}
                >
                  {t('audit.filter.clear')}
                </Button>
              </ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </form>
      {/* A failed next page keeps the pages read so far; it shows below them. */}
      <QueryView
        query={{
          ...entries,
          error: entries.isFetchNextPageError ? null : entries.error,
        }}
        loadingLabel={t('audit.loading')}
      >
        {data => {
          const items = data.pages.flatMap(page => page.items);
          if (items.length === 0) {
            return (
              <EmptyView
                title={t('audit.empty.title')}
                body={t('audit.empty.body')}
              />
            );
          }
          return (
            <>
              <Table aria-label={t('audit.tab')} variant="compact">
                <Thead>
                  <Tr>
                    <Th screenReaderText={t('audit.columns.details')} />
                    <Th modifier="wrap">{t('audit.columns.when')}</Th>
                    <Th modifier="wrap">{t('audit.columns.actor')}</Th>
                    <Th modifier="wrap">{t('audit.columns.action')}</Th>
                    <Th modifier="wrap">{t('audit.columns.target')}</Th>
                    <Th modifier="wrap">{t('audit.columns.outcome')}</Th>
                    <Th modifier="wrap">{t('audit.columns.reason')}</Th>
                  </Tr>
                </Thead>
                {items.map(entry => {
                  const isExpanded = expanded.has(entry.id);
                  return (
                    <Tbody key={entry.id} isExpanded={isExpanded}>
                      <Tr>
                        {/* Our own toggle: PatternFly's expand cell names its button
                            "Details" in English only. */}
                        <Td>
                          <Button
                            variant="plain"
                            size="sm"
                            aria-label={t('audit.detailsLabel', {
                              id: String(entry.id),
                            })}
                            aria-expanded={isExpanded}
                            aria-controls={`litemaas-audit-${entry.id}`}
                            onClick={() => toggle(entry.id)}
                            icon={
                              isExpanded ? (
                                <AngleDownIcon />
                              ) : (
                                <AngleRightIcon />
                              )
                            }
                          />
                        </Td>
                        <Td dataLabel={t('audit.columns.when')}>
                          {formatDateTime(entry.occurredAt, locale) ?? none}
                        </Td>
                        <Td dataLabel={t('audit.columns.actor')}>
                          {entry.actorRef}
                        </Td>
                        <Td dataLabel={t('audit.columns.action')}>
                          <code>{entry.action}</code>
                        </Td>
                        <Td
                          dataLabel={t('audit.columns.target')}
                          modifier="breakWord"
                        >
                          {entry.targetType
                            ? `${entry.targetType} ${
                                entry.targetId ?? ''
                              }`.trim()
                            : none}
                        </Td>
                        <Td dataLabel={t('audit.columns.outcome')}>
                          <Label
                            color={OUTCOME_COLORS[entry.outcome]}
                            isCompact
                          >
                            {t(`audit.outcome.${entry.outcome}`)}
                          </Label>
                        </Td>
                        <Td
                          dataLabel={t('audit.columns.reason')}
                          modifier="breakWord"
                        >
                          {entry.reason ?? none}
                        </Td>
                      </Tr>
                      <Tr
                        isExpanded={isExpanded}
                        id={`litemaas-audit-${entry.id}`}
                      >
                        <Td colSpan={7}>
                          <ExpandableRowContent>
                            {isExpanded && (
                              <pre
                                style={{ whiteSpace: 'pre-wrap', margin: 0 }}
                              >
                                {JSON.stringify(entry.details, null, 2)}
                              </pre>
                            )}
                          </ExpandableRowContent>
                        </Td>
                      </Tr>
                    </Tbody>
                  );
                })}
              </Table>
              <Bullseye style={{ padding: 'var(--pf-t--global--spacer--md)' }}>
                {entries.hasNextPage ? (
                  <Button
                    variant="secondary"
                    onClick={() => entries.fetchNextPage()}
                    isLoading={entries.isFetchingNextPage}
                    isDisabled={entries.isFetchingNextPage}
                  >
                    {t('audit.more')}
                  </Button>
                ) : (
                  <Content component="small">{t('audit.end')}</Content>
                )}
              </Bullseye>
              <InlineError
                error={entries.isFetchNextPageError ? entries.error : undefined}
              />
            </>
          );
        }}
      </QueryView>
    </>
  );
}
