#!/usr/bin/env bash
# Command 2: install whatever is missing, then run every check and test:
#   type check, lint, formatting, package builds, the export of the plugins as Red Hat
#   Developer Hub dynamic plugins, the unit and integration tests of every
#   package (database tests on SQLite and on PostgreSQL; node:test for packages/dev-idp),
#   and the browser tests of the running portal in headless Chromium.
# Ends with one line "N passed, N failed[, N skipped]" in which every failed test, every
# failed step and every suite whose teardown threw counts, each named above it.
#
# Under CI=true (as .ci/run does) nothing may be missing: PostgreSQL must answer at
# LITEMAAS_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432) and Chromium
# must be there. Locally, without them, the database tests run on SQLite only and the
# browser tests are skipped, and the summary says how many and why.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

RESULTS_DIR="$REPO_ROOT/.litemaas/test-results"
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
STEPS="$RESULTS_DIR/steps.tsv"
: >"$STEPS"

# What the caller asked for decides how strict the run is; jest itself always runs
# non-interactively.
STRICT=false
if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then STRICT=true; fi
export CI=true
export BACKSTAGE_TEST_DISABLE_DOCKER=1

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$STEPS"; }
summary() { node "$REPO_ROOT/scripts/test-summary.mjs" "$RESULTS_DIR"; }

# Runs one step and records how it went; never stops the run (STEP_OK tells the caller).
STEP_OK=true
step() {
  local name="$1"
  shift
  log "── $name"
  local start=$SECONDS
  if "$@"; then
    log "── $name: ok ($((SECONDS - start)) s)"
    record "$name" ok $((SECONDS - start))
    STEP_OK=true
  else
    log "── $name: FAILED ($((SECONDS - start)) s)"
    record "$name" failed $((SECONDS - start))
    STEP_OK=false
  fi
}

skip_step() {
  log "── $1: skipped ($2)"
  record "$1" skipped 0 "$2"
}

# Steps that mostly wait (on downloads, a fixed request rate, job schedules) run in the
# background next to the busy ones: each one's output is kept and printed when it is
# waited for.
BG_PIDS=()
BG_LOGS=()
bg_step() {
  local out="$RESULTS_DIR/background-${#BG_PIDS[@]}.log"
  log "── $1: started in the background"
  (step "$@") >"$out" 2>&1 &
  BG_PIDS+=("$!")
  BG_LOGS+=("$out")
}
bg_wait() {
  local i
  for i in "${!BG_PIDS[@]}"; do
    wait "${BG_PIDS[$i]}" || true
    cat "${BG_LOGS[$i]}"
  done
  BG_PIDS=()
  BG_LOGS=()
}

# The summary's own tests first: a harness that miscounts would make the rest meaningless.
step "test summary self-test" \
  node --test --test-reporter=dot "$REPO_ROOT/scripts/test-summary.test.mjs"

# PostgreSQL for the database tests.
PG_URL="${LITEMAAS_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"
if pg_error="$(node -e '
  const net = require("net");
  const u = new URL(process.argv[1]);
  const s = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
  const fail = why => { console.log(why); process.exit(1); };
  s.setTimeout(2000, () => fail("no answer within 2 s"));
  s.on("connect", () => process.exit(0)).on("error", e => fail(e.code || e.message));
' "$PG_URL")"; then
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$PG_URL"
  echo "available $PG_URL" >"$RESULTS_DIR/postgres.txt"
  log "Database tests run on SQLite and on PostgreSQL ($PG_URL)"
elif [ "$STRICT" = true ]; then
  echo "unavailable $PG_URL nothing answers at $PG_URL ($pg_error)" >"$RESULTS_DIR/postgres.txt"
  log "PostgreSQL is required under CI=true, but nothing answers at $PG_URL ($pg_error)."
  log "Start PostgreSQL there, or point LITEMAAS_TEST_POSTGRES_URL at one. Nothing else runs."
  record "PostgreSQL (required under CI=true)" failed 0 \
    "nothing answers at $PG_URL: $pg_error; start it or set LITEMAAS_TEST_POSTGRES_URL"
  summary
  exit 1
else
  echo "unavailable $PG_URL nothing answers at $PG_URL ($pg_error)" >"$RESULTS_DIR/postgres.txt"
  log "PostgreSQL does not answer at $PG_URL ($pg_error): database tests run on SQLite only"
fi
# The database test helper refuses to drop PostgreSQL silently in a strict run.
if [ "$STRICT" = true ]; then export LITEMAAS_TEST_REQUIRE_POSTGRES=1; fi

find_chromium() {
  local c
  for c in "${CHROMIUM_PATH:-}" "$(command -v chromium || true)" \
    "$(command -v chromium-browser || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then return 0; fi
  done
  return 1
}

ensure_chromium() {
  if find_chromium; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null &&
      find_chromium && return 0
  fi
  echo "Chromium is missing: install it (e.g. 'sudo apt-get install chromium') or set CHROMIUM_PATH" >&2
  return 1
}
# Installing Chromium is mostly download and unpacking: it runs while the checks do.
CHROMIUM_LOG="$RESULTS_DIR/chromium.log"
ensure_chromium >"$CHROMIUM_LOG" 2>&1 &
CHROMIUM_PID=$!
chromium_ready() {
  local rc=0
  wait "$CHROMIUM_PID" || rc=$?
  cat "$CHROMIUM_LOG" >&2
  return "$rc"
}

# System tests (system/): real backend processes on PostgreSQL (and Redis where they say
# so). Mostly they wait, on the soak's fixed rate and the jobs' schedules, so they run in
# the background; they pick free ports, databases and a Redis namespace of their own.
# Those that run the backend from source (the soak, the replica kill: most of their
# time) start now, next to the checks and builds, which keep one core busy at a time;
# those of the builds start once the builds are made. Nothing may rewrite a workspace
# package.json while they run (a backend started then would read it): the published
# packages' check, whose packing does, comes last.
shopt -s nullglob
SOURCE_SYSTEM_TESTS=()
BUILT_SYSTEM_TESTS=()
for file in "$REPO_ROOT"/system/*.test.mjs; do
  if grep -qE "from '\./(production|rhdh)\.mjs'" "$file"; then
    BUILT_SYSTEM_TESTS+=("$file")
  else
    SOURCE_SYSTEM_TESTS+=("$file")
  fi
done
shopt -u nullglob
if [ "${#SOURCE_SYSTEM_TESTS[@]}" -gt 0 ]; then
  bg_step "system tests from source (node:test)" \
    node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$RESULTS_DIR/system-source.tap" \
    "${SOURCE_SYSTEM_TESTS[@]}"
fi

# Declarations from an earlier run (of files since moved or deleted) would change what API
# Extractor reads and the order it prints types in: the reports check this tree only.
rm -rf "$REPO_ROOT/dist-types"
# One after the other: each keeps the cores busy (side by side on 2 cores they took longer
# than in a row).
step "type check (tsc)" yarn tsc
step "lint" yarn backstage-cli repo lint
step "formatting (prettier)" yarn prettier --check --loglevel warn .
# The client, types and router generated from the OpenAPI spec match the spec.
step "generated OpenAPI code is up to date" \
  node "$REPO_ROOT/scripts/generate-openapi.mjs" --check
# Each published package's API equals its committed report.api.md (after the type check,
# whose declarations API Extractor reads).
step "API reports" yarn build:api-reports:only --ci
step "package builds" yarn backstage-cli repo build
BUILDS_OK=$STEP_OK
# The backend bundle (packages/backend/dist/{skeleton,bundle}.tar.gz) the production image
# is made of, from the packages just built; the system tests unpack and run it.
if [ "$BUILDS_OK" = true ]; then
  step "backend bundle" yarn build:backend --skip-build-dependencies
  if [ "$STEP_OK" = true ]; then export LITEMAAS_BACKEND_BUNDLE_BUILT=1; fi
  # The four plugins as Red Hat Developer Hub dynamic plugins (.litemaas/dynamic-plugins),
  # from the packages just built: `rhdh-cli plugin export` of each, about 40 s, most of it
  # the frontend's Scalprum bundle. system/rhdh.test.mjs loads them.
  step "RHDH dynamic plugin export" yarn export-dynamic --no-build
  if [ "$STEP_OK" = true ]; then export LITEMAAS_DYNAMIC_PLUGINS_EXPORTED=1; fi
fi
# The system tests of the builds just made (system/ files that import production.mjs or
# rhdh.mjs: the production bundle, its replicas, the RHDH dynamic plugins), in the
# background next to jest and the browser tests, as those from source are.
if [ "${#BUILT_SYSTEM_TESTS[@]}" -gt 0 ]; then
  bg_step "system tests of the builds (node:test)" \
    node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$RESULTS_DIR/system.tap" "${BUILT_SYSTEM_TESTS[@]}"
fi

step "unit and integration tests (jest)" \
  yarn backstage-cli repo test --json --outputFile="$RESULTS_DIR/jest.json"
# Packages tested with node:test rather than jest (the development identity provider runs
# the ESM-only oidc-provider as it is).
step "node tests (node:test)" \
  node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$RESULTS_DIR/node.tap" \
  'packages/dev-idp/src/*.test.mjs'

if [ "$STRICT" = true ]; then
  chromium_ok() {
    step "chromium" chromium_ready
    [ "$STEP_OK" = true ]
  }
else
  chromium_ok() {
    if chromium_ready; then return 0; fi
    skip_step "browser tests (headless Chromium)" \
      "Chromium is missing: install it or set CHROMIUM_PATH; CI=true requires it"
    return 1
  }
fi
# The browser tests start the portal on fixed ports: one run at a time per machine.
E2E_LOCK="${LITEMAAS_E2E_LOCK:-/tmp/litemaas-e2e.lock}"
with_e2e_lock() {
  if command -v flock >/dev/null 2>&1; then flock "$E2E_LOCK" "$@"; else "$@"; fi
}
if chromium_ok; then
  # The self-service and identity tests open many pages: they use the app's production
  # build (served by the backend, as in production), which Chromium loads in a fraction
  # of the development bundle's ~10 s; portal.test.mjs keeps Command 1's dev server.
  # With CI=true, as a company's pipeline builds it: the Backstage CLI fails on any
  # warning (a PatternFly stylesheet missing from plugins/litemaas's
  # components/PatternFly/styles.ts shows up here as "Conflicting order").
  step "app build (production)" yarn workspace app build
  if [ "$STEP_OK" = true ]; then export LITEMAAS_APP_BUILT=1; fi
  step "browser tests (headless Chromium)" with_e2e_lock \
    node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$RESULTS_DIR/e2e.tap" e2e/*.test.mjs
fi

bg_wait

# The packages published to npm, packed as publishing packs them (entry points, files,
# dependency ranges, install line in the README). Last, once nothing else runs: packing
# rewrites each package.json in place for a moment.
if [ "$BUILDS_OK" = true ]; then
  step "published packages (node:test)" \
    node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$RESULTS_DIR/packages.tap" \
    scripts/published-packages.test.mjs
fi

summary
