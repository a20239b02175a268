import { Entity } from '@backstage/catalog-model';
import {
  budgetPeriodSchema,
  LITEMAAS_TEAM_ANNOTATIONS,
  TeamSettingField,
} from '@litemaas/backstage-plugin-litemaas-common';
import { TeamSettings } from '../database/TeamStore';

/** Settings read from a group's `litemaas.io/*` annotations; invalid ones are reported. */
export function readTeamAnnotations(entity: Entity): {
  settings: TeamSettings;
  fields: TeamSettingField[];
  errors: string[];
} {
  const a = entity.metadata.annotations ?? {};
  const settings: TeamSettings = {};
  const fields: TeamSettingField[] = [];
  const errors: string[] = [];
  const number = (
    name: string,
    field: 'maxBudget' | 'tpmLimit' | 'rpmLimit',
    int: boolean,
  ) => {
    const raw = a[name];
    if (raw === undefined) return;
    const value = Number(raw.trim());
    if (
      raw.trim() === '' ||
      !Number.isFinite(value) ||
      value <= 0 ||
      (int && !Number.isInteger(value))
    ) {
      errors.push(
        `${name}: '${raw}' is not a positive ${int ? 'whole ' : ''}number`,
      );
      return;
    }
    settings[field] = value;
    fields.push(field);
  };
  number(LITEMAAS_TEAM_ANNOTATIONS.budget, 'maxBudget', false);
  number(LITEMAAS_TEAM_ANNOTATIONS.tpmLimit, 'tpmLimit', true);
  number(LITEMAAS_TEAM_ANNOTATIONS.rpmLimit, 'rpmLimit', true);
  const period = a[LITEMAAS_TEAM_ANNOTATIONS.budgetPeriod];
  if (period !== undefined) {
    const parsed = budgetPeriodSchema.safeParse(period);
    if (parsed.success) {
      settings.budgetDuration = parsed.data;
      fields.push('budgetDuration');
    } else {
      errors.push(
        `${LITEMAAS_TEAM_ANNOTATIONS.budgetPeriod}: '${period}' is not daily, weekly, monthly or a duration like 30d`,
      );
    }
  }
  const models = a[LITEMAAS_TEAM_ANNOTATIONS.allowedModels];
  if (models !== undefined) {
    const list = models
      .split(',')
      .map(m => m.trim())
      .filter(Boolean);
    if (list.length === 0) {
      errors.push(`${LITEMAAS_TEAM_ANNOTATIONS.allowedModels} is empty`);
    } else {
      settings.allowedModels = list;
      fields.push('allowedModels');
    }
  }
  return { settings, fields, errors };
}

/** Direct members of a group entity (its `hasMember` relations to users). */
export function groupMembers(entity: Entity): string[] {
  return [
    ...new Set(
      (entity.relations ?? [])
        .filter(
          r =>
            r.type === 'hasMember' &&
            r.targetRef.toLocaleLowerCase('en-US').startsWith('user:'),
        )
        .map(r => r.targetRef.toLocaleLowerCase('en-US')),
    ),
  ].sort();
}

/** The same entries in any order (null only equals null). */
export function sameList(
  a: readonly string[] | null,
  b: readonly string[] | null,
) {
  if (a === null || b === null) return a === b;
  return (
    a.length === b.length &&
    [...a].sort().join('\n') === [...b].sort().join('\n')
  );
}
