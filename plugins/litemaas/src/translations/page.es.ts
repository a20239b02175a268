import type { pageMessages } from './ref';
import type { Translated } from './types';

export const pageMessagesEs: Translated<typeof pageMessages> = {
  title: 'LiteMaaS',
  subtitle: 'Acceso gobernado a grandes modelos de lenguaje',
  nav: 'Secciones de LiteMaaS',
};
