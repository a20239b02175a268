import { Knex } from 'knex';
import { AuditStore } from './AuditStore';
import { KeyStore } from './KeyStore';
import { ModelStore } from './ModelStore';
import { SubscriptionStore } from './SubscriptionStore';
import { UserStore } from './UserStore';

export interface Stores {
  models: ModelStore;
  subscriptions: SubscriptionStore;
  keys: KeyStore;
  users: UserStore;
  audit: AuditStore;
}

export function createStores(db: Knex): Stores {
  return {
    models: new ModelStore(db),
    subscriptions: new SubscriptionStore(db),
    keys: new KeyStore(db),
    users: new UserStore(db),
    audit: new AuditStore(db),
  };
}
