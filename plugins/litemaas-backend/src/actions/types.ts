import { KeyRevealDelivery } from '../keys/KeyRevealDelivery';
import { KeyService } from '../keys/KeyService';
import { RequestCallers } from '../routes/RequestCallers';
import { ModelService } from '../services/ModelService';
import { SubscriptionService } from '../services/SubscriptionService';
import { UsageReportService } from '../usage';

/** What the actions call: the services the REST API calls too. */
export interface LiteMaaSActionServices {
  callers: RequestCallers;
  models: ModelService;
  subscriptions: SubscriptionService;
  keys: KeyService;
  revealDelivery: KeyRevealDelivery;
  usageReports: UsageReportService;
  /** `app.baseUrl`: the portal, whose `/litemaas/reveal/:token` page shows a new secret once. */
  appBaseUrl: string;
}
