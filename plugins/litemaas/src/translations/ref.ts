import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * Every string the LiteMaaS frontend shows. English is the source; other languages live
 * in their own lazily loaded files next to this one.
 *
 * @public
 */
export const litemaasTranslationRef = createTranslationRef({
  id: 'plugin.litemaas',
  messages: {
    nav: {
      title: 'LiteMaaS',
    },
    page: {
      title: 'LiteMaaS',
      subtitle: 'Governed access to large language models',
    },
    models: {
      title: 'Models',
      empty:
        'No models yet. An administrator syncs them from LiteLLM; the portal also does so every few minutes.',
      columns: {
        model: 'Model',
        provider: 'Provider',
        context: 'Context (tokens)',
        inputPrice: 'Input per 1M tokens',
        outputPrice: 'Output per 1M tokens',
        capabilities: 'Capabilities',
        access: 'Access',
      },
      restricted: 'Needs approval',
      open: 'Open',
      unavailable: 'Unavailable',
      subscription: {
        active: 'Subscribed',
        pending: 'Request pending',
        denied: 'Denied',
        cancelled: 'Cancelled',
        expired: 'Expired',
      },
    },
    model: {
      back: 'All models',
      notFound: 'There is no model called {{id}}.',
      fields: {
        id: 'LiteLLM model name',
        provider: 'Provider',
        mode: 'Mode',
        context: 'Context length',
        inputPrice: 'Input price per 1M tokens',
        outputPrice: 'Output price per 1M tokens',
        capabilities: 'Capabilities',
        access: 'Access',
        status: 'Status',
        subscription: 'Your subscription',
        lastSynced: 'Last synced',
      },
      none: 'None',
      consumers: {
        title: 'Used by',
        empty:
          'No component or system declares this model in its litemaas.io/models annotation.',
      },
      deprecated: 'Deprecated: use {{replacement}} instead (from {{date}}).',
    },
    status: {
      cardTitle: 'Service status',
      loading: 'Checking the LiteMaaS backend…',
      healthy: 'The LiteMaaS backend is running and its database answers.',
      degraded:
        'The LiteMaaS backend is running, but its database does not answer.',
      unreachable: 'The LiteMaaS backend cannot be reached: {{message}}',
    },
  },
});
