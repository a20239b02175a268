export { KeysPage } from './KeysPage';
export { keysMessages } from './messages';
