export { LiteMaaSPage } from './LiteMaaSPage';
