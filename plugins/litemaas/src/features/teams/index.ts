export { TeamsPage } from './TeamsPage';
export { TeamSummary, TeamUsageList, budgetSource } from './TeamSummary';
