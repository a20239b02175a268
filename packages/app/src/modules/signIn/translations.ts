import {
  createTranslationRef,
  createTranslationResource,
} from '@backstage/core-plugin-api/alpha';

/** Every string of the sign-in page. */
export const signInTranslationRef = createTranslationRef({
  id: 'app.litemaas-sign-in',
  messages: {
    sso: {
      title: 'Single sign-on',
      message: 'Sign in with your organization account',
    },
    failure: {
      pageTitle: 'Sign-in failed',
      title: 'We could not sign you in',
      unknownUser:
        'Your account is not a user of this portal: no user in the catalog has your e-mail address. Ask the platform team to add you to the catalog, then sign in again.',
      other: 'The sign-in did not complete.',
      details: 'Details: {{message}}',
      retry: 'Back to sign-in',
    },
  },
});

/** Spanish and French, each loaded only when chosen. */
export const signInTranslations = createTranslationResource({
  ref: signInTranslationRef,
  translations: {
    es: () => import('./translations.es'),
    fr: () => import('./translations.fr'),
  },
});
