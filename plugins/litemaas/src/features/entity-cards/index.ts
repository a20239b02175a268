export { ModelEntityCard } from './ModelEntityCard';
export { LlmAccessEntityCard } from './LlmAccessEntityCard';
export { TeamEntityCard } from './TeamEntityCard';
export {
  isLiteMaaSModelEntity,
  isLiteMaaSConsumerEntity,
  isLiteMaaSTeamEntity,
} from './filters';
