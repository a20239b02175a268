// The development identity provider.
export { startDevIdp, portalClient } from './idp.mjs';
export { devUsers } from './users.mjs';
