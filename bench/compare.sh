#!/usr/bin/env bash
# The benchmark command (README "More"; bench/README.md): installs what it needs, builds idm and
# the ceiling server in Release, installs the peer (node-oidc-provider, pinned in
# bench/peer/package-lock.json), starts a throwaway PostgreSQL for the admin scenarios, and runs
# bench/compare.py (every scenario against idm, the peer and the ceilings in one run). Arguments go
# to compare.py; the full run of docs/performance.md is
#   bench/compare.sh --users 1000000 --soak 600 --conns 1,16,256,2000,10000
# Results: bench/results/<UTC stamp>.md and .json.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test
# haproxy: the reverse-proxy deployment measured at 2,000 and 10,000 connections (design 022).
if ! command -v haproxy >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "bench: Node.js and npm are needed for the peer (scripts/install-deps.sh --test)" >&2; exit 1; }

cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DIDM_BUILD_TESTS=OFF -DIDM_UNITY_BUILD=ON >/dev/null
ninja -C build/bench idm idm-bench-ceiling idm-bench-fairness idm-bench-login

(cd bench/peer && { [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]] ||
  npm ci --no-audit --no-fund --loglevel=error; })

pg_dir=""
cleanup() { [[ -n "$pg_dir" ]] && tests/scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1; true; }
trap cleanup EXIT INT TERM
pg_args=()
if [[ -z "${IDM_BENCH_PG_URL:-}" ]]; then
  pg_dir="$(mktemp -d /tmp/idm-bench-pg.XXXXXX)"; chmod 755 "$pg_dir"
  pg_url="$(tests/scripts/pg.sh start "$pg_dir")"
  # The test cluster keeps PostgreSQL's 128 MB of shared buffers; a million users' table and
  # indexes are ~350 MB. A server sized for that directory gets 1 GB (a quarter of a small host).
  psql -q "$pg_url" -c "ALTER SYSTEM SET shared_buffers = '1GB'"
  pg_url="$(tests/scripts/pg.sh restart "$pg_dir")"
  # compare.py pins the cluster to the server's CPU beside idm and pauses it after its
  # scenarios (pin_postgres()).
  pg_args=(--pg-url "$pg_url" --pg-dir "$pg_dir")
fi

python3 bench/compare.py --idm build/bench/idm/app/idm \
  --ceiling build/bench/bench/ceiling/idm-bench-ceiling \
  --fairness build/bench/bench/fairness/idm-bench-fairness \
  --login-tool build/bench/bench/login/idm-bench-login "${pg_args[@]}" "$@"
