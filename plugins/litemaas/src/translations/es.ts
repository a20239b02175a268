import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { litemaasTranslationRef } from './ref';

const es = createTranslationMessages({
  ref: litemaasTranslationRef,
  full: true,
  messages: {
    'nav.title': 'LiteMaaS',
    'page.title': 'LiteMaaS',
    'page.subtitle': 'Acceso gobernado a modelos de lenguaje',
    'models.title': 'Modelos',
    'models.empty':
      'Todavía no hay modelos. Un administrador los sincroniza desde LiteLLM; el portal también lo hace cada pocos minutos.',
    'models.columns.model': 'Modelo',
    'models.columns.provider': 'Proveedor',
    'models.columns.context': 'Contexto (tokens)',
    'models.columns.inputPrice': 'Entrada por 1M de tokens',
    'models.columns.outputPrice': 'Salida por 1M de tokens',
    'models.columns.capabilities': 'Capacidades',
    'models.columns.access': 'Acceso',
    'models.restricted': 'Requiere aprobación',
    'models.open': 'Abierto',
    'models.unavailable': 'No disponible',
    'models.subscription.active': 'Suscrito',
    'models.subscription.pending': 'Solicitud pendiente',
    'models.subscription.denied': 'Denegado',
    'models.subscription.cancelled': 'Cancelado',
    'models.subscription.expired': 'Caducado',
    'model.back': 'Todos los modelos',
    'model.notFound': 'No existe ningún modelo llamado {{id}}.',
    'model.fields.id': 'Nombre del modelo en LiteLLM',
    'model.fields.provider': 'Proveedor',
    'model.fields.mode': 'Modo',
    'model.fields.context': 'Longitud de contexto',
    'model.fields.inputPrice': 'Precio de entrada por 1M de tokens',
    'model.fields.outputPrice': 'Precio de salida por 1M de tokens',
    'model.fields.capabilities': 'Capacidades',
    'model.fields.access': 'Acceso',
    'model.fields.status': 'Estado',
    'model.fields.subscription': 'Tu suscripción',
    'model.fields.lastSynced': 'Última sincronización',
    'model.none': 'Ninguna',
    'model.deprecated':
      'Obsoleto: usa {{replacement}} en su lugar (desde {{date}}).',
    'model.consumers.title': 'Usado por',
    'model.consumers.empty':
      'Ningún componente ni sistema declara este modelo en su anotación litemaas.io/models.',
    'status.cardTitle': 'Estado del servicio',
    'status.loading': 'Comprobando el backend de LiteMaaS…',
    'status.healthy':
      'El backend de LiteMaaS funciona y su base de datos responde.',
    'status.degraded':
      'El backend de LiteMaaS funciona, pero su base de datos no responde.',
    'status.unreachable':
      'No se puede contactar con el backend de LiteMaaS: {{message}}',
  },
});

export default es;
