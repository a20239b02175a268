import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { signInTranslationRef } from './translations';

export default createTranslationMessages({
  ref: signInTranslationRef,
  full: true,
  messages: {
    'sso.title': 'Inicio de sesión único',
    'sso.message': 'Inicia sesión con la cuenta de tu organización',
    'failure.pageTitle': 'No se pudo iniciar sesión',
    'failure.title': 'No hemos podido iniciar tu sesión',
    'failure.unknownUser':
      'Tu cuenta no es usuaria de este portal: ningún usuario del catálogo tiene tu dirección de correo. Pide al equipo de plataforma que te añada al catálogo y vuelve a iniciar sesión.',
    'failure.other': 'El inicio de sesión no se completó.',
    'failure.details': 'Detalles: {{message}}',
    'failure.retry': 'Volver al inicio de sesión',
  },
});
