import { Suspense, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Gallery } from '@patternfly/react-core/dist/dynamic/layouts/Gallery';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import {
  Flex,
  FlexItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Flex';
import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import SearchIcon from '@patternfly/react-icons/dist/dynamic/icons/search-icon';
import { useLiteMaaSConfig, useModels } from '../../api';
import {
  EmptyView,
  lazyNamed,
  LoadingState,
  QueryView,
} from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';
import {
  applyModelFilters,
  filterOptions,
  filtersFromParams,
  filtersToParams,
  NO_FILTERS,
} from './filters';
import { ModelCard } from './ModelCard';
import { ModelsToolbar, ModelsView } from './ModelsToolbar';

// Cards come first; the table view and the comparison load when asked for.
const ModelsTable = lazyNamed(() => import('./ModelsTable'), 'ModelsTable');
const CompareModal = lazyNamed(() => import('./CompareModal'), 'CompareModal');

const MAX_COMPARE = 4;

/**
 * The models screen: cards or table, search, filters and sort (all kept in the URL, so
 * a filtered view can be shared), and a comparison of 2 to 4 models.
 */
export function ModelsPage() {
  const { t } = useLiteMaaSTranslation();
  const models = useModels();
  const config = useLiteMaaSConfig();
  const currency = config.data?.currency ?? 'USD';
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const view: ModelsView = params.get('view') === 'table' ? 'table' : 'cards';
  const [selected, setSelected] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);

  const all = useMemo(() => models.data?.items ?? [], [models.data]);
  const options = useMemo(() => filterOptions(all), [all]);
  const shown = useMemo(() => applyModelFilters(all, filters), [all, filters]);
  const selectedModels = selected
    .map(id => all.find(m => m.id === id))
    .filter((m): m is NonNullable<typeof m> => Boolean(m));

  const select = (id: string, on: boolean) =>
    setSelected(current =>
      on
        ? [...current.filter(x => x !== id), id].slice(0, MAX_COMPARE)
        : current.filter(x => x !== id),
    );
  const full = selected.length >= MAX_COMPARE;

  return (
    <QueryView query={models} loadingLabel={t('models.loading')}>
      {data =>
        data.items.length === 0 ? (
          <EmptyView
            title={t('models.empty.title')}
            body={t('models.empty.body')}
          />
        ) : (
          <>
            <ModelsToolbar
              filters={filters}
              onChange={next =>
                setParams(filtersToParams(next, params), { replace: true })
              }
              providers={options.providers}
              capabilities={options.capabilities}
              currency={currency}
              view={view}
              onView={next => {
                const p = new URLSearchParams(params);
                if (next === 'table') p.set('view', 'table');
                else p.delete('view');
                setParams(p, { replace: true });
              }}
              count={shown.length}
            />
            {selected.length > 0 && (
              <Alert
                isInline
                variant={full ? 'warning' : 'info'}
                title={t('models.compare.bar', { count: selected.length })}
                actionLinks={
                  <Flex>
                    <FlexItem>
                      <Button
                        variant="primary"
                        size="sm"
                        isDisabled={selected.length < 2}
                        onClick={() => setComparing(true)}
                      >
                        {t('models.compare.open')}
                      </Button>
                    </FlexItem>
                    <FlexItem>
                      <Button
                        variant="link"
                        size="sm"
                        onClick={() => setSelected([])}
                      >
                        {t('models.compare.clear')}
                      </Button>
                    </FlexItem>
                  </Flex>
                }
                style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}
              >
                {full && t('models.compare.max')}
              </Alert>
            )}
            {shown.length === 0 && (
              <EmptyView
                icon={SearchIcon}
                title={t('models.noMatch.title')}
                body={t('models.noMatch.body')}
                actions={
                  <Button
                    variant="link"
                    onClick={() =>
                      setParams(
                        filtersToParams(
                          { ...NO_FILTERS, sort: filters.sort },
                          params,
                        ),
                        { replace: true },
                      )
                    }
                  >
                    {t('models.noMatch.clear')}
                  </Button>
                }
              />
            )}
            {shown.length > 0 && view === 'cards' && (
              <Gallery
                hasGutter
                minWidths={{ default: '280px' }}
                component="section"
                aria-label={t('models.tab')}
              >
                {shown.map(model => (
                  <ModelCard
                    key={model.id}
                    model={model}
                    currency={currency}
                    selected={selected.includes(model.id)}
                    selectDisabled={full}
                    onSelect={on => select(model.id, on)}
                  />
                ))}
              </Gallery>
            )}
            <Suspense fallback={<LoadingState />}>
              {shown.length > 0 && view === 'table' && (
                <ModelsTable
                  models={shown}
                  currency={currency}
                  sort={filters.sort}
                  onSort={sort =>
                    setParams(filtersToParams({ ...filters, sort }, params), {
                      replace: true,
                    })
                  }
                  selected={new Set(selected)}
                  selectDisabled={full}
                  onSelect={select}
                />
              )}
              {comparing && selectedModels.length >= 2 && (
                <CompareModal
                  models={selectedModels}
                  currency={currency}
                  onClose={() => setComparing(false)}
                />
              )}
            </Suspense>
          </>
        )
      }
    </QueryView>
  );
}
