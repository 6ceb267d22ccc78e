#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it. Unit tests (jest), then the end-to-end suite against a real n8n
# with the editor test in Chromium, then the queue-mode suite (Redis, Postgres, several n8n processes).
# Each runner writes a jest --json report; the last line sums them: "N passed, N failed".
#   TEST_SUITES  which suites to run (default "unit e2e queue"), e.g. TEST_SUITES=unit npm test
set -uo pipefail
cd "$(dirname "$0")/.."

suites="${TEST_SUITES:-unit e2e queue}"
reports=test-results
mkdir -p "$reports"
rm -f "$reports"/unit.json "$reports"/e2e.json "$reports"/e2e-queue.json

if [ ! -f node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund || exit 1
fi

status=0
for suite in $suites; do
  echo "=== $suite tests ===" >&2
  case "$suite" in
    unit) npx jest --config jest.config.js --json --outputFile "$reports/unit.json" --forceExit || status=1 ;;
    e2e) E2E_JSON_REPORT="$reports/e2e.json" bash scripts/run-e2e.sh || status=1 ;;
    queue) E2E_QUEUE_JSON_REPORT="$reports/e2e-queue.json" bash scripts/run-e2e-queue.sh || status=1 ;;
    *) echo "unknown suite: $suite" >&2; status=1 ;;
  esac
done

node scripts/sum-test-reports.js $suites || status=1
exit "$status"
