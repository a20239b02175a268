import {
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core/dist/dynamic/components/Toolbar';
import { SearchInput } from '@patternfly/react-core/dist/dynamic/components/SearchInput';
import {
  FormSelect,
  FormSelectOption,
} from '@patternfly/react-core/dist/dynamic/components/FormSelect';
import {
  ToggleGroup,
  ToggleGroupItem,
} from '@patternfly/react-core/dist/dynamic/components/ToggleGroup';
import { Button } from '@patternfly/react-core/dist/dynamic/components/Button';
import ThIcon from '@patternfly/react-icons/dist/dynamic/icons/th-icon';
import ListIcon from '@patternfly/react-icons/dist/dynamic/icons/list-icon';
import {
  formatCompact,
  formatMoney,
  useCapabilityName,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import {
  CONTEXT_STEPS,
  hasActiveFilters,
  MODEL_SORTS,
  ModelFilters,
  NO_FILTERS,
  PRICE_STEPS,
} from './filters';

export type ModelsView = 'cards' | 'table';

/** Search, filters, sort and the cards/table switch of the models screen. */
export function ModelsToolbar(props: {
  filters: ModelFilters;
  onChange: (filters: ModelFilters) => void;
  providers: string[];
  capabilities: string[];
  currency: string;
  view: ModelsView;
  onView: (view: ModelsView) => void;
  count: number;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const capabilityName = useCapabilityName();
  const { filters } = props;
  const set = <K extends keyof ModelFilters>(key: K, value: ModelFilters[K]) =>
    props.onChange({ ...filters, [key]: value });
  const any = t('models.toolbar.any');

  const select = (
    label: string,
    value: string,
    onChange: (value: string) => void,
    options: { value: string; label: string }[],
    withAny = true,
  ) => (
    // Never shrink a filter below its label: the filter group wraps instead (long
    // translations such as Spanish were cut to "Proveedor: …").
    <ToolbarItem style={{ flexShrink: 0 }}>
      <FormSelect
        aria-label={label}
        value={value}
        onChange={(_e, next) => onChange(next)}
        style={{ minWidth: 140 }}
      >
        {withAny && <FormSelectOption value="" label={`${label}: ${any}`} />}
        {options.map(option => (
          <FormSelectOption
            key={option.value}
            value={option.value}
            label={withAny ? `${label}: ${option.label}` : option.label}
          />
        ))}
      </FormSelect>
    </ToolbarItem>
  );

  const sortLabels = {
    name: t('models.toolbar.sortName'),
    priceAsc: t('models.toolbar.sortPriceAsc'),
    priceDesc: t('models.toolbar.sortPriceDesc'),
    context: t('models.toolbar.sortContext'),
    provider: t('models.toolbar.sortProvider'),
  };

  return (
    <Toolbar
      aria-label={t('models.toolbar.label')}
      inset={{ default: 'insetNone' }}
    >
      <ToolbarContent>
        <ToolbarItem>
          <SearchInput
            aria-label={t('models.toolbar.search')}
            placeholder={t('models.toolbar.search')}
            value={filters.search}
            onChange={(_e, value) => set('search', value)}
            onClear={() => set('search', '')}
            style={{ minWidth: 220 }}
          />
        </ToolbarItem>
        <ToolbarGroup variant="filter-group" style={{ flexWrap: 'wrap' }}>
          {select(
            t('models.toolbar.provider'),
            filters.provider,
            v => set('provider', v),
            props.providers.map(p => ({ value: p, label: p })),
          )}
          {select(
            t('models.toolbar.capability'),
            filters.capability,
            v => set('capability', v),
            props.capabilities.map(c => ({
              value: c,
              label: capabilityName(c),
            })),
          )}
          {select(
            t('models.toolbar.context'),
            filters.minContext ? String(filters.minContext) : '',
            v => set('minContext', Number(v) || 0),
            CONTEXT_STEPS.map(size => ({
              value: String(size),
              label: t('models.toolbar.contextAtLeast', {
                size: formatCompact(size, locale)!,
              }),
            })),
          )}
          {select(
            t('models.toolbar.price'),
            filters.maxPrice ? String(filters.maxPrice) : '',
            v => set('maxPrice', Number(v) || 0),
            PRICE_STEPS.map(price => ({
              value: String(price),
              label: t('models.toolbar.priceAtMost', {
                price: formatMoney(price, props.currency, locale)!,
              }),
            })),
          )}
          {select(
            t('models.toolbar.access'),
            filters.access,
            v => set('access', v as ModelFilters['access']),
            [
              { value: 'open', label: t('models.toolbar.accessOpen') },
              {
                value: 'restricted',
                label: t('models.toolbar.accessRestricted'),
              },
            ],
          )}
          {select(
            t('models.toolbar.mine'),
            filters.mine,
            v => set('mine', v as ModelFilters['mine']),
            [
              {
                value: 'subscribed',
                label: t('models.toolbar.mineSubscribed'),
              },
              { value: 'pending', label: t('models.toolbar.minePending') },
              { value: 'none', label: t('models.toolbar.mineNone') },
            ],
          )}
        </ToolbarGroup>
        <ToolbarGroup>
          {select(
            t('models.toolbar.sort'),
            filters.sort,
            v => set('sort', v as ModelFilters['sort']),
            MODEL_SORTS.map(sort => ({
              value: sort,
              label: `${t('models.toolbar.sort')}: ${sortLabels[sort]}`,
            })),
            false,
          )}
          {hasActiveFilters(filters) && (
            <ToolbarItem>
              <Button
                variant="link"
                onClick={() =>
                  props.onChange({ ...NO_FILTERS, sort: filters.sort })
                }
              >
                {t('models.noMatch.clear')}
              </Button>
            </ToolbarItem>
          )}
        </ToolbarGroup>
        <ToolbarGroup align={{ default: 'alignEnd' }}>
          <ToolbarItem alignSelf="center">
            <span aria-live="polite">
              {t('models.toolbar.count', { count: props.count })}
            </span>
          </ToolbarItem>
          <ToolbarItem>
            <ToggleGroup aria-label={t('models.toolbar.view')}>
              <ToggleGroupItem
                icon={<ThIcon />}
                aria-label={t('models.toolbar.cards')}
                buttonId="litemaas-view-cards"
                isSelected={props.view === 'cards'}
                onChange={() => props.onView('cards')}
              />
              <ToggleGroupItem
                icon={<ListIcon />}
                aria-label={t('models.toolbar.table')}
                buttonId="litemaas-view-table"
                isSelected={props.view === 'table'}
                onChange={() => props.onView('table')}
              />
            </ToggleGroup>
          </ToolbarItem>
        </ToolbarGroup>
      </ToolbarContent>
    </Toolbar>
  );
}
