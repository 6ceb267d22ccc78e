#!/usr/bin/env bash
# End-to-end suite against a real n8n (npm run test:e2e). Standalone: installs n8n if missing, installs
# the project's dependencies if missing, builds, then jest (test/e2e/jest.config.js) packs the package,
# installs it into a fresh n8n user folder, starts n8n and runs every test file against it.
#   E2E_JSON_REPORT   where jest's --json report goes (default test-results/e2e.json)
#   E2E_JEST_CONFIG   test/e2e/jest.config.js (default: the files sharing one n8n) or test/e2e/jest.isolated.config.js
#                     (the e2e-isolated suite: files that start n8n processes of their own, one at a time)
#   Extra arguments go to jest, e.g. `npm run test:e2e -- -t stripe` or a test file path.
set -euo pipefail
caller_dir="$PWD"
cd "$(dirname "$0")/.."
# What the machine and the clone lack, before any long work (seconds when nothing is): see scripts/setup.js.
node scripts/setup.js e2e

started=$(date +%s)
# A relative E2E_JSON_REPORT is relative to where the script was called from; the default is in this repo.
report="${E2E_JSON_REPORT:-$PWD/test-results/e2e.json}"
case "$report" in /*) ;; *) report="$caller_dir/$report" ;; esac
mkdir -p "$(dirname "$report")" test-results/screenshots

eval "$(bash scripts/install-n8n.sh)"
echo "[e2e] n8n $N8N_VERSION, Node.js $("$NODE24_BIN/node" --version) for n8n, $(node --version) for jest" >&2

npm run build >&2

# Files that drive the editor need Chromium. Without it they fail with one line, unless TEST_ALLOW_MISSING names
# chromium (a developer's partial run, never CI): then they are left out and the summary of npm test lists them.
ignore=()
if [ "$(node scripts/lib/systemRequirements.js state chromium)" = left-out ]; then
  for file in $(grep -l "require('playwright-core')" test/e2e/*.e2e.test.js); do
    ignore+=(--testPathIgnorePatterns "$file")
    node scripts/lib/systemRequirements.js left-out chromium "$file"
    echo "[e2e] left out $file: Chromium is missing and TEST_ALLOW_MISSING allows it" >&2
  done
fi

config="${E2E_JEST_CONFIG:-test/e2e/jest.config.js}"
if [ "${#ignore[@]}" -gt 0 ] && [ "$config" = test/e2e/jest.config.js ]; then
  # --testPathIgnorePatterns on the command line replaces the config's list: keep the isolated files out.
  for file in $(node -p "require('./test/e2e/isolatedFiles').join(' ')"); do ignore+=(--testPathIgnorePatterns "test/e2e/$file"); done
fi

status=0
E2E_SKIP_BUILD=1 npx jest --config "$config" --json --outputFile "$report" "${ignore[@]}" "$@" || status=$?

echo "[e2e] finished in $(( $(date +%s) - started )) s with exit code $status; report: $report" >&2
exit "$status"
