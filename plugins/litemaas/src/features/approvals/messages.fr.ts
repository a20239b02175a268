import type { Translated } from '../../translations/types';
import type { approvalsMessages } from './messages';

export const approvalsMessagesFr: Translated<typeof approvalsMessages> = {
  tab: 'Approbations',
  loading: 'Chargement des demandes d’accès…',
  intro:
    'Demandes de modèles restreints. Les administrateurs décident de toutes ; les membres du groupe propriétaire d’un modèle décident de celles de ce modèle.',
  filter: {
    label: 'Statut',
    pending: 'En attente',
    active: 'Approuvées',
    denied: 'Refusées',
  },
  empty: {
    pending: {
      title: 'Aucune demande en attente',
      body: 'Quand quelqu’un demande un modèle restreint dont vous décidez, la demande apparaît ici.',
    },
    other: {
      title: 'Rien ici',
      body: 'Aucun abonnement dans ce statut pour les modèles dont vous décidez.',
    },
  },
  more: 'Les {{shown}} premières sur {{total}} sont affichées. Décidez-les pour voir la suite.',
  columns: {
    model: 'Modèle',
    subject: 'Demandé par',
    justification: 'Justification',
    requested: 'Demandé le',
    decision: 'Décision',
    actions: 'Actions',
  },
  decidedBy: '{{who}}, {{when}}',
  approve: {
    action: 'Approuver',
    actionLabel: 'Approuver la demande de {{subject}} pour {{model}}',
    title: 'Approuver l’accès à {{model}} ?',
    body: '{{subject}} obtient {{model}} immédiatement, et ses clés peuvent l’inclure.',
    until: 'Accès jusqu’au (facultatif)',
    untilHelp: 'Laissez vide pour un accès jusqu’à son retrait.',
    untilPast: 'Choisissez une date après aujourd’hui.',
    note: 'Note au demandeur (facultatif)',
    confirm: 'Approuver',
    done: '{{model}} approuvé pour {{subject}}',
  },
  deny: {
    action: 'Refuser',
    withdraw: 'Retirer',
    actionLabel: 'Refuser la demande de {{subject}} pour {{model}}',
    withdrawLabel: 'Retirer à {{subject}} l’accès à {{model}}',
    title: 'Refuser l’accès à {{model}} ?',
    withdrawTitle: 'Retirer l’accès à {{model}} ?',
    body: '{{subject}} verra votre motif. Ses clés perdent {{model}} immédiatement.',
    reason: 'Motif',
    reasonHelp:
      'Dites pourquoi, et quoi utiliser à la place ; le demandeur le lira.',
    reasonRequired: 'Un motif est obligatoire.',
    confirm: 'Refuser',
    withdrawConfirm: 'Retirer l’accès',
    done: '{{model}} refusé pour {{subject}}',
  },
};
