#!/usr/bin/env bash
# Installs what hearth needs to build, test and benchmark on Debian 12,
# skipping what is already there. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libmicrohttpd-dev libjansson-dev libsodium-dev libsqlite3-dev libutf8proc-dev libgumbo-dev
  libzip-dev
  libcurl4-openssl-dev
  libcmocka-dev
  # PostgreSQL 15: libpq to build; the server and psql (postgresql-client-15)
  # for the throwaway test clusters of scripts/pg-cluster.sh
  libpq-dev postgresql-15
  nodejs npm
  python3-aiosmtpd
  sqlite3 wrk
  # the cluster API test's load balancer (tests/api/cluster.test.js)
  haproxy
  clang libclang-rt-14-dev clang-format cppcheck
  chromium
)
# `install-deps.sh --bench` (make bench, make bench-syscalls): nginx as the
# reference server, strace for the system-call counts, valgrind for the
# instruction counts (bench/instructions.sh)
if [ "${1:-}" = "--bench" ]; then
  packages+=(nginx-light strace valgrind)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# nodejs may come from elsewhere than Debian; accept any node >= 18 with npm
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
