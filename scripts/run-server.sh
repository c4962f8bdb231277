#!/usr/bin/env bash
# README command 1: install what idm needs, build it (Release, build/release), and run the server
# with its state in ./var (SQLite database and, on the first start, a generated KEK).
#
#   scripts/run-server.sh                  listen on 127.0.0.1:8080
#   scripts/run-server.sh --listen 0.0.0.0:8080 --log-format text
#
# Extra arguments go to `idm serve`. Configuration: docs/configuration.md (IDM_* variables work
# too, e.g. IDM_BOOTSTRAP_ADMIN_PASSWORD for the first administrator).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DIDM_BUILD_TESTS=OFF -DIDM_UNITY_BUILD=ON >/dev/null
ninja -C build/release -j"${IDM_BUILD_JOBS:-2}" idm
mkdir -p var
exec build/release/idm/app/idm serve --data-dir "${IDM_DATA_DIR:-./var}" "$@"
