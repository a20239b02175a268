import type { Translated } from '../../translations/types';
import type { subscriptionsMessages } from './messages';

export const subscriptionsMessagesEs: Translated<typeof subscriptionsMessages> =
  {
    tab: 'Suscripciones',
    loading: 'Cargando suscripciones…',
    empty: {
      title: 'Aún no tienes suscripciones',
      body: 'Suscríbete a un modelo, o solicita acceso a uno restringido, desde la pestaña de modelos.',
      browse: 'Ver los modelos',
    },
    filter: {
      label: 'Estado',
      all: 'Todas',
    },
    columns: {
      model: 'Modelo',
      subject: 'Para',
      status: 'Estado',
      justification: 'Justificación',
      reason: 'Motivo',
      decided: 'Decidida',
      requested: 'Solicitada',
      expires: 'Caduca',
      actions: 'Acciones',
    },
    me: 'Yo',
    team: 'Equipo {{name}}',
    cancel: {
      action: 'Cancelar',
      actionLabel: 'Cancelar la suscripción a {{model}}',
      title: '¿Cancelar la suscripción a {{model}}?',
      body: 'Las claves de {{subject}} pierden el acceso a {{model}} al momento.',
      keys_one: 'Esta clave pierde el modelo:',
      keys_other: 'Estas {{count}} claves pierden el modelo:',
      noKeys: 'Ninguna clave de {{subject}} usa este modelo.',
      lastModel: '{{name}} no tiene otro modelo y quedará bloqueada.',
      confirm: 'Cancelar la suscripción',
    },
    requestAgain: 'Volver a pedirlo',
  };
