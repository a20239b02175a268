import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { litemaasTranslationRef } from './ref';

const es = createTranslationMessages({
  ref: litemaasTranslationRef,
  full: true,
  messages: {
    'nav.title': 'LiteMaaS',
    'page.title': 'LiteMaaS',
    'page.subtitle': 'Acceso gobernado a modelos de lenguaje',
    'status.cardTitle': 'Estado del servicio',
    'status.loading': 'Comprobando el backend de LiteMaaS…',
    'status.healthy':
      'El backend de LiteMaaS funciona y su base de datos responde.',
    'status.degraded':
      'El backend de LiteMaaS funciona, pero su base de datos no responde.',
    'status.unreachable':
      'No se puede contactar con el backend de LiteMaaS: {{message}}',
  },
});

export default es;
