import type { Translated } from '../../translations/types';
import type { auditMessages } from './messages';

export const auditMessagesFr: Translated<typeof auditMessages> = {
  tab: 'Audit',
  loading: 'Chargement du journal d’audit…',
  intro:
    'Chaque modification des modèles, abonnements, clés, équipes et limites, de la plus récente à la plus ancienne. Les secrets ne sont jamais enregistrés.',
  filter: {
    label: 'Filtrer le journal d’audit',
    actor: 'Acteur',
    actorPlaceholder: 'user:default/alice',
    action: 'Action',
    actionPlaceholder: 'key.create',
    outcome: 'Résultat',
    anyOutcome: 'Tous les résultats',
    apply: 'Filtrer',
    clear: 'Effacer',
  },
  outcome: {
    success: 'Réussite',
    failure: 'Échec',
    denied: 'Refusé',
  },
  empty: {
    title: 'Aucune entrée d’audit',
    body: 'Rien ne correspond encore à ces filtres.',
  },
  columns: {
    when: 'Date',
    actor: 'Acteur',
    action: 'Action',
    target: 'Cible',
    outcome: 'Résultat',
    reason: 'Motif',
    details: 'Détails',
  },
  detailsLabel: 'Détails de l’entrée {{id}}',
  more: 'Charger plus',
  end: 'Fin du journal d’audit',
};
