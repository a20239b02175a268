#!/usr/bin/env node
// Runs the development identity provider: `node packages/dev-idp/src/cli.mjs [--port 7300]`.
// scripts/start.sh starts it next to the LiteLLM emulator.
import { parseArgs } from 'node:util';
import { startDevIdp } from './idp.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.DEV_IDP_PORT ?? '7300' },
    'hide-users': { type: 'boolean', default: false },
  },
});

const idp = await startDevIdp({
  port: Number(values.port),
  showUsers: !values['hide-users'],
});
process.stdout.write(
  `Development identity provider listening on ${idp.issuer}\n`,
);

const stop = () => idp.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
