// PatternFly's stylesheets first, in one order for every lazily loaded root.
import '../../components/PatternFly/styles';

export { ModelEntityCard } from './ModelEntityCard';
export { LlmAccessEntityCard } from './LlmAccessEntityCard';
export { TeamEntityCard } from './TeamEntityCard';
export {
  isLiteMaaSModelEntity,
  isLiteMaaSConsumerEntity,
  isLiteMaaSTeamEntity,
} from './filters';
