#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it (n8n 2.41.1, plus a smoke run on the last n8n 1.x). First, in seconds, scripts/setup.js: the system programs the suites
# need (Chromium, redis-server, PostgreSQL; installed with apt-get as root or with passwordless sudo, else one
# line saying what to install) and the project's dependencies. Then each suite writes a jest --json report to
# test-results/ and the last line sums them: "N passed, N failed".
#   TEST_SUITES         which suites to run (default: all, in the order of ALL_SUITES), e.g. TEST_SUITES=unit npm test
#   TEST_ALLOW_MISSING  a developer's partial run without some of those programs (chromium, redis-server,
#                       postgresql or all; ignored when CI is set): the tests that need them are left out, and
#                       the summary says which. Without it, a missing program fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

# The suites, in the order they run. To add one: its name here and a line in run_suite. Its runner writes the
# jest --json report to the path it is given (scripts/sum-test-reports.js reads test-results/<name>.json).
ALL_SUITES="unit e2e e2e-isolated e2e-install queue e2e-n8n1"

# The last n8n 1.x, for a smoke run: the package loads, signed events are accepted and bad signatures get 401.
N8N1_VERSION=1.123.81
N8N1_SMOKE_FILES="test/e2e/packageLoad.e2e.test.js test/e2e/schemes.e2e.test.js test/e2e/examples.e2e.test.js"

run_suite() {
  local report="test-results/$1.json"
  case "$1" in
    unit) npx jest --config jest.config.js --json --outputFile "$report" --forceExit ;;
    e2e) E2E_JSON_REPORT="$report" bash scripts/run-e2e.sh ;;
    # Files that start n8n processes of their own (test/e2e/isolatedFiles.js), one at a time, after the shared-n8n suite.
    e2e-isolated) E2E_JEST_CONFIG=test/e2e/jest.isolated.config.js E2E_JSON_REPORT="$report" bash scripts/run-e2e.sh ;;
    e2e-install) E2E_INSTALL_JSON_REPORT="$report" bash scripts/run-e2e-install.sh ;;
    queue) E2E_QUEUE_JSON_REPORT="$report" bash scripts/run-e2e-queue.sh ;;
    # shellcheck disable=SC2086
    e2e-n8n1) N8N_VERSION="$N8N1_VERSION" E2E_JSON_REPORT="$report" bash scripts/run-e2e.sh $N8N1_SMOKE_FILES ;;
    *) echo "unknown suite: $1 (known: $ALL_SUITES)" >&2; return 1 ;;
  esac
}

suites="${TEST_SUITES:-$ALL_SUITES}"
mkdir -p test-results
for suite in $suites; do rm -f "test-results/$suite.json"; done
rm -f test-results/left-out.txt

node scripts/setup.js test --n8n "$N8N1_VERSION" || exit 1

status=0
for suite in $suites; do
  echo "=== $suite tests ===" >&2
  run_suite "$suite" || status=1
done

node scripts/sum-test-reports.js $suites || status=1
exit "$status"
