#!/usr/bin/env bash
# pg.sh: a throwaway PostgreSQL cluster for idm's tests. Never touches the system cluster: the
# data, the unix socket, the log and the port file all live in the DIR you name.
#
#   pg.sh start DIR    create the cluster in DIR if it does not exist yet (initdb), start it on a
#                      free TCP port of 127.0.0.1 (the same port again when DIR already has one),
#                      wait until it accepts connections, create database `idm`, and print
#                      postgresql://postgres@127.0.0.1:PORT/idm
#   pg.sh pause DIR    stop the server, keep the data (start or restart brings it back, same port)
#   pg.sh restart DIR  stop it if running, then start it again on the same port; prints the URL
#   pg.sh stop DIR     stop the server and remove DIR
#   pg.sh url DIR      print the URL of the cluster in DIR
#
# Runs as root (CI on Debian 12 with the `postgresql` package): initdb and the server run as the
# `postgres` user through runuser, and DIR is chown'ed to it (its parent must be traversable, e.g.
# under /tmp). As any other user the binaries run as that user. Authentication is `trust` on
# loopback only: this is a test cluster and must never hold real data.
set -euo pipefail

readonly kMarker=".idm-test-cluster"
readonly kDatabase="idm"

die() { echo "pg.sh: $*" >&2; exit 1; }

usage() {
  echo "usage: pg.sh {start|pause|restart|stop|url} DIR" >&2
  exit 2
}

find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  done
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir; return 0
  fi
  die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
}

# Runs a command as the cluster owner.
as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on right now. The server start below retries with
# another one if it loses a race for it.
pick_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

url_of() { echo "postgresql://postgres@127.0.0.1:$(cat "$1/port")/$kDatabase"; }

is_running() { as_owner "$BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }

init_cluster() {
  local dir="$1"
  mkdir -p "$dir"
  [[ -z "$(ls -A "$dir")" ]] || die "$dir exists and is not empty; refusing to initialise it"
  touch "$dir/$kMarker"
  if [[ "$(id -u)" == "0" ]]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  as_owner "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  # Speed over durability: the cluster is thrown away after the tests.
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
}

# Starts the server on DIR's port, choosing one first when DIR has none yet.
start_server() {
  local dir="$1" attempt
  for attempt in $(seq 1 5); do
    if [[ ! -s "$dir/port" ]]; then pick_port >"$dir/port"; fi
    if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $(cat "$dir/port")" start >/dev/null 2>&1; then
      return 0
    fi
    # A port chosen here (not yet used by a successful start) may have been taken meanwhile.
    if [[ -e "$dir/port.used" ]]; then break; fi
    rm -f "$dir/port"
  done
  tail -n 20 "$dir/server.log" >&2 || true
  die "could not start the server in $dir"
}

create_database() {
  local dir="$1" port
  port="$(cat "$dir/port")"
  if ! as_owner "$BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAq \
      -c "SELECT 1 FROM pg_database WHERE datname = '$kDatabase'" | grep -q 1; then
    as_owner "$BIN/createdb" -h "$dir" -p "$port" -U postgres "$kDatabase"
  fi
}

cmd_start() {
  local dir="$1"
  if [[ ! -e "$dir/$kMarker" ]]; then init_cluster "$dir"; fi
  if ! is_running "$dir"; then start_server "$dir"; fi
  touch "$dir/port.used"
  create_database "$dir"
  url_of "$dir"
}

cmd_pause() {
  local dir="$1"
  if is_running "$dir"; then
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
  fi
}

cmd_stop() {
  local dir="$1"
  cmd_pause "$dir"
  rm -rf -- "$dir"
}

main() {
  [[ $# -eq 2 ]] || usage
  local cmd="$1" dir
  dir="$(realpath -m -- "$2")"
  [[ "$dir" != "/" ]] || die "refusing to use /"
  BIN="$(find_bindir)"
  case "$cmd" in
    start) cmd_start "$dir" ;;
    restart|pause|stop|url)
      [[ -e "$dir/$kMarker" ]] || die "$dir holds no cluster made by pg.sh"
      case "$cmd" in
        restart) cmd_pause "$dir"; cmd_start "$dir" ;;
        pause) cmd_pause "$dir" ;;
        stop) cmd_stop "$dir" ;;
        url) url_of "$dir" ;;
      esac ;;
    *) usage ;;
  esac
}

main "$@"
