import {
  FormGroup,
  FormHelperText,
} from '@patternfly/react-core/dist/dynamic/components/Form';
import {
  HelperText,
  HelperTextItem,
} from '@patternfly/react-core/dist/dynamic/components/HelperText';
import { TextInput } from '@patternfly/react-core/dist/dynamic/components/TextInput';
import {
  FormSelect,
  FormSelectOption,
} from '@patternfly/react-core/dist/dynamic/components/FormSelect';
import {
  Grid,
  GridItem,
} from '@patternfly/react-core/dist/dynamic/layouts/Grid';
import { useId } from 'react';
import { budgetPeriodSeconds } from '@litemaas/backstage-plugin-litemaas-common';
import type { KeyLimitSettings } from '../../api';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { formatCount, formatMoney } from '../format';
import { LimitProblems, LimitValues, maxExpiryDay } from './limits';

const PERIODS = ['1d', '7d', '30d', '1mo'] as const;

/** The translated name of a budget period (`30d` → "30 days"); unknown periods as given. */
export function usePeriodLabel() {
  const { t } = useLiteMaaSTranslation();
  return (period: string | null | undefined) => {
    if (!period) return t('common.limits.periods.none');
    return (PERIODS as readonly string[]).includes(period)
      ? t(`common.limits.periods.${period as (typeof PERIODS)[number]}`)
      : period;
  };
}

/**
 * Budget, budget period, TPM, RPM and expiry of a key, each with the configured default
 * and maximum shown under it and its problem shown inline.
 *
 * @public
 */
export function LimitFields(props: {
  values: LimitValues;
  onChange: (values: LimitValues) => void;
  problems: LimitProblems;
  defaults: KeyLimitSettings;
  maximums: KeyLimitSettings;
  /** The budget periods the backend accepts: only those are offered. */
  periods: { min: string; max: string };
  currency: string;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const id = useId();
  const { values, problems, defaults, maximums, currency } = props;
  const set = (field: keyof LimitValues) => (_e: unknown, value: string) =>
    props.onChange({ ...values, [field]: value });

  const periodLabel = usePeriodLabel();

  const hint = (def?: string, max?: string) => {
    if (def && max)
      return t('common.limits.defaultAndMaxHint', { default: def, max });
    if (def) return t('common.limits.defaultHint', { value: def });
    if (max) return t('common.limits.maxHint', { value: max });
    return undefined;
  };
  const money = (n?: number) =>
    n === undefined ? undefined : formatMoney(n, currency, locale);
  const count = (n?: number) =>
    n === undefined ? undefined : formatCount(n, locale);

  const helper = (
    field: keyof LimitValues,
    text?: string,
    format?: (n?: number) => string | undefined,
  ) => {
    const problem = problems[field];
    // A maximum reads like the hint: money as money, counts grouped.
    const problemValues =
      problem?.key === 'overMax' && format
        ? { max: format(Number(problem.values?.max)) }
        : problem?.values;
    if (!problem && !text) return null;
    return (
      <FormHelperText>
        <HelperText id={`${id}-${field}-help`}>
          {problem ? (
            <HelperTextItem variant="error">
              {t(`common.limits.${problem.key}`, problemValues as any)}
            </HelperTextItem>
          ) : (
            <HelperTextItem>{text}</HelperTextItem>
          )}
        </HelperText>
      </FormHelperText>
    );
  };

  const numberField = (
    field: 'maxBudget' | 'tpmLimit' | 'rpmLimit',
    label: string,
    format: (n?: number) => string | undefined,
    step: string,
  ) => (
    <FormGroup label={label} fieldId={`${id}-${field}`}>
      <TextInput
        id={`${id}-${field}`}
        type="number"
        min={0}
        step={step}
        value={values[field]}
        onChange={set(field)}
        placeholder={t('common.limits.unlimited')}
        validated={problems[field] ? 'error' : 'default'}
        aria-describedby={`${id}-${field}-help`}
      />
      {helper(
        field,
        hint(format(defaults[field]), format(maximums[field])),
        format,
      )}
    </FormGroup>
  );

  const within = (period: string) => {
    const seconds = budgetPeriodSeconds(period) ?? 0;
    return (
      seconds >= (budgetPeriodSeconds(props.periods.min) ?? 0) &&
      seconds <= (budgetPeriodSeconds(props.periods.max) ?? Infinity)
    );
  };
  const periods = PERIODS.filter(within) as string[];
  if (defaults.budgetDuration && !periods.includes(defaults.budgetDuration)) {
    periods.push(defaults.budgetDuration);
  }
  if (values.budgetDuration && !periods.includes(values.budgetDuration)) {
    periods.push(values.budgetDuration);
  }
  const latest = maxExpiryDay(maximums);

  return (
    <Grid hasGutter md={6}>
      <GridItem>
        {numberField(
          'maxBudget',
          t('common.limits.budget', { currency }),
          money,
          '0.01',
        )}
      </GridItem>
      <GridItem>
        <FormGroup
          label={t('common.limits.budgetPeriod')}
          fieldId={`${id}-budgetDuration`}
        >
          <FormSelect
            id={`${id}-budgetDuration`}
            value={values.budgetDuration}
            onChange={set('budgetDuration')}
            aria-describedby={`${id}-budgetDuration-help`}
          >
            <FormSelectOption
              value=""
              label={t('common.limits.periods.none')}
            />
            {periods.map(period => (
              <FormSelectOption
                key={period}
                value={period}
                label={periodLabel(period)}
              />
            ))}
          </FormSelect>
          {helper(
            'budgetDuration',
            defaults.budgetDuration
              ? t('common.limits.defaultHint', {
                  value: periodLabel(defaults.budgetDuration),
                })
              : undefined,
          )}
        </FormGroup>
      </GridItem>
      <GridItem>
        {numberField('tpmLimit', t('common.limits.tpm'), count, '1')}
      </GridItem>
      <GridItem>
        {numberField('rpmLimit', t('common.limits.rpm'), count, '1')}
      </GridItem>
      <GridItem>
        <FormGroup
          label={t('common.limits.expiry')}
          fieldId={`${id}-expiresOn`}
        >
          <TextInput
            id={`${id}-expiresOn`}
            type="date"
            value={values.expiresOn}
            onChange={set('expiresOn')}
            max={latest}
            validated={problems.expiresOn ? 'error' : 'default'}
            aria-describedby={`${id}-expiresOn-help`}
          />
          {helper(
            'expiresOn',
            maximums.expiresInDays
              ? t('common.limits.expiryTooLate', {
                  max: String(maximums.expiresInDays),
                })
              : t('common.limits.noExpiry'),
          )}
        </FormGroup>
      </GridItem>
    </Grid>
  );
}
