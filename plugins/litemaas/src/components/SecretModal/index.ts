export { SecretModal } from './SecretModal';
export type { OneTimeSecret } from './SecretModal';
export { CopyButton } from './CopyButton';
