import type { Translated } from '../../translations/types';
import type { subscriptionsMessages } from './messages';

export const subscriptionsMessagesFr: Translated<typeof subscriptionsMessages> =
  {
    tab: 'Abonnements',
    loading: 'Chargement des abonnements…',
    empty: {
      title: 'Aucun abonnement pour l’instant',
      body: 'Abonnez-vous à un modèle, ou demandez l’accès à un modèle restreint, depuis l’onglet des modèles.',
      browse: 'Voir les modèles',
    },
    filter: {
      label: 'Statut',
      all: 'Tous',
    },
    columns: {
      model: 'Modèle',
      subject: 'Pour',
      status: 'Statut',
      justification: 'Justification',
      reason: 'Motif',
      decided: 'Décidé le',
      requested: 'Demandé le',
      expires: 'Expire le',
      actions: 'Actions',
    },
    me: 'Moi',
    team: 'Équipe {{name}}',
    cancel: {
      action: 'Résilier',
      actionLabel: 'Résilier l’abonnement à {{model}}',
      title: 'Résilier l’abonnement à {{model}} ?',
      body: 'Les clés de {{subject}} perdent immédiatement l’accès à {{model}}.',
      keys_one: 'Cette clé perd le modèle :',
      keys_other: 'Ces {{count}} clés perdent le modèle :',
      noKeys: 'Aucune clé de {{subject}} n’utilise ce modèle.',
      lastModel: '{{name}} n’a pas d’autre modèle et sera bloquée.',
      confirm: 'Résilier l’abonnement',
    },
    requestAgain: 'Redemander',
  };
