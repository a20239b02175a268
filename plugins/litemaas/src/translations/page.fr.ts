import type { pageMessages } from './ref';
import type { Translated } from './types';

export const pageMessagesFr: Translated<typeof pageMessages> = {
  title: 'LiteMaaS',
  subtitle: 'Un accès encadré aux grands modèles de langage',
  nav: 'Sections de LiteMaaS',
};
