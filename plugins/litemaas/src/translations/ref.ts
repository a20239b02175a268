import { createTranslationRef } from '@backstage/core-plugin-api/alpha';
import { commonMessages } from '../components/messages';
import { cardsMessages } from '../features/entity-cards/messages';
import { keysMessages } from '../features/keys/messages';
import { modelsMessages } from '../features/models/messages';
import { revealMessages } from '../features/reveal/messages';
import { teamsMessages } from '../features/teams/messages';
import { subscriptionsMessages } from '../features/subscriptions/messages';
import { approvalsMessages } from '../features/approvals/messages';
import { auditMessages } from '../features/audit/messages';

/** Messages of the page frame (`page.*`). */
export const pageMessages = {
  title: 'LiteMaaS',
  subtitle: 'Governed access to large language models',
  nav: 'LiteMaaS sections',
} as const;

/**
 * Every string the LiteMaaS frontend shows. English is the source; each feature folder
 * owns its section (`features/<feature>/messages.ts`, with `.es.ts` and `.fr.ts` beside
 * it), so a new screen adds its own section here and in `es.ts`/`fr.ts` without
 * touching anyone else's keys.
 *
 * @public
 */
export const litemaasTranslationRef = createTranslationRef({
  id: 'plugin.litemaas',
  messages: {
    nav: { title: 'LiteMaaS' },
    page: pageMessages,
    common: commonMessages,
    models: modelsMessages,
    subscriptions: subscriptionsMessages,
    keys: keysMessages,
    reveal: revealMessages,
    teams: teamsMessages,
    cards: cardsMessages,
    approvals: approvalsMessages,
    audit: auditMessages,
  },
});
