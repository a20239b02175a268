import {
  Progress,
  ProgressMeasureLocation,
  ProgressSize,
  ProgressVariant,
} from '@patternfly/react-core/dist/dynamic/components/Progress';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { formatMoney } from '../format';

/**
 * Spend against a budget as a bar: warning from 80 %, danger at 100 %. Without a
 * budget it says how much was spent; with unknown spend it says so.
 *
 * @public
 */
export function SpendBar(props: {
  spend: number | null | undefined;
  budget: number | null | undefined;
  currency: string;
  /** Names what is measured, e.g. the key's name, for screen readers. */
  label?: string;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const { spend, budget, currency } = props;
  if (spend === null || spend === undefined) {
    return <span>{t('common.spend.unknown')}</span>;
  }
  const spent = formatMoney(spend, currency, locale)!;
  if (!budget) {
    return <span>{t('common.spend.noBudget', { spend: spent })}</span>;
  }
  const ratio = spend / budget;
  let variant: ProgressVariant | undefined;
  if (ratio >= 1) variant = ProgressVariant.danger;
  else if (ratio >= 0.8) variant = ProgressVariant.warning;
  const text = t('common.spend.ofBudget', {
    spend: spent,
    budget: formatMoney(budget, currency, locale)!,
  });
  return (
    <Progress
      value={Math.min(100, Math.round(ratio * 100))}
      size={ProgressSize.sm}
      measureLocation={ProgressMeasureLocation.top}
      label={text}
      valueText={text}
      variant={variant}
      aria-label={
        props.label
          ? `${t('common.spend.label')}: ${props.label}`
          : t('common.spend.label')
      }
      style={{ minWidth: 160 }}
    />
  );
}
