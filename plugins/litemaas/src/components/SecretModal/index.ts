export { SecretModal } from './SecretModal';
export type { OneTimeSecret } from './SecretModal';
export { CopyButton } from './CopyButton';
export { buildSnippets, openAiBaseUrl } from './snippets';
export type { Snippets } from './snippets';
