import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { commonMessagesFr } from '../components/messages.fr';
import { cardsMessagesFr } from '../features/entity-cards/messages.fr';
import { keysMessagesFr } from '../features/keys/messages.fr';
import { modelsMessagesFr } from '../features/models/messages.fr';
import { revealMessagesFr } from '../features/reveal/messages.fr';
import { teamsMessagesFr } from '../features/teams/messages.fr';
import { subscriptionsMessagesFr } from '../features/subscriptions/messages.fr';
import { approvalsMessagesFr } from '../features/approvals/messages.fr';
import { auditMessagesFr } from '../features/audit/messages.fr';
import { pageMessagesFr } from './page.fr';
import { litemaasTranslationRef } from './ref';
import { flattenMessages } from './types';

/** French, composed from the section of each feature folder. */
const fr = createTranslationMessages({
  ref: litemaasTranslationRef,
  full: true,
  messages: flattenMessages({
    nav: { title: 'LiteMaaS' },
    page: pageMessagesFr,
    common: commonMessagesFr,
    models: modelsMessagesFr,
    subscriptions: subscriptionsMessagesFr,
    keys: keysMessagesFr,
    reveal: revealMessagesFr,
    teams: teamsMessagesFr,
    cards: cardsMessagesFr,
    approvals: approvalsMessagesFr,
    audit: auditMessagesFr,
  }) as any,
});

export default fr;
