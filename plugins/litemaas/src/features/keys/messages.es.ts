import type { Translated } from '../../translations/types';
import type { keysMessages } from './messages';

export const keysMessagesEs: Translated<typeof keysMessages> = {
  tab: 'Claves de API',
  loading: 'Cargando claves…',
  empty: {
    title: 'Aún no tienes claves de API',
    body: 'Crea una clave para los modelos a los que estás suscrito. Verás su secreto una sola vez.',
    noSubscription:
      'Suscríbete antes a un modelo: una clave solo puede usar modelos a los que su propietario está suscrito.',
  },
  create: 'Crear clave',
  createDenied: 'No tienes permiso para crear claves.',
  columns: {
    name: 'Nombre',
    owner: 'Propietario',
    models: 'Modelos',
    limits: 'Límites',
    spend: 'Gasto',
    expires: 'Caduca',
    status: 'Estado',
    actions: 'Acciones',
  },
  limitsSummary: {
    tpm: '{{value}} TPM',
    rpm: '{{value}} RPM',
    period: 'Periodo del presupuesto: {{period}}',
    none: 'Sin límites',
  },
  never: 'Nunca',
  me: 'Yo',
  team: 'Equipo {{name}}',
  blockedExplained:
    'Un administrador bloqueó esta clave. Solo un administrador puede desbloquearla; pídeselo si crees que es un error.',
  blockedNoModel:
    'Esta clave ya no tiene ningún modelo que pueda usar (terminó una suscripción). Vuelve a suscribirte o edita sus modelos.',
  actions: {
    label: 'Acciones de {{name}}',
    edit: 'Editar límites',
    rotate: 'Rotar',
    revoke: 'Revocar',
    denied: 'No tienes permiso para hacer esto',
  },
  wizard: {
    title: 'Crear una clave de API',
    steps: {
      basics: 'Nombre y propietario',
      models: 'Modelos',
      limits: 'Límites',
      review: 'Revisión',
    },
    name: 'Nombre',
    nameHelp:
      'Indica dónde se usa la clave, p. ej. «invoice-assistant staging».',
    nameRequired: 'El nombre es obligatorio',
    models: 'Modelos',
    modelsHelp: 'Los modelos a los que {{owner}} está suscrito.',
    modelsRequired: 'Elige al menos un modelo',
    noModels:
      '{{owner}} no tiene ninguna suscripción activa. Suscríbete antes a un modelo.',
    limitsHelp:
      'Deja un campo vacío para usar el valor por defecto. LiteMaaS aplica los máximos.',
    review: 'Revisa y crea',
    create: 'Crear clave',
    back: 'Atrás',
    next: 'Siguiente',
    cancel: 'Cancelar',
  },
  edit: {
    title: 'Editar {{name}}',
    models: 'Modelos',
    save: 'Guardar',
  },
  rotate: {
    title: '¿Rotar {{name}}?',
    body: 'Un nuevo secreto sustituye a este. Elige cuánto tiempo sigue funcionando el antiguo para que puedas desplegar el nuevo.',
    grace: 'El secreto antiguo sigue funcionando durante',
    graceNone: 'Detenerlo ya',
    graceHours_one: '{{count}} hora',
    graceHours_other: '{{count}} horas',
    graceDays_one: '{{count}} día',
    graceDays_other: '{{count}} días',
    confirm: 'Rotar',
  },
  revoke: {
    title: '¿Revocar {{name}}?',
    body: 'La clave deja de funcionar al momento para todos los modelos. No se puede deshacer.',
    confirm: 'Revocar la clave',
  },
};
