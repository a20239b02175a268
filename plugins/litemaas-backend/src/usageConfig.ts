import { RootConfigService } from '@backstage/backend-plugin-api';
import { AlertSettings, DEFAULT_ALERT_SETTINGS } from './services/AlertService';
import { DEFAULT_USAGE_SETTINGS, UsageSettings } from './usage';

/** `litemaas.usage.*` and `litemaas.notifications.*`, with defaults. */
export function readTeamUsageSettings(config: RootConfigService): {
  usage: UsageSettings;
  alerts: AlertSettings & { enabled: boolean };
} {
  const u = config.getOptionalConfig('litemaas.usage');
  const n = config.getOptionalConfig('litemaas.notifications');
  const finalizeAfterMinutes = u?.getOptionalNumber('finalizeAfterMinutes');
  return {
    usage: {
      backfillDays:
        u?.getOptionalNumber('backfillDays') ??
        DEFAULT_USAGE_SETTINGS.backfillDays,
      finalizeAfterMs:
        finalizeAfterMinutes !== undefined
          ? finalizeAfterMinutes * 60_000
          : DEFAULT_USAGE_SETTINGS.finalizeAfterMs,
      windowDays:
        u?.getOptionalNumber('windowDays') ?? DEFAULT_USAGE_SETTINGS.windowDays,
      pageSize: Math.min(
        1000,
        u?.getOptionalNumber('pageSize') ?? DEFAULT_USAGE_SETTINGS.pageSize,
      ),
    },
    alerts: {
      enabled: n?.getOptionalBoolean('enabled') ?? true,
      adminRecipients:
        n?.getOptionalStringArray('adminRecipients') ??
        DEFAULT_ALERT_SETTINGS.adminRecipients,
      keyExpiryWarningDays:
        n?.getOptionalNumber('keyExpiryWarningDays') ??
        DEFAULT_ALERT_SETTINGS.keyExpiryWarningDays,
      decisionLookbackMs: DEFAULT_ALERT_SETTINGS.decisionLookbackMs,
      linkBase:
        n?.getOptionalString('linkBase') ?? DEFAULT_ALERT_SETTINGS.linkBase,
    },
  };
}
