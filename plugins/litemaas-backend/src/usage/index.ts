export { UsageReportService } from './UsageReportService';
export { DEFAULT_USAGE_SETTINGS, UsageSyncService } from './UsageSyncService';
export type { UsageSettings } from './UsageSyncService';
