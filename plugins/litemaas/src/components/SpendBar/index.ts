export { SpendBar } from './SpendBar';
