#!/usr/bin/env bash
# Runs the signature-verification benchmark (bench/verify.bench.js) on the Node 20 this project builds and tests with
# and on the Node 24 that n8n 2.x runs on, against one build, and prints both tables. Node 24 matters most: it is
# where the nodes run, and it prices some crypto calls differently (a createHmac with a Buffer key costs ~25-35 µs
# there, ~5 µs with a KeyObject).
#
#   bash scripts/bench-verify.sh                     builds dist/ (npm run build), then benchmarks it
#   BENCH_DIST=/tmp/bench-dist bash scripts/bench-verify.sh    benchmarks an existing compiled tree, no build
#   NODE20=/path/to/node bash scripts/bench-verify.sh          another Node 20 than the one on PATH
# BENCH_ROUNDS, BENCH_ROUND_MS and BENCH_WARMUP_MS pass through to the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

node20="${NODE20:-node}"
# Resolved before the build, so that a missing Node 24 fails fast (install-n8n.sh is idempotent).
eval "$(bash scripts/install-n8n.sh)"
node24="$NODE24_BIN/node"

if [ -z "${BENCH_DIST:-}" ]; then
  npm run build >&2
  export BENCH_DIST="$PWD/dist"
fi

for runtime in "$node20" "$node24"; do
  version="$("$runtime" --version)"
  echo "=============================== Node $version ($runtime) ==============================="
  case "$version" in
    v20.*|v24.*) ;;
    *) echo "(note: expected Node 20 or 24 here, got $version)" ;;
  esac
  "$runtime" bench/verify.bench.js
  echo
done
