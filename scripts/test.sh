#!/usr/bin/env bash
# The whole test suite: type-check and build, start a throwaway PostgreSQL, then every unit and
# integration test — integration suites run against PGlite and PostgreSQL both.
# Usage: npm test [-- FILE_FILTER]   (e.g. npm test -- accounts)
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf dist
npx tsc -p .
source scripts/postgres-for-tests.sh

mapfile -t files < <(find dist -name '*.test.js' -not -path '*/node_modules/*' | sort | grep -- "${1:-}")
[ "${#files[@]}" -gt 0 ] || { echo "test: no test files match '${1:-}'" >&2; exit 1; }

node --test --enable-source-maps --test-concurrency=3 --test-reporter=spec "${files[@]}"
