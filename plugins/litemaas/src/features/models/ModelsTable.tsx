import type { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';
import { Link } from '@backstage/core-components';
import {
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
} from '@patternfly/react-table/dist/dynamic/components/Table';
import {
  AccessLabel,
  CapabilityLabels,
  formatCount,
  formatPricePerMillion,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import type { ModelSort } from './filters';
import { useModelLink } from './paths';
import { SubscribeButton } from './subscribe/SubscribeButton';

const SORTABLE: Partial<Record<string, { asc: ModelSort; desc: ModelSort }>> = {
  model: { asc: 'name', desc: 'name' },
  provider: { asc: 'provider', desc: 'provider' },
  context: { asc: 'context', desc: 'context' },
  inputPrice: { asc: 'priceAsc', desc: 'priceDesc' },
};

/** The table view of the models, sharing the card view's filters, sort and selection. */
export function ModelsTable(props: {
  models: ModelListItem[];
  currency: string;
  sort: ModelSort;
  onSort: (sort: ModelSort) => void;
  selected: ReadonlySet<string>;
  selectDisabled: boolean;
  onSelect: (id: string, selected: boolean) => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const modelLink = useModelLink();
  const none = t('common.format.none');
  const columns = [
    'model',
    'provider',
    'context',
    'inputPrice',
    'outputPrice',
    'capabilities',
    'access',
  ] as const;
  const sortProps = (column: string, index: number) => {
    const sorts = SORTABLE[column];
    if (!sorts) return undefined;
    const active = props.sort === sorts.asc || props.sort === sorts.desc;
    return {
      sortBy: {
        index: active ? index : undefined,
        direction: (props.sort === sorts.desc && sorts.desc !== sorts.asc
          ? 'desc'
          : 'asc') as 'asc' | 'desc',
      },
      onSort: (_e: unknown, _i: number, direction: 'asc' | 'desc') =>
        props.onSort(direction === 'desc' ? sorts.desc : sorts.asc),
      columnIndex: index,
    };
  };

  return (
    <Table aria-label={t('models.tab')} variant="compact">
      <Thead>
        <Tr>
          <Th screenReaderText={t('models.columns.select')} />
          {columns.map((column, index) => (
            <Th
              key={column}
              sort={sortProps(column, index + 1)}
              modifier="wrap"
            >
              {t(`models.columns.${column}`)}
            </Th>
          ))}
          <Th screenReaderText={t('models.columns.actions')} />
        </Tr>
      </Thead>
      <Tbody>
        {props.models.map((model, rowIndex) => (
          <Tr key={model.id}>
            <Td
              select={{
                rowIndex,
                isSelected: props.selected.has(model.id),
                isDisabled:
                  props.selectDisabled && !props.selected.has(model.id),
                onSelect: (_e, isSelected) =>
                  props.onSelect(model.id, isSelected),
              }}
              aria-label={t('models.card.compareLabel', { model: model.id })}
            />
            <Td dataLabel={t('models.columns.model')}>
              <Link to={modelLink(model.id)}>{model.id}</Link>
            </Td>
            <Td dataLabel={t('models.columns.provider')}>{model.provider}</Td>
            <Td dataLabel={t('models.columns.context')}>
              {formatCount(model.contextLength, locale) ?? none}
            </Td>
            <Td dataLabel={t('models.columns.inputPrice')}>
              {formatPricePerMillion(
                model.inputCostPerToken,
                props.currency,
                locale,
              ) ?? none}
            </Td>
            <Td dataLabel={t('models.columns.outputPrice')}>
              {formatPricePerMillion(
                model.outputCostPerToken,
                props.currency,
                locale,
              ) ?? none}
            </Td>
            <Td dataLabel={t('models.columns.capabilities')}>
              <CapabilityLabels
                capabilities={model.capabilities}
                numLabels={2}
              />
            </Td>
            <Td dataLabel={t('models.columns.access')}>
              <AccessLabel model={model} />
            </Td>
            <Td isActionCell>
              <SubscribeButton model={model} size="sm" />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
