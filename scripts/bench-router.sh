#!/usr/bin/env bash
# Runs the AI Router benchmark against n8n's Switch node. n8n 2.x (whose Switch, n8n-core and
# n8n-workflow the benchmark loads) needs Node 24, so this takes both from the pinned cache install.
# Expects a fresh build in dist/ (npm run bench:router builds first). Extra env: see bench/router.bench.js.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/install-n8n.sh)"
export N8N_DIR
exec "$NODE24_BIN/node" bench/router.bench.js "$@"
