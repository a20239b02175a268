import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** What time it is, for every rule of LiteMaaS that depends on it. */
export interface LiteMaaSClock {
  now(): Date;
}

/**
 * The clock of the LiteMaaS services (rotation grace periods, usage finalisation, budget
 * periods and forecasts, team sync). Real time by default; the test harness installs one
 * it can move forward, so no test waits for real time to pass.
 */
export const litemaasClockServiceRef = createServiceRef<LiteMaaSClock>({
  id: 'litemaas.clock',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => ({ now: () => new Date() }),
    }),
});
