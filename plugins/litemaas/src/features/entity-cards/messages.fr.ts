import type { Translated } from '../../translations/types';
import type { cardsMessages } from './messages';

export const cardsMessagesFr: Translated<typeof cardsMessages> = {
  openInLiteMaaS: 'Ouvrir dans LiteMaaS',
  model: {
    title: 'Modèle LiteMaaS',
    notLinked:
      'Cette entité n’a pas d’annotation litemaas.io/model-id : elle n’est liée à aucun modèle LiteMaaS.',
    inputPrice: 'Entrée / 1M jetons',
    outputPrice: 'Sortie / 1M jetons',
    context: 'Fenêtre de contexte',
    contextTokens: '{{tokens}} jetons',
    status: 'État',
    deprecated: 'Obsolète',
    available: 'Disponible',
    unavailable: 'Indisponible',
    access: 'Mon accès',
    keys: 'Mes clés avec ce modèle',
  },
  llmAccess: {
    title: 'Accès aux LLM',
    models: 'Modèles déclarés',
    noModels:
      'Aucun modèle déclaré. Listez-les dans l’annotation litemaas.io/models.',
    notInLiteMaaS: 'Absent de LiteMaaS',
    keys: 'Clés de {{name}}',
    noKeys: 'Aucune clé visible pour vous n’appartient encore à {{name}}.',
    mint: 'Créer une clé',
    mintDenied: 'Vous n’êtes pas autorisé à créer des clés.',
  },
  team: {
    title: 'Équipe LiteMaaS',
    notEnabledTitle: 'Pas une équipe LiteMaaS',
    notEnabledBody:
      'LiteMaaS n’est pas activé pour ce groupe, ou vous n’en êtes pas membre.',
  },
};
