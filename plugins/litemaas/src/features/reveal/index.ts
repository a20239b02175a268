export { RevealPage } from './RevealPage';
