#!/usr/bin/env bash
# npm run bench:queue: signed events through queue mode (1 and 2 workers) next to a single n8n, in one run.
# Standalone: installs n8n if missing, builds, then bench/queue.bench.js (Node 20; n8n runs on Node 24).
# Needs redis-server and postgresql (Debian packages). Env knobs: see bench/queue.bench.js.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/install-n8n.sh)" >/dev/null
if [ ! -f node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund >&2
fi
npm run build >&2
exec node bench/queue.bench.js "$@"
