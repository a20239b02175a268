export { ModelsTable } from './ModelsTable';
export { AccessChip } from './AccessChip';
