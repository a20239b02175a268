import { Knex } from 'knex';
import { AlertStore } from './AlertStore';
import { AuditStore } from './AuditStore';
import { IdempotencyStore } from './IdempotencyStore';
import { KeyStore } from './KeyStore';
import { ModelStore } from './ModelStore';
import { SubscriptionStore } from './SubscriptionStore';
import { TeamStore } from './TeamStore';
import { UsageStore } from './UsageStore';
import { UserStore } from './UserStore';

export interface Stores {
  models: ModelStore;
  subscriptions: SubscriptionStore;
  keys: KeyStore;
  idempotency: IdempotencyStore;
  users: UserStore;
  audit: AuditStore;
  teams: TeamStore;
  usage: UsageStore;
  alerts: AlertStore;
}

export function createStores(db: Knex): Stores {
  return {
    models: new ModelStore(db),
    subscriptions: new SubscriptionStore(db),
    keys: new KeyStore(db),
    idempotency: new IdempotencyStore(db),
    users: new UserStore(db),
    audit: new AuditStore(db),
    teams: new TeamStore(db),
    usage: new UsageStore(db),
    alerts: new AlertStore(db),
  };
}
