import type { Translated } from '../../translations/types';
import type { revealMessages } from './messages';

export const revealMessagesFr: Translated<typeof revealMessages> = {
  title: 'Une nouvelle clé d’API vous attend',
  intro:
    'Un modèle logiciel a créé la clé pour vous. Son secret est conservé pour que vous le lisiez une seule fois, puis il disparaît de LiteMaaS.',
  reveal: 'Afficher le secret',
  revealing: 'Affichage…',
  loadingKey: 'Chargement de la clé…',
  revealedTitle: 'Le secret a été affiché',
  revealedBody:
    'Il n’est conservé nulle part : ce lien ne fonctionne plus. Si le secret est perdu, faites une rotation de la clé.',
  goneTitle: 'Déjà affiché ou expiré',
  goneBody:
    'Ce lien a déjà servi, a expiré ou ne vous est pas destiné. Un secret ne se lit qu’une fois ; s’il est perdu, faites une rotation de la clé pour en obtenir un nouveau.',
  toKeys: 'Aller à mes clés d’API',
};
