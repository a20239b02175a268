import type { Translated } from '../../translations/types';
import type { teamsMessages } from './messages';

export const teamsMessagesEs: Translated<typeof teamsMessages> = {
  tab: 'Equipos',
  loading: 'Cargando equipos…',
  emptyTitle: 'No perteneces a ningún equipo de LiteMaaS',
  budget: 'Presupuesto del equipo',
  noBudget: 'Sin presupuesto de equipo',
  budgetPerPeriod: '{{budget}} · {{period}}',
  spend: 'Gasto de este periodo',
  resets: 'Se reinicia',
  source: 'Presupuesto fijado por',
  sourceAnnotations: 'las anotaciones del grupo en el catálogo',
  sourceAdmin: 'un administrador de LiteMaaS',
  members: 'Miembros',
  membersCount_one: '{{count}} miembro',
  membersCount_other: '{{count}} miembros',
  topModels: 'Modelos más usados (últimos 30 días)',
  noUsage: 'Sin uso en los últimos 30 días.',
  membersUsage: 'Uso de los miembros (últimos 30 días)',
  membersUsageHidden: 'No puedes ver el uso de los miembros de este equipo.',
  requests: '{{spend}} · {{count}} peticiones',
  emptyBody:
    'Un administrador activa LiteMaaS para un grupo del catálogo; sus miembros comparten entonces el presupuesto del equipo y sus claves.',
  keys: 'Claves del equipo',
  noKeys: 'El equipo aún no tiene claves.',
  openInCatalog: 'Abrir el grupo en el catálogo',
  membersList: 'Miembros de {{name}}',
};
