#!/usr/bin/env bash
# Sourced by scripts/start.sh, scripts/test.sh and .ci/run. Makes sure Node 22+ and yarn 4 are
# usable in this shell, then installs the workspace if node_modules is missing or stale.
# It never writes the package registry's address anywhere: yarn gets it from npm's own config.
# It leaves the caller's shell options alone, so it can be sourced in an interactive shell.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if command -v node >/dev/null 2>&1 && [ "$(node_major)" -ge 22 ]; then
    return
  fi
  local arch pkg
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "Unsupported CPU $(uname -m): install Node 22 yourself" >&2; return 1 ;;
  esac
  pkg="node-linux-$arch"
  local dir="$TOOLS_DIR/node_modules/$pkg"
  if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
    command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch Node 22" >&2; return 1; }
    log "Node $(node -v 2>/dev/null || echo missing) is older than 22: installing $pkg@22 into .tools/"
    mkdir -p "$TOOLS_DIR"
    # A package.json of its own (so npm does not mistake the repo root for the project),
    # which also records what .tools holds, so one install never prunes the other.
    [ -f "$TOOLS_DIR/package.json" ] || echo '{ "private": true }' >"$TOOLS_DIR/package.json"
    (cd "$TOOLS_DIR" && npm install --no-package-lock --save-exact --no-audit --no-fund "$pkg@22" >/dev/null) || return 1
  fi
  export PATH="$dir/bin:$PATH"
  # Native addons (better-sqlite3) must build against this Node's headers, not the system's.
  export npm_config_nodedir="$dir"
}

YARN_VERSION=4.13.0

ensure_yarn() {
  # yarn 4 comes from the npm registry as @yarnpkg/cli-dist (no corepack, and no release
  # bundle committed: it would carry a registry address), installed into .tools/ once.
  local cli="$TOOLS_DIR/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
  if [ ! -f "$cli" ] || ! grep -q "\"version\": \"$YARN_VERSION\"" "$TOOLS_DIR/node_modules/@yarnpkg/cli-dist/package.json"; then
    log "Installing yarn $YARN_VERSION into .tools/"
    mkdir -p "$TOOLS_DIR"
    [ -f "$TOOLS_DIR/package.json" ] || echo '{ "private": true }' >"$TOOLS_DIR/package.json"
    (cd "$TOOLS_DIR" && npm install --no-package-lock --save-exact --no-audit --no-fund "@yarnpkg/cli-dist@$YARN_VERSION" >/dev/null) || return 1
  fi
  mkdir -p "$TOOLS_DIR/bin"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$cli" >"$TOOLS_DIR/bin/yarn"
  chmod +x "$TOOLS_DIR/bin/yarn"
  export PATH="$TOOLS_DIR/bin:$PATH"
  export COREPACK_ENABLE_STRICT=0
  if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
    # npm fails with ENOWORKSPACES inside a workspace folder, so ask it from /.
    local registry
    registry="$(cd / && npm config get registry 2>/dev/null || true)"
    if [ -n "$registry" ]; then export YARN_NPM_REGISTRY_SERVER="$registry"; fi
  fi
  # A yarn cache that survives between runs on the same machine (never relied on).
  export YARN_CACHE_FOLDER="${YARN_CACHE_FOLDER:-${XDG_CACHE_HOME:-$HOME/.cache}/litemaas-backstage/yarn}"
  export YARN_ENABLE_GLOBAL_CACHE=false
}

ensure_install() {
  local stamp="$REPO_ROOT/node_modules/.litemaas-install-stamp"
  local want
  want="$(node -v) $( (cd "$REPO_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null || true) | cksum)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  log "Installing dependencies (yarn install)..."
  local start=$SECONDS
  mkdir -p "$REPO_ROOT/.litemaas"
  # One install at a time, even when several shells of this repo start at once.
  # Native addons compile at -O1 unless CFLAGS/CXXFLAGS say otherwise: better-sqlite3 (the
  # only one built from source) then takes 36 s instead of 63 s on 2 cores, and its SQLite
  # only serves development and the tests; production runs PostgreSQL and its image
  # installs its own dependencies.
  (cd "$REPO_ROOT" && CFLAGS="${CFLAGS--O1}" CXXFLAGS="${CXXFLAGS--O1}" \
    flock "$REPO_ROOT/.litemaas/install.lock" yarn install ${YARN_INSTALL_FLAGS:-}) || return 1
  log "Dependencies installed in $((SECONDS - start)) s"
  echo "$want" >"$stamp"
}

litemaas_toolchain() {
  ensure_node || return 1
  ensure_yarn || return 1
  if [ "${LITEMAAS_SKIP_INSTALL:-}" != 1 ]; then ensure_install || return 1; fi
  cd "$REPO_ROOT" || return 1
}
litemaas_toolchain
