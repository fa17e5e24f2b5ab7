#!/usr/bin/env bash
# npm run bench: build, start a throwaway PostgreSQL, run every benchmark on PGlite and PostgreSQL.
# BENCH_PEOPLE (default 100000) and BENCH_QUERIES (default 300) size the people benchmark;
# BENCH_SECONDS (default 8) and BENCH_CONNECTIONS (default 8) the ingest benchmark (autocannon);
# BENCH_EVENTS (default 100000) and BENCH_TEAM_EVENTS (default 1000000) the privacy benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${HAVEN_BENCH_OUT:-dist}"
npx tsc -p . --outDir "$out"
source scripts/postgres-for-tests.sh
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), Node $(node --version)"
for engine in pglite postgres; do
  node --enable-source-maps "$out/bench/people.bench.js" "$engine"
  node --enable-source-maps "$out/bench/ingest.bench.js" "$engine"
  node --enable-source-maps --expose-gc "$out/bench/privacy.bench.js" "$engine"
done
