#!/usr/bin/env bash
# The interop suite (docs/oidc.md, "Interop"): third-party software drives the real idm binary.
#   IDM_BINARY=build/release/idm/app/idm tests/interop/run.sh [test files...]
# Installs the npm packages pinned in package-lock.json once (npm ci; the npm registry is the only
# network use), then runs node's test runner. IDM_TEST_PG_URL, when set, puts idm on a fresh
# PostgreSQL database per server; otherwise idm runs on SQLite.
set -euo pipefail
[[ -n "${IDM_BINARY:-}" ]] || { echo "interop: IDM_BINARY is not set" >&2; exit 2; }
# A path relative to where the script was started from, before the cd below.
IDM_BINARY="$(realpath "$IDM_BINARY")"; export IDM_BINARY
cd "$(dirname "$0")"
# The PostgreSQL variant (ctest interop_postgres) has nothing to run on without a server: skip.
if [[ "${IDM_INTEROP_REQUIRE_PG:-}" == 1 && -z "${IDM_TEST_PG_URL:-}" ]]; then
  echo "interop: IDM_TEST_PG_URL is not set: skipping the PostgreSQL run"; exit 77
fi
# npm ci rewrites node_modules; a lock keeps two concurrent runs (release and asan ctest) apart.
exec 9>".npm-install.lock"
flock 9
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
flock -u 9
if (($# == 0)); then set -- *.test.mjs; fi
exec node --test --test-concurrency=1 --test-reporter=spec "$@"
