export { LimitFields, usePeriodLabel } from './LimitFields';
export {
  initialLimitValues,
  validateLimits,
  limitsForCreate,
  limitsForUpdate,
  maxExpiryDay,
} from './limits';
export type { LimitValues, LimitProblems, LimitProblem } from './limits';
