import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { litemaasTranslationRef } from './ref';

const fr = createTranslationMessages({
  ref: litemaasTranslationRef,
  full: true,
  messages: {
    'nav.title': 'LiteMaaS',
    'page.title': 'LiteMaaS',
    'page.subtitle': 'Accès encadré aux grands modèles de langage',
    'models.title': 'Modèles',
    'models.empty':
      'Aucun modèle pour l’instant. Un administrateur les synchronise depuis LiteLLM ; le portail le fait aussi toutes les quelques minutes.',
    'models.columns.model': 'Modèle',
    'models.columns.provider': 'Fournisseur',
    'models.columns.context': 'Contexte (tokens)',
    'models.columns.inputPrice': 'Entrée par million de tokens',
    'models.columns.outputPrice': 'Sortie par million de tokens',
    'models.columns.capabilities': 'Capacités',
    'models.columns.access': 'Accès',
    'models.restricted': 'Sur approbation',
    'models.open': 'Ouvert',
    'models.unavailable': 'Indisponible',
    'models.subscription.active': 'Abonné',
    'models.subscription.pending': 'Demande en attente',
    'models.subscription.denied': 'Refusé',
    'models.subscription.cancelled': 'Annulé',
    'models.subscription.expired': 'Expiré',
    'model.back': 'Tous les modèles',
    'model.notFound': 'Aucun modèle ne s’appelle {{id}}.',
    'model.fields.id': 'Nom du modèle dans LiteLLM',
    'model.fields.provider': 'Fournisseur',
    'model.fields.mode': 'Mode',
    'model.fields.context': 'Longueur de contexte',
    'model.fields.inputPrice': 'Prix d’entrée par million de tokens',
    'model.fields.outputPrice': 'Prix de sortie par million de tokens',
    'model.fields.capabilities': 'Capacités',
    'model.fields.access': 'Accès',
    'model.fields.status': 'État',
    'model.fields.subscription': 'Votre abonnement',
    'model.fields.lastSynced': 'Dernière synchronisation',
    'model.none': 'Aucun',
    'model.deprecated':
      'Obsolète : utilisez {{replacement}} à la place (à partir du {{date}}).',
    'model.consumers.title': 'Utilisé par',
    'model.consumers.empty':
      'Aucun composant ni système ne déclare ce modèle dans son annotation litemaas.io/models.',
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
