#!/usr/bin/env bash
# npm run bench:n8n: in-n8n throughput of the Secure Webhook Trigger next to n8n's built-in Webhook node
# (bench/n8n.bench.js). Installs n8n if missing, builds, then starts one n8n per expression engine.
# Not part of npm test. Tunables: BENCH_ENGINES, BENCH_DURATION_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/install-n8n.sh)"
if [ ! -f node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi
npm run build >&2
exec node bench/n8n.bench.js
