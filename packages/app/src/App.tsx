import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { litemaasTranslationsModule } from '@litemaas/backstage-plugin-litemaas/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Plugins listed in package.json are discovered automatically (app.packages: all),
// including LiteMaaS; app modules such as translations are added here.
export default createApp({
  features: [
    catalogPlugin,
    navModule,
    signInModule,
    litemaasTranslationsModule,
  ],
});
