import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A minimal backend with only the LiteMaaS plugin, for working on it alone:
//   yarn start            (in this folder)
//   curl localhost:7007/api/litemaas/health
// Requests are authenticated as a mock user (Authorization: Bearer mock-user-token).
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));
backend.start();
