#!/usr/bin/env bash
# README command 2: every test, the way CI runs it (.ci/run calls this script).
#   1. install build + test dependencies (scripts/install-deps.sh --test);
#   2. build Release with tests in build/release and run ctest;
#   3. build with AddressSanitizer + UndefinedBehaviorSanitizer in build/asan and run ctest again.
# Both runs see a throwaway PostgreSQL (tests/scripts/pg.sh) through IDM_TEST_PG_URL, so the
# storage contract and integration suites run on SQLite and on PostgreSQL. The cluster is removed on
# exit, whatever happens. Exit status: non-zero if anything failed. Parallelism: -j2 (IDM_BUILD_JOBS).
set -uo pipefail
cd "$(dirname "$0")/.."
jobs="${IDM_BUILD_JOBS:-2}"

scripts/install-deps.sh --test || exit 1

pg_dir=""
cleanup() { [[ -n "$pg_dir" ]] && tests/scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1; true; }
trap cleanup EXIT INT TERM

if [[ -x tests/scripts/pg.sh ]]; then
  pg_dir="$(mktemp -d /tmp/idm-pg.XXXXXX)"
  chmod 755 "$pg_dir"
  if url="$(tests/scripts/pg.sh start "$pg_dir")"; then
    export IDM_TEST_PG_URL="$url"
    export IDM_TEST_PG_DIR="$pg_dir"
    echo "run-tests: PostgreSQL at $IDM_TEST_PG_URL"
  else
    echo "run-tests: could not start PostgreSQL" >&2
    exit 1
  fi
else
  echo "run-tests: tests/scripts/pg.sh missing: PostgreSQL suites will skip" >&2
fi

# build_and_test NAME DIR CMAKE_ARGS...: configure, build, run ctest; returns ctest's status.
build_and_test() {
  local name="$1" dir="$2"; shift 2
  rm -f "$dir/ctest.log"
  echo "run-tests: == $name: configure + build ($dir)"
  cmake -S . -B "$dir" -G Ninja -DIDM_BUILD_TESTS=ON -DIDM_UNITY_BUILD=ON "$@" >/dev/null || return 1
  ninja -C "$dir" -j"$jobs" || return 1
  echo "run-tests: == $name: ctest"
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 600) | tee "$dir/ctest.log"
  local rc=${PIPESTATUS[0]}
  return "$rc"
}

status=0
build_and_test release build/release -DCMAKE_BUILD_TYPE=Release; release_rc=$?
# The sanitizer build: -Og -g1 compiles faster and runs the tests faster than -O0 -g while keeping
# file:line in reports; each test binary runs as a few shards instead of one process per test case.
build_and_test asan build/asan -DCMAKE_BUILD_TYPE=Debug -DIDM_SANITIZE=ON \
  "-DCMAKE_CXX_FLAGS_DEBUG=-Og -g1" -DIDM_TEST_SHARDS=3; asan_rc=$?

echo
echo "run-tests: ===== summary ====="
for run in release asan; do
  dir="build/$run"
  summary="$(grep -E 'tests passed|tests failed' "$dir/ctest.log" 2>/dev/null | tail -1)"
  echo "run-tests: $run: ${summary:-build failed}"
done
((release_rc != 0 || asan_rc != 0)) && status=1
exit "$status"
