#!/usr/bin/env bash
# End-to-end suite in queue mode (npm run test:e2e:queue). Standalone: installs n8n if missing, installs the
# project's dependencies if missing, builds, then jest (test/e2e-queue/jest.config.js) starts a private
# Postgres and Redis, n8n main, two webhook processes, one worker and a round-robin proxy, all on
# 127.0.0.1, runs every test file against them and stops them all again.
#   E2E_QUEUE_JSON_REPORT   where jest's --json report goes (default test-results/e2e-queue.json)
#   Needs redis-server and postgresql (Debian packages; npm test installs them); extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
# What the machine and the clone lack, before any long work (seconds when nothing is): see scripts/setup.js.
node scripts/setup.js e2e-queue

started=$(date +%s)
report="${E2E_QUEUE_JSON_REPORT:-test-results/e2e-queue.json}"
mkdir -p "$(dirname "$report")"

# Redis and PostgreSQL: a missing one fails the suite with one line, unless TEST_ALLOW_MISSING names it (a
# developer's partial run, never CI): then the suite is left out and test-all.sh's summary says so.
requirements=scripts/lib/systemRequirements.js
left_out=()
for requirement in redis-server postgresql; do
  case "$(node "$requirements" state "$requirement")" in
    present) ;;
    left-out) left_out+=("$requirement") ;;
    *) echo "[e2e-queue] $(node "$requirements" reason "$requirement")" >&2; exit 1 ;;
  esac
done
if [ "${#left_out[@]}" -gt 0 ]; then
  for requirement in "${left_out[@]}"; do node "$requirements" suite-left-out "$requirement" queue; done
  echo "[e2e-queue] left out: ${left_out[*]} missing, and TEST_ALLOW_MISSING allows it" >&2
  exit 0
fi

eval "$(bash scripts/install-n8n.sh)"
echo "[e2e-queue] n8n $N8N_VERSION, Node.js $("$NODE24_BIN/node" --version) for n8n, $(node --version) for jest" >&2

npm run build >&2

status=0
E2E_SKIP_BUILD=1 npx jest --config test/e2e-queue/jest.config.js --json --outputFile "$report" "$@" || status=$?

echo "[e2e-queue] finished in $(( $(date +%s) - started )) s with exit code $status; report: $report" >&2
exit "$status"
