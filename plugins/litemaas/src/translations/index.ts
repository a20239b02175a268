import { createTranslationResource } from '@backstage/core-plugin-api/alpha';
import { litemaasTranslationRef } from './ref';

export { litemaasTranslationRef } from './ref';

/**
 * The translations shipped with the plugin (English is built into the ref); each
 * language loads only when chosen.
 *
 * @public
 */
export const litemaasTranslations = createTranslationResource({
  ref: litemaasTranslationRef,
  translations: {
    es: () => import('./es'),
    fr: () => import('./fr'),
  },
});

/** The languages the plugin is fully translated into. @public */
export const litemaasLanguages = ['en', 'es', 'fr'];
