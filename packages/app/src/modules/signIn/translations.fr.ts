import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { signInTranslationRef } from './translations';

export default createTranslationMessages({
  ref: signInTranslationRef,
  full: true,
  messages: {
    'sso.title': 'Authentification unique',
    'sso.message': 'Connectez-vous avec le compte de votre organisation',
    'failure.pageTitle': 'Échec de la connexion',
    'failure.title': "Nous n'avons pas pu vous connecter",
    'failure.unknownUser':
      "Votre compte n'est pas un utilisateur de ce portail : aucun utilisateur du catalogue n'a votre adresse e-mail. Demandez à l'équipe plateforme de vous ajouter au catalogue, puis reconnectez-vous.",
    'failure.other': "La connexion n'a pas abouti.",
    'failure.details': 'Détails : {{message}}',
    'failure.retry': 'Retour à la connexion',
  },
});
