import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { litemaasTranslationRef } from './ref';

const fr = createTranslationMessages({
  ref: litemaasTranslationRef,
  full: true,
  messages: {
    'nav.title': 'LiteMaaS',
    'page.title': 'LiteMaaS',
    'page.subtitle': 'Accès encadré aux grands modèles de langage',
    'status.cardTitle': 'État du service',
    'status.loading': 'Vérification du backend LiteMaaS…',
    'status.healthy':
      'Le backend LiteMaaS fonctionne et sa base de données répond.',
    'status.degraded':
      'Le backend LiteMaaS fonctionne, mais sa base de données ne répond pas.',
    'status.unreachable': 'Le backend LiteMaaS est injoignable : {{message}}',
  },
});

export default fr;
