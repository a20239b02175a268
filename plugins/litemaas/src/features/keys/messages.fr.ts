import type { Translated } from '../../translations/types';
import type { keysMessages } from './messages';

export const keysMessagesFr: Translated<typeof keysMessages> = {
  tab: 'Clés d’API',
  loading: 'Chargement des clés…',
  empty: {
    title: 'Aucune clé d’API pour l’instant',
    body: 'Créez une clé pour les modèles auxquels vous êtes abonné. Vous verrez son secret une seule fois.',
    noSubscription:
      'Abonnez-vous d’abord à un modèle : une clé ne peut utiliser que les modèles auxquels son propriétaire est abonné.',
  },
  create: 'Créer une clé',
  createDenied: 'Vous n’avez pas la permission de créer des clés.',
  columns: {
    name: 'Nom',
    owner: 'Propriétaire',
    models: 'Modèles',
    limits: 'Limites',
    spend: 'Dépense',
    expires: 'Expire le',
    status: 'Statut',
    actions: 'Actions',
  },
  limitsSummary: {
    tpm: '{{value}} TPM',
    rpm: '{{value}} RPM',
    period: 'Période du budget : {{period}}',
    none: 'Aucune limite',
  },
  never: 'Jamais',
  me: 'Moi',
  team: 'Équipe {{name}}',
  blockedExplained:
    'Un administrateur a bloqué cette clé. Seul un administrateur peut la débloquer ; demandez-le-lui si vous pensez que c’est une erreur.',
  blockedNoModel:
    'Cette clé n’a plus aucun modèle autorisé (un abonnement a pris fin). Abonnez-vous à nouveau ou modifiez ses modèles.',
  actions: {
    label: 'Actions pour {{name}}',
    edit: 'Modifier les limites',
    rotate: 'Renouveler',
    revoke: 'Révoquer',
    denied: 'Vous n’avez pas la permission de faire cela',
  },
  wizard: {
    title: 'Créer une clé d’API',
    steps: {
      basics: 'Nom et propriétaire',
      models: 'Modèles',
      limits: 'Limites',
      review: 'Vérification',
    },
    name: 'Nom',
    nameHelp:
      'Indiquez où la clé est utilisée, par ex. « invoice-assistant staging ».',
    nameRequired: 'Le nom est obligatoire',
    models: 'Modèles',
    modelsHelp: 'Les modèles auxquels {{owner}} est abonné.',
    modelsRequired: 'Choisissez au moins un modèle',
    noModels:
      '{{owner}} n’a aucun abonnement actif. Abonnez-vous d’abord à un modèle.',
    limitsHelp:
      'Laissez un champ vide pour la valeur par défaut. LiteMaaS fait respecter les maximums.',
    review: 'Vérifiez et créez',
    create: 'Créer la clé',
    back: 'Retour',
    next: 'Suivant',
    cancel: 'Annuler',
  },
  edit: {
    title: 'Modifier {{name}}',
    models: 'Modèles',
    save: 'Enregistrer',
  },
  rotate: {
    title: 'Renouveler {{name}} ?',
    body: 'Un nouveau secret remplace celui-ci. Choisissez combien de temps l’ancien reste valable, le temps de déployer le nouveau.',
    grace: 'L’ancien secret reste valable pendant',
    graceNone: 'L’arrêter maintenant',
    graceHours_one: '{{count}} heure',
    graceHours_other: '{{count}} heures',
    graceDays_one: '{{count}} jour',
    graceDays_other: '{{count}} jours',
    confirm: 'Renouveler',
  },
  revoke: {
    title: 'Révoquer {{name}} ?',
    body: 'La clé cesse immédiatement de fonctionner pour tous les modèles. C’est irréversible.',
    confirm: 'Révoquer la clé',
  },
};
