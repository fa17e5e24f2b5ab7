#!/usr/bin/env bash
# The whole test suite: type-check and build, start a throwaway PostgreSQL, then every unit and
# integration test — integration suites run against PGlite and PostgreSQL both.
# Usage: npm test [-- FILE_FILTER]   (e.g. npm test -- accounts)
set -euo pipefail
cd "$(dirname "$0")/.."

# HAVEN_TEST_OUT lets several runs build side by side (default: dist).
out="${HAVEN_TEST_OUT:-dist}"
rm -rf "$out"
npx tsc -p . --outDir "$out"
# The web app: type-checked, then built beside the compiled server, where it is served from.
npx tsc -p web
npx vite build --config web/vite.config.ts --outDir "$(realpath -m "$out")/web-app" --emptyOutDir --logLevel warn
# The TLS test makes a throwaway certificate with openssl.
if ! command -v openssl >/dev/null; then
  echo "test: installing openssl" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq openssl >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq openssl >/dev/null; fi
fi
# The browser snippet's end-to-end test drives Debian's Chromium (no browser download is possible).
if ! command -v chromium >/dev/null; then
  echo "test: installing Debian's chromium for the browser snippet test" >&2
  if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
  if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    # In CI the browser tests are part of the proof: no browser is a failure, not a skip.
    if [ -n "${CI:-}" ]; then echo "test: could not install chromium, which CI needs for the browser tests" >&2; exit 1; fi
    echo "test: could not install chromium; the browser tests will be skipped" >&2
  fi
fi
source scripts/postgres-for-tests.sh

mapfile -t files < <(find "$out" -name '*.test.js' -not -path '*/node_modules/*' | sort | grep -- "${1:-}")
[ "${#files[@]}" -gt 0 ] || { echo "test: no test files match '${1:-}'" >&2; exit 1; }

node --test --enable-source-maps --test-concurrency=3 --test-reporter=spec "${files[@]}"
