import type { Translated } from '../../translations/types';
import type { auditMessages } from './messages';

export const auditMessagesEs: Translated<typeof auditMessages> = {
  tab: 'Auditoría',
  loading: 'Cargando el registro de auditoría…',
  intro:
    'Cada cambio en modelos, suscripciones, claves, equipos y límites, del más reciente al más antiguo. Los secretos nunca se registran.',
  filter: {
    label: 'Filtrar el registro de auditoría',
    actor: 'Actor',
    actorPlaceholder: 'user:default/alice',
    action: 'Acción',
    actionPlaceholder: 'key.create',
    outcome: 'Resultado',
    anyOutcome: 'Cualquier resultado',
    apply: 'Filtrar',
    clear: 'Borrar',
  },
  outcome: {
    success: 'Correcto',
    failure: 'Fallo',
    denied: 'Denegado',
  },
  empty: {
    title: 'No hay entradas de auditoría',
    body: 'Nada coincide todavía con estos filtros.',
  },
  columns: {
    when: 'Cuándo',
    actor: 'Actor',
    action: 'Acción',
    target: 'Objeto',
    outcome: 'Resultado',
    reason: 'Motivo',
    details: 'Detalles',
  },
  detailsLabel: 'Detalles de la entrada {{id}}',
  more: 'Cargar más',
  end: 'Fin del registro de auditoría',
};
