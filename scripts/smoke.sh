#!/usr/bin/env bash
# npm run smoke: build, start a throw-away n8n on a free port, import the examples, send each one's signed
# demo event, check that every execution succeeded, stop. Exit code 0 when all went through.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/start.js --smoke "$@"
