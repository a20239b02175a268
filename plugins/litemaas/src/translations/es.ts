import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { commonMessagesEs } from '../components/messages.es';
import { cardsMessagesEs } from '../features/entity-cards/messages.es';
import { keysMessagesEs } from '../features/keys/messages.es';
import { modelsMessagesEs } from '../features/models/messages.es';
import { revealMessagesEs } from '../features/reveal/messages.es';
import { teamsMessagesEs } from '../features/teams/messages.es';
import { subscriptionsMessagesEs } from '../features/subscriptions/messages.es';
import { approvalsMessagesEs } from '../features/approvals/messages.es';
import { auditMessagesEs } from '../features/audit/messages.es';
import { pageMessagesEs } from './page.es';
import { litemaasTranslationRef } from './ref';
import { flattenMessages } from './types';

/** Spanish, composed from the section of each feature folder. */
const es = createTranslationMessages({
  ref: litemaasTranslationRef,
  full: true,
  messages: flattenMessages({
    nav: { title: 'LiteMaaS' },
    page: pageMessagesEs,
    common: commonMessagesEs,
    models: modelsMessagesEs,
    subscriptions: subscriptionsMessagesEs,
    keys: keysMessagesEs,
    reveal: revealMessagesEs,
    teams: teamsMessagesEs,
    cards: cardsMessagesEs,
    approvals: approvalsMessagesEs,
    audit: auditMessagesEs,
  }) as any,
});

export default es;
