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
