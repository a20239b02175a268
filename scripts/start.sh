#!/usr/bin/env bash
# Command 1: install whatever is missing, then start the portal on its embedded defaults:
# SQLite, the LiteLLM emulator, and sign-in through the development identity provider or
# as the guest. Frontend http://localhost:3000, backend http://localhost:7007, LiteLLM
# emulator http://localhost:4000, identity provider http://localhost:7300. Stop with Ctrl-C.
#
# To use a real LiteLLM proxy instead of the emulator, set LITELLM_BASE_URL (and
# LITELLM_MASTER_KEY) before running it; to use another OpenID Connect provider, set
# AUTH_OIDC_METADATA_URL (and AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

emulator_pid=
idp_pid=
stop_helpers() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
  if [ -n "$idp_pid" ]; then kill "$idp_pid" 2>/dev/null || true; fi
}
trap stop_helpers EXIT

if [ -z "${LITELLM_BASE_URL:-}" ]; then
  port="${LITELLM_EMULATOR_PORT:-4000}"
  log "Starting the LiteLLM emulator on http://localhost:$port"
  node --require @backstage/cli/config/nodeTransform.cjs \
    packages/litellm-emulator/src/cli.ts --port "$port" &
  emulator_pid=$!
  export LITELLM_BASE_URL="http://localhost:$port"
else
  log "Using the LiteLLM proxy at $LITELLM_BASE_URL"
fi

if [ -z "${AUTH_OIDC_METADATA_URL:-}" ]; then
  idp_port="${DEV_IDP_PORT:-7300}"
  log "Starting the development identity provider on http://localhost:$idp_port"
  node packages/dev-idp/src/cli.mjs --port "$idp_port" &
  idp_pid=$!
  export AUTH_OIDC_METADATA_URL="http://localhost:$idp_port/.well-known/openid-configuration"
  # The backend reads the provider's discovery document once, at start-up.
  node -e '
    const url = process.argv[1];
    const deadline = Date.now() + 30000;
    (async () => {
      for (;;) {
        try { if ((await fetch(url)).ok) return; } catch {}
        if (Date.now() > deadline) {
          console.error(`${url} did not answer within 30 s`);
          process.exit(1);
        }
        await new Promise(r => setTimeout(r, 200));
      }
    })();
  ' "$AUTH_OIDC_METADATA_URL"
else
  log "Using the OpenID Connect provider at $AUTH_OIDC_METADATA_URL"
fi

log "Starting the portal: frontend http://localhost:3000, backend http://localhost:7007"
yarn start "$@"
