#!/usr/bin/env bash
# Command 1: install whatever is missing, then start the portal on its embedded defaults:
# SQLite, the LiteLLM emulator and guest sign-in. Frontend http://localhost:3000,
# backend http://localhost:7007, LiteLLM emulator http://localhost:4000. Stop with Ctrl-C.
#
# To use a real LiteLLM proxy instead of the emulator, set LITELLM_BASE_URL (and
# LITELLM_MASTER_KEY) before running it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

emulator_pid=
stop_emulator() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
}
trap stop_emulator EXIT

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

log "Starting the portal: frontend http://localhost:3000, backend http://localhost:7007"
yarn start "$@"
