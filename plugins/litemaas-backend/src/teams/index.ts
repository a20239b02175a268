export { StoredTeamKeyPolicy } from './TeamKeyPolicy';
export type { TeamKeyPolicy } from './TeamKeyPolicy';
export { TeamLiveSpend } from './TeamLiveSpend';
export { TeamMembershipSync } from './TeamMembershipSync';
export { TeamService } from './TeamService';
export { TeamSettingsWriter } from './TeamSettingsWriter';
