#!/usr/bin/env bash
# npm run start:queue: n8n in queue mode (Postgres, Redis, main, 2 webhook processes, 1 worker, a proxy), see scripts/start-queue.js.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/setup.js start-queue
exec node scripts/start-queue.js "$@"
