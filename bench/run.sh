#!/usr/bin/env bash
# Measures idm on this machine and prints Markdown rows for docs/performance.md:
#   - start-up time: `idm serve` exec -> first 200 from /health/ready (fresh data dir);
#   - restart time on the populated database (no bootstrap), and idle RSS after each start;
#   - idle RSS after start-up;
#   - admin API throughput with wrk: user create (POST, Lua script) and user get (GET), with a
#     client-credentials token of the bootstrap client;
#   - OpenID Connect (bench/oidc.py): token endpoint throughput for client credentials (ES256 and
#     RS256 realms) and refresh-token rotation, and the full browser login round trip;
# on SQLite, and on PostgreSQL when IDM_BENCH_PG_URL is set (or a throwaway cluster via
# tests/scripts/pg.sh when it exists).
#
#   bench/run.sh [path/to/idm]      (default build/release/idm/app/idm)
# Environment: IDM_BENCH_DURATION (default 10s), IDM_BENCH_THREADS (2), IDM_BENCH_CONNECTIONS (16).
set -euo pipefail
cd "$(dirname "$0")/.."
idm="${1:-build/release/idm/app/idm}"
duration="${IDM_BENCH_DURATION:-10s}"
threads="${IDM_BENCH_THREADS:-2}"
conns="${IDM_BENCH_CONNECTIONS:-16}"
secret="bench-client-secret-0123456789-abcdefghijkl"
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh --test)" >&2; exit 1; }
[[ -x "$idm" ]] || { echo "bench: $idm not built (scripts/run-server.sh builds it)" >&2; exit 1; }

work="$(mktemp -d /tmp/idm-bench.XXXXXX)"; chmod 755 "$work"
server_pid=""; pg_dir=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$pg_dir" ]] && tests/scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

# start_idm DATA DB PORT KEK: starts `idm serve` (with the bootstrap variables, used on a first start
# only), waits for /health/ready, then one idle second; sets server_pid, ready_ms and rss_kib.
start_idm() {
  local data="$1" db="$2" port="$3" kek="$4" start
  start="$(now_ms)"
  IDM_DATA_DIR="$data" IDM_DB="$db" IDM_LISTEN="127.0.0.1:$port" IDM_LOG_LEVEL=warn \
    IDM_KEK="$kek" IDM_BOOTSTRAP_ADMIN_PASSWORD="bench admin password" \
    IDM_BOOTSTRAP_ADMIN_CLIENT_ID=bench IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET="$secret" \
    "$idm" serve >>"$data/serve.log" 2>&1 &
  server_pid=$!
  until curl -fs "127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/serve.log" >&2; return 1; }
    sleep 0.005
  done
  ready_ms="$(( $(now_ms) - start ))"
  sleep 1
  rss_kib="$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")"
}

stop_idm() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# bench_backend NAME DB_URL: prints one Markdown table row.
bench_backend() {
  local name="$1" db="$2" port data token kek ready rss
  port="$(free_port)"; data="$work/$name"; mkdir -p "$data"; kek="$(openssl rand -hex 32)"
  start_idm "$data" "$db" "$port" "$kek" || return 1
  ready="$ready_ms"; rss="$rss_kib"
  token="$(curl -fs -u "bench:$secret" -d grant_type=client_credentials \
    "127.0.0.1:$port/realms/master/protocol/openid-connect/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "127.0.0.1:$port/admin/api/v1/realms"
  local create get uid
  create="$(TOKEN="$token" wrk -t"$threads" -c"$conns" -d"$duration" -s bench/create_user.lua \
    "http://127.0.0.1:$port/admin/api/v1/realms/bench/users" | awk '/Requests\/sec/ {print $2}')"
  uid="$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"username":"reader-target"}' "127.0.0.1:$port/admin/api/v1/realms/bench/users" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  get="$(wrk -t"$threads" -c"$conns" -d"$duration" -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/admin/api/v1/realms/bench/users/$uid" | awk '/Requests\/sec/ {print $2}')"
  oidc_rows+="| $name $(python3 bench/oidc.py "http://127.0.0.1:$port" bench "$secret" "$duration" \
    "$threads" "$conns")"$'\n'
  stop_idm
  # Restart on the now-populated database: the start-up an operator sees every day (no bootstrap).
  start_idm "$data" "$db" "$port" "$kek" || return 1
  stop_idm
  echo "| $name | $ready ms | $ready_ms ms | $((rss / 1024)) MiB | $((rss_kib / 1024)) MiB | $create | $get |"
}

echo "Machine: $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem/ {print $2}') GiB RAM, $(uname -sr)"
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ); idm $("$idm" version | cut -d' ' -f2); wrk -t$threads -c$conns -d$duration"
echo
oidc_rows=""
echo "| backend | first start to ready | restart to ready | idle RSS (first start) | idle RSS (restart) | user create (req/s) | user get (req/s) |"
echo "|---|---|---|---|---|---|---|"
bench_backend sqlite "sqlite:$work/sqlite/idm.db"
pg_url="${IDM_BENCH_PG_URL:-}"
if [[ -z "$pg_url" && -x tests/scripts/pg.sh ]]; then
  pg_dir="$work/pg"; mkdir -p "$pg_dir"
  pg_url="$(tests/scripts/pg.sh start "$pg_dir")" || pg_url=""
fi
if [[ -n "$pg_url" ]]; then bench_backend postgres "$pg_url"; fi
echo
echo "| backend | client credentials ES256 (req/s) | client credentials RS256 (req/s) | refresh rotation (req/s, $threads chains) | login round trip |"
echo "|---|---|---|---|---|"
printf '%s' "$oidc_rows"
