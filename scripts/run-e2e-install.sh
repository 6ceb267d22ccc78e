#!/usr/bin/env bash
# Install-by-name suite (npm run test:e2e:install): a loopback npm registry (Verdaccio, from npm, cached next to
# n8n) serves the packed package, and n8n installs it by name: Settings → Community Nodes in Chromium, and the
# env-managed install (N8N_COMMUNITY_PACKAGES). Standalone: installs n8n and Verdaccio if missing, builds, then jest.
#   E2E_INSTALL_JSON_REPORT   where jest's --json report goes (default test-results/e2e-install.json)
#   Extra arguments go to jest.
set -euo pipefail
caller_dir="$PWD"
cd "$(dirname "$0")/.."
# What the machine and the clone lack, before any long work (seconds when nothing is): see scripts/setup.js.
node scripts/setup.js e2e-install

started=$(date +%s)
report="${E2E_INSTALL_JSON_REPORT:-$PWD/test-results/e2e-install.json}"
case "$report" in /*) ;; *) report="$caller_dir/$report" ;; esac
mkdir -p "$(dirname "$report")"

eval "$(bash scripts/install-n8n.sh)"
echo "[e2e-install] n8n $N8N_VERSION, Node.js $("$NODE24_BIN/node" --version) for n8n, $(node --version) for jest" >&2

npm run build >&2

# The UI install needs Chromium; without it, see run-e2e.sh (TEST_ALLOW_MISSING).
ignore=()
if [ "$(node scripts/lib/systemRequirements.js state chromium)" = left-out ]; then
  for file in $(grep -l "require('playwright-core')" test/e2e-install/*.e2e.test.js); do
    ignore+=(--testPathIgnorePatterns "$file")
    node scripts/lib/systemRequirements.js left-out chromium "$file"
    echo "[e2e-install] left out $file: Chromium is missing and TEST_ALLOW_MISSING allows it" >&2
  done
fi

status=0
E2E_SKIP_BUILD=1 npx jest --config test/e2e-install/jest.config.js --json --outputFile "$report" "${ignore[@]}" "$@" || status=$?

echo "[e2e-install] finished in $(( $(date +%s) - started )) s with exit code $status; report: $report" >&2
exit "$status"
