#!/usr/bin/env bash
# Command 2: install whatever is missing, then run every check and test:
#   type check, lint, formatting, the unit and integration tests of every package (database
#   tests on SQLite, and on PostgreSQL at 127.0.0.1:5432 when it answers), and the browser
#   tests of the running portal in headless Chromium.
# Ends with one line "N passed, N failed" totalled over every test run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

RESULTS_DIR="$REPO_ROOT/.litemaas/test-results"
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
export CI="${CI:-true}" # non-interactive jest, immutable installs
export BACKSTAGE_TEST_DISABLE_DOCKER=1

failed_steps=()
step() {
  local name="$1"
  shift
  log "── $name"
  local start=$SECONDS
  if "$@"; then
    log "── $name: ok ($((SECONDS - start)) s)"
  else
    log "── $name: FAILED ($((SECONDS - start)) s)"
    failed_steps+=("$name")
  fi
}

# PostgreSQL for the database tests, when the machine runs one.
PG_URL="${LITEMAAS_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"
if node -e '
  const net = require("net");
  const u = new URL(process.argv[1]);
  const s = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
  s.setTimeout(2000, () => process.exit(1));
  s.on("connect", () => process.exit(0)).on("error", () => process.exit(1));
' "$PG_URL"; then
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$PG_URL"
  log "Database tests run on SQLite and on PostgreSQL ($PG_URL)"
else
  log "PostgreSQL does not answer at $PG_URL: database tests run on SQLite only"
fi

ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1 ||
    command -v chromium-browser >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install it (e.g. 'sudo apt-get install chromium') or set CHROMIUM_PATH" >&2
    return 1
  fi
}

step "type check (tsc)" yarn tsc
step "lint" yarn backstage-cli repo lint
step "formatting (prettier)" yarn prettier --check --loglevel warn .
step "package builds" yarn backstage-cli repo build
step "unit and integration tests (jest)" \
  yarn backstage-cli repo test --json --outputFile="$RESULTS_DIR/jest.json"
if step "chromium" ensure_chromium; then
  step "browser tests (headless Chromium)" \
    node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$RESULTS_DIR/e2e.tap" e2e/*.test.mjs
fi

node "$REPO_ROOT/scripts/test-summary.mjs" "$RESULTS_DIR" "${failed_steps[@]+"${failed_steps[@]}"}"
