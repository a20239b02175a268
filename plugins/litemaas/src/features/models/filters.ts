import type { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';

/** The sorts the models screen offers. */
export const MODEL_SORTS = [
  'name',
  'priceAsc',
  'priceDesc',
  'context',
  'provider',
] as const;
export type ModelSort = (typeof MODEL_SORTS)[number];

/** Context sizes a person can ask for at least. */
export const CONTEXT_STEPS = [8_000, 32_000, 128_000, 200_000] as const;
/** Input prices per 1M tokens a person can ask for at most. */
export const PRICE_STEPS = [0.5, 1, 5, 15] as const;

/** What the models screen is filtered and sorted by; kept in the URL. */
export interface ModelFilters {
  search: string;
  provider: string;
  capability: string;
  /** Minimum context length in tokens, 0 = any. */
  minContext: number;
  /** Maximum input price per 1M tokens, 0 = any. */
  maxPrice: number;
  access: '' | 'open' | 'restricted';
  mine: '' | 'subscribed' | 'pending' | 'none';
  sort: ModelSort;
}

export const NO_FILTERS: ModelFilters = {
  search: '',
  provider: '',
  capability: '',
  minContext: 0,
  maxPrice: 0,
  access: '',
  mine: '',
  sort: 'name',
};

export function filtersFromParams(params: URLSearchParams): ModelFilters {
  const pick = <T extends string>(
    value: string | null,
    allowed: readonly T[],
  ) => (allowed.includes(value as T) ? (value as T) : undefined);
  const number = (value: string | null) => {
    const n = Number(value);
    return Number.isFinite(n) && n > 0 ? n : 0;
  };
  return {
    search: params.get('q') ?? '',
    provider: params.get('provider') ?? '',
    capability: params.get('capability') ?? '',
    minContext: number(params.get('context')),
    maxPrice: number(params.get('price')),
    access: pick(params.get('access'), ['open', 'restricted'] as const) ?? '',
    mine:
      pick(params.get('mine'), ['subscribed', 'pending', 'none'] as const) ??
      '',
    sort: pick(params.get('sort'), MODEL_SORTS) ?? 'name',
  };
}

export function filtersToParams(
  filters: ModelFilters,
  params: URLSearchParams,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string | number, empty: string | number) => {
    if (value === empty || value === '') next.delete(key);
    else next.set(key, String(value));
  };
  set('q', filters.search, '');
  set('provider', filters.provider, '');
  set('capability', filters.capability, '');
  set('context', filters.minContext, 0);
  set('price', filters.maxPrice, 0);
  set('access', filters.access, '');
  set('mine', filters.mine, '');
  set('sort', filters.sort, 'name');
  return next;
}

export function hasActiveFilters(filters: ModelFilters): boolean {
  return (
    filters.search !== '' ||
    filters.provider !== '' ||
    filters.capability !== '' ||
    filters.minContext > 0 ||
    filters.maxPrice > 0 ||
    filters.access !== '' ||
    filters.mine !== ''
  );
}

function myAccess(model: ModelListItem): ModelFilters['mine'] {
  const status = model.subscription?.status;
  if (status === 'active') return 'subscribed';
  if (status === 'pending') return 'pending';
  return 'none';
}

const byName = (a: ModelListItem, b: ModelListItem) =>
  a.id.localeCompare(b.id, undefined, { sensitivity: 'base' });

/** Unknown prices and contexts sort last whatever the direction. */
function byNumber(
  get: (m: ModelListItem) => number | null,
  direction: 1 | -1,
): (a: ModelListItem, b: ModelListItem) => number {
  return (a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === null && y === null) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return (x - y) * direction || byName(a, b);
  };
}

const SORTERS: Record<
  ModelSort,
  (a: ModelListItem, b: ModelListItem) => number
> = {
  name: byName,
  priceAsc: byNumber(m => m.inputCostPerToken, 1),
  priceDesc: byNumber(m => m.inputCostPerToken, -1),
  context: byNumber(m => m.contextLength, -1),
  provider: (a, b) => a.provider.localeCompare(b.provider) || byName(a, b),
};

/** The models that pass the filters, sorted. */
export function applyModelFilters(
  models: readonly ModelListItem[],
  filters: ModelFilters,
): ModelListItem[] {
  const search = filters.search.trim().toLocaleLowerCase();
  return models
    .filter(
      m =>
        !search ||
        m.id.toLocaleLowerCase().includes(search) ||
        m.provider.toLocaleLowerCase().includes(search) ||
        (m.description ?? '').toLocaleLowerCase().includes(search),
    )
    .filter(m => !filters.provider || m.provider === filters.provider)
    .filter(
      m => !filters.capability || m.capabilities.includes(filters.capability),
    )
    .filter(
      m =>
        !filters.minContext ||
        (m.contextLength !== null && m.contextLength >= filters.minContext),
    )
    .filter(
      m =>
        !filters.maxPrice ||
        (m.inputCostPerToken !== null &&
          m.inputCostPerToken * 1_000_000 <= filters.maxPrice),
    )
    .filter(
      m =>
        !filters.access || (filters.access === 'restricted') === m.restricted,
    )
    .filter(m => !filters.mine || myAccess(m) === filters.mine)
    .sort(SORTERS[filters.sort]);
}

/** Distinct values for the provider and capability filters. */
export function filterOptions(models: readonly ModelListItem[]) {
  return {
    providers: [...new Set(models.map(m => m.provider))].sort(),
    capabilities: [...new Set(models.flatMap(m => m.capabilities))].sort(),
  };
}
