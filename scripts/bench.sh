#!/usr/bin/env bash
# npm run bench: build, start a throwaway PostgreSQL, run every benchmark on PGlite and PostgreSQL.
# BENCH_PEOPLE (default 100000) and BENCH_QUERIES (default 300) size the people benchmark;
# BENCH_ROUNDS (default 5) alternated rounds of BENCH_SECONDS (default 4) per server and
# BENCH_CONNECTIONS (default 8) the ingest benchmark (autocannon);
# BENCH_EVENTS (default 100000) and BENCH_TEAM_EVENTS (default 1000000) the privacy benchmark.
# BENCH_ONLY=people|ingest|privacy runs one of them. Ingest: BENCH_SIZES (default 100,1) are its batch
# sizes; BENCH_PROFILE=<dir> has both of its servers write a CPU profile there.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${HAVEN_BENCH_OUT:-dist}"
npx tsc -p . --outDir "$out"
source scripts/postgres-for-tests.sh
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), Node $(node --version)"
only="${BENCH_ONLY:-}"
for engine in pglite postgres; do
  if [ -z "$only" ] || [ "$only" = people ]; then node --enable-source-maps "$out/bench/people.bench.js" "$engine"; fi
  if [ -z "$only" ] || [ "$only" = ingest ]; then node --enable-source-maps "$out/bench/ingest.bench.js" "$engine"; fi
  if [ -z "$only" ] || [ "$only" = privacy ]; then node --enable-source-maps --expose-gc "$out/bench/privacy.bench.js" "$engine"; fi
done
