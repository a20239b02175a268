import { useId } from 'react';
import type { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';
import { Link } from '@backstage/core-components';
import {
  Modal,
  ModalBody,
  ModalHeader,
} from '@patternfly/react-core/dist/dynamic/components/Modal';
import { Label } from '@patternfly/react-core/dist/dynamic/components/Label';
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
  formatCount,
  formatPricePerMillion,
  useCapabilityName,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { useModelLink } from './paths';
import { SubscribeButton } from './subscribe/SubscribeButton';

/** Which model is best at a numeric attribute (lowest price, largest context). */
function bestOf(
  models: ModelListItem[],
  get: (m: ModelListItem) => number | null,
  best: 'min' | 'max',
): string | undefined {
  const known = models.filter(m => get(m) !== null);
  if (known.length < 2) return undefined;
  const sorted = [...known].sort((a, b) =>
    best === 'min' ? get(a)! - get(b)! : get(b)! - get(a)!,
  );
  return get(sorted[0]) === get(sorted[1]) ? undefined : sorted[0].id;
}

/** 2 to 4 models side by side: prices, context, capabilities and my access. */
export function CompareModal(props: {
  models: ModelListItem[];
  currency: string;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const titleId = useId();
  const modelLink = useModelLink();
  const capabilityName = useCapabilityName();
  const { models, currency } = props;
  const none = t('common.format.none');
  const capabilities = [...new Set(models.flatMap(m => m.capabilities))].sort();

  const cheapestIn = bestOf(models, m => m.inputCostPerToken, 'min');
  const cheapestOut = bestOf(models, m => m.outputCostPerToken, 'min');
  const largest = bestOf(models, m => m.contextLength, 'max');
  const badge = (text: string) => (
    <Label isCompact color="green" style={{ marginLeft: 6 }}>
      {text}
    </Label>
  );

  const rows: { label: string; cell: (m: ModelListItem) => React.ReactNode }[] =
    [
      { label: t('models.columns.provider'), cell: m => m.provider },
      {
        label: t('models.columns.context'),
        cell: m => (
          <>
            {formatCount(m.contextLength, locale) ?? none}
            {m.id === largest && badge(t('models.compare.largest'))}
          </>
        ),
      },
      {
        label: t('models.columns.inputPrice'),
        cell: m => (
          <>
            {formatPricePerMillion(m.inputCostPerToken, currency, locale) ??
              none}
            {m.id === cheapestIn && badge(t('models.compare.cheapest'))}
          </>
        ),
      },
      {
        label: t('models.columns.outputPrice'),
        cell: m => (
          <>
            {formatPricePerMillion(m.outputCostPerToken, currency, locale) ??
              none}
            {m.id === cheapestOut && badge(t('models.compare.cheapest'))}
          </>
        ),
      },
      ...capabilities.map(capability => ({
        label: capabilityName(capability),
        cell: (m: ModelListItem) =>
          m.capabilities.includes(capability) ? '✓' : none,
      })),
      {
        label: t('models.columns.access'),
        cell: m => <AccessLabel model={m} />,
      },
      {
        label: t('models.columns.actions'),
        cell: m => <SubscribeButton model={m} size="sm" />,
      },
    ];

  return (
    <Modal
      isOpen
      onClose={props.onClose}
      variant="large"
      aria-labelledby={titleId}
    >
      <ModalHeader labelId={titleId} title={t('models.compare.title')} />
      <ModalBody>
        <Table aria-labelledby={titleId} variant="compact" gridBreakPoint="">
          <Thead>
            <Tr>
              <Th>{t('models.compare.attribute')}</Th>
              {models.map(m => (
                <Th key={m.id} modifier="breakWord">
                  <Link to={modelLink(m.id)}>{m.id}</Link>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map(row => (
              <Tr key={row.label}>
                <Th component="th" scope="row">
                  {row.label}
                </Th>
                {models.map(m => (
                  <Td key={m.id}>{row.cell(m)}</Td>
                ))}
              </Tr>
            ))}
          </Tbody>
        </Table>
      </ModalBody>
    </Modal>
  );
}
