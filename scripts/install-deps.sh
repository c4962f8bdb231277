#!/usr/bin/env bash
# Installs the Debian 12 packages idm needs to build, run and test. Idempotent; installs only what is
# missing. Every package is justified in docs/design/001-dependencies.md.
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the tests use (PostgreSQL server, oathtool, ...)
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build ccache pkg-config
  libssl-dev libsqlite3-dev libpq-dev nlohmann-json3-dev libcpp-httplib-dev
  libargon2-dev liboath-dev libqrencode-dev libtomlplusplus-dev libcli11-dev libcbor-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev sqlite3 libhttp-parser-dev)
test_pkgs=(lld postgresql oathtool wrk curl python3 python3-aiosmtpd chromium apache2 libapache2-mod-auth-openidc)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${test_pkgs[@]}")
  # Node.js may come from Debian (nodejs + npm) or already be present with its own npm.
  command -v npm >/dev/null || want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
