export { OwnerPicker } from './OwnerPicker';
export type { OwnedEntity } from './OwnerPicker';
