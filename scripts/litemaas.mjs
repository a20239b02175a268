#!/usr/bin/env node
// `yarn litemaas token <user>`: signs <user> in to the running portal through the
// development identity provider (the real OpenID Connect flow, no browser) and prints a
// Backstage user token for scripts, benchmarks and tests:
//
//   curl -H "Authorization: Bearer $(yarn litemaas token bob)" \
//     localhost:7007/api/litemaas/keys
import { parseArgs } from 'node:util';
import { devUsers, signInToPortal } from '../packages/dev-idp/src/index.mjs';

const usage = `Usage: yarn litemaas token <user> [--backend URL] [--password PASSWORD]
  <user>      a user of the development identity provider: ${devUsers
    .map(u => u.username)
    .join(', ')}
  --backend   the portal's backend (default $BACKEND_URL or http://localhost:7007)
  --password  the user's password (default: the development password)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: {
      type: 'string',
      default: process.env.BACKEND_URL ?? 'http://localhost:7007',
    },
    password: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const [command, username] = positionals;
if (values.help || command !== 'token' || !username) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}
const password =
  values.password ?? devUsers.find(u => u.username === username)?.password;
if (!password) {
  console.error(
    `No development user '${username}': pass --password.\n${usage}`,
  );
  process.exit(2);
}

try {
  const { token } = await signInToPortal({
    backendUrl: values.backend,
    username,
    password,
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
