import type { Translated } from '../../translations/types';
import type { approvalsMessages } from './messages';

export const approvalsMessagesEs: Translated<typeof approvalsMessages> = {
  tab: 'Aprobaciones',
  loading: 'Cargando solicitudes de acceso…',
  intro:
    'Solicitudes de modelos restringidos. Los administradores deciden todas; los miembros del grupo propietario de un modelo deciden las de ese modelo.',
  filter: {
    label: 'Estado',
    pending: 'Pendientes',
    active: 'Aprobadas',
    denied: 'Denegadas',
  },
  empty: {
    pending: {
      title: 'No hay solicitudes pendientes',
      body: 'Cuando alguien pida un modelo restringido que tú decides, la solicitud aparecerá aquí.',
    },
    other: {
      title: 'No hay nada aquí',
      body: 'Ninguna suscripción en este estado para los modelos que decides.',
    },
  },
  more: 'Se muestran las primeras {{shown}} de {{total}}. Decide estas para ver el resto.',
  columns: {
    model: 'Modelo',
    subject: 'Solicitada por',
    justification: 'Justificación',
    requested: 'Solicitada',
    decision: 'Decisión',
    actions: 'Acciones',
  },
  decidedBy: '{{who}}, {{when}}',
  approve: {
    action: 'Aprobar',
    actionLabel: 'Aprobar la solicitud de {{subject}} para {{model}}',
    title: '¿Aprobar el acceso a {{model}}?',
    body: '{{subject}} obtiene {{model}} de inmediato y sus claves pueden incluirlo.',
    until: 'Acceso hasta (opcional)',
    untilHelp: 'Déjalo vacío para un acceso sin fecha de fin.',
    untilPast: 'Elige una fecha posterior a hoy.',
    note: 'Nota para el solicitante (opcional)',
    confirm: 'Aprobar',
    done: 'Aprobado {{model}} para {{subject}}',
  },
  deny: {
    action: 'Denegar',
    withdraw: 'Retirar',
    actionLabel: 'Denegar la solicitud de {{subject}} para {{model}}',
    withdrawLabel: 'Retirar a {{subject}} el acceso a {{model}}',
    title: '¿Denegar el acceso a {{model}}?',
    withdrawTitle: '¿Retirar el acceso a {{model}}?',
    body: '{{subject}} verá tu motivo. Sus claves pierden {{model}} de inmediato.',
    reason: 'Motivo',
    reasonHelp:
      'Explica por qué y qué usar en su lugar; el solicitante lo leerá.',
    reasonRequired: 'El motivo es obligatorio.',
    confirm: 'Denegar',
    withdrawConfirm: 'Retirar el acceso',
    done: 'Denegado {{model}} para {{subject}}',
  },
};
