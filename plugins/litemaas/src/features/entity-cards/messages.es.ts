import type { Translated } from '../../translations/types';
import type { cardsMessages } from './messages';

export const cardsMessagesEs: Translated<typeof cardsMessages> = {
  openInLiteMaaS: 'Abrir en LiteMaaS',
  model: {
    title: 'Modelo de LiteMaaS',
    notLinked:
      'Esta entidad no tiene la anotación litemaas.io/model-id, así que no está vinculada a un modelo de LiteMaaS.',
    inputPrice: 'Entrada / 1M tokens',
    outputPrice: 'Salida / 1M tokens',
    context: 'Ventana de contexto',
    contextTokens: '{{tokens}} tokens',
    status: 'Estado',
    deprecated: 'Obsoleto',
    available: 'Disponible',
    unavailable: 'No disponible',
    access: 'Mi acceso',
    keys: 'Mis claves con este modelo',
  },
  llmAccess: {
    title: 'Acceso a LLM',
    models: 'Modelos declarados',
    noModels:
      'No hay modelos declarados. Indícalos en la anotación litemaas.io/models.',
    notInLiteMaaS: 'No está en LiteMaaS',
    keys: 'Claves de {{name}}',
    noKeys: 'Todavía no ves ninguna clave de {{name}}.',
    mint: 'Crear una clave',
    mintDenied: 'No tienes permiso para crear claves.',
  },
  team: {
    title: 'Equipo de LiteMaaS',
    notEnabledTitle: 'No es un equipo de LiteMaaS',
    notEnabledBody:
      'LiteMaaS no está activado para este grupo, o no eres uno de sus miembros.',
  },
};
