#!/usr/bin/env bash
# npm start: a local n8n at http://localhost:5678 with this package and the example workflows (see scripts/start.js).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/start.js "$@"
