// PatternFly's stylesheets first, in one order for every lazily loaded root.
import '../components/PatternFly/styles';

export { LiteMaaSPage } from './LiteMaaSPage';
