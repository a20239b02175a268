// The snippets are shared with the portal's secret modal, which builds the same ones.
export {
  buildKeySnippets,
  openAiBaseUrl,
} from '@litemaas/backstage-plugin-litemaas-common';
export type { KeySnippets } from '@litemaas/backstage-plugin-litemaas-common';
