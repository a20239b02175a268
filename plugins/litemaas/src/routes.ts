import { createRouteRef } from '@backstage/core-plugin-api';

/** The route of the LiteMaaS page (legacy frontend system). @public */
export const rootRouteRef = createRouteRef({ id: 'litemaas' });
