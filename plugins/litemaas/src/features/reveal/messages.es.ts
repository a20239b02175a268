import type { Translated } from '../../translations/types';
import type { revealMessages } from './messages';

export const revealMessagesEs: Translated<typeof revealMessages> = {
  title: 'Te espera una nueva clave de API',
  intro:
    'Una plantilla de software creó la clave para ti. Su secreto se guarda para que lo leas una sola vez y después desaparece de LiteMaaS.',
  reveal: 'Mostrar el secreto',
  revealing: 'Mostrando…',
  loadingKey: 'Cargando la clave…',
  revealedTitle: 'El secreto ya se mostró',
  revealedBody:
    'No se guarda en ningún sitio: este enlace ya no funciona. Si pierdes el secreto, rota la clave.',
  goneTitle: 'Ya mostrado o caducado',
  goneBody:
    'Este enlace ya se usó, caducó o no es para ti. Un secreto solo se puede leer una vez; si lo pierdes, rota la clave para obtener uno nuevo.',
  toKeys: 'Ir a mis claves de API',
};
