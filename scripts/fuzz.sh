#!/usr/bin/env bash
# npm run fuzz: the trigger's webhook() through n8n-core's WebhookContext with FUZZ_REQUESTS (default 100,000)
# adversarial and valid requests over every catalogue provider and typeVersion (fuzz/webhook.fuzz.ts).
# npm run fuzz:live: FUZZ_LIVE_REQUESTS (default 10,000) raw adversarial requests against a real n8n (fuzz/live.fuzz.ts).
# Both compile fuzz/ with tsc into .fuzz-build/ and run on the Node 24 n8n runs on. Not part of npm test.
#   bash scripts/fuzz.sh [live]
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/install-n8n.sh)"
if [ ! -f node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi
rm -rf .fuzz-build
npx tsc -p fuzz/tsconfig.json
if [ "${1:-}" = "live" ]; then
  npm run build >&2
  exec "$NODE24_BIN/node" .fuzz-build/fuzz/live.fuzz.js
fi
exec "$NODE24_BIN/node" .fuzz-build/fuzz/webhook.fuzz.js
