// The development identity provider and the browser-less sign-in that scripts use.
export { startDevIdp, portalClient } from './idp.mjs';
export { devUsers } from './users.mjs';
export { signInToPortal } from './portalSignIn.mjs';
