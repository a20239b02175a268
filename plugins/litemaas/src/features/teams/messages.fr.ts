import type { Translated } from '../../translations/types';
import type { teamsMessages } from './messages';

export const teamsMessagesFr: Translated<typeof teamsMessages> = {
  tab: 'Équipes',
  loading: 'Chargement des équipes…',
  emptyTitle: 'Vous n’êtes dans aucune équipe LiteMaaS',
  budget: 'Budget de l’équipe',
  noBudget: 'Pas de budget d’équipe',
  budgetPerPeriod: '{{budget}} · {{period}}',
  spend: 'Dépense de la période',
  resets: 'Réinitialisation',
  source: 'Budget fixé par',
  sourceAnnotations: 'les annotations du groupe dans le catalogue',
  sourceAdmin: 'un administrateur LiteMaaS',
  members: 'Membres',
  membersCount_one: '{{count}} membre',
  membersCount_other: '{{count}} membres',
  topModels: 'Modèles les plus utilisés (30 derniers jours)',
  noUsage: 'Aucune utilisation ces 30 derniers jours.',
  membersUsage: 'Utilisation par membre (30 derniers jours)',
  membersUsageHidden:
    'Vous ne pouvez pas voir l’utilisation des membres de cette équipe.',
  requests: '{{spend}} · {{count}} requêtes',
  emptyBody:
    'Un administrateur active LiteMaaS pour un groupe du catalogue ; ses membres partagent alors le budget de l’équipe et ses clés.',
  keys: 'Clés de l’équipe',
  noKeys: 'L’équipe n’a pas encore de clé.',
  openInCatalog: 'Ouvrir le groupe dans le catalogue',
  membersList: 'Membres de {{name}}',
};
