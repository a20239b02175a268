#!/usr/bin/env bash
# Command 1: install whatever is missing, then start the portal on its embedded defaults:
# SQLite, the LiteLLM emulator and guest sign-in. Frontend http://localhost:3000,
# backend http://localhost:7007. Stop with Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

log "Starting the portal: frontend http://localhost:3000, backend http://localhost:7007"
exec yarn start "$@"
