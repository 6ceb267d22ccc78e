#!/usr/bin/env bash
# npm start: a local n8n at http://localhost:5678 with this package and the example workflows (see scripts/start.js).
# scripts/setup.js first: what the machine lacks (a C++ tool chain while n8n is not cached), and npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/setup.js start
exec node scripts/start.js "$@"
