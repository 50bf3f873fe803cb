#!/usr/bin/env bash
# bench/lib.sh - shared set-up for the wrk benchmarks (sourced, not run):
# a fresh data directory with a seeded population, hearth started on a free
# 127.0.0.1 port, and the tokens the scenarios need.
#
#   bench_setup                  database in $dir (USERS seeded users)
#   bench_start THREADS [PREFIX] server in the background: $pid, $base
#   bench_stop                   SIGTERM and wait
#   wrk_rps OUT                  requests/s from wrk's output
BIN=${HEARTH_BIN:-build/hearth}
USERS=${USERS:-20000}
FOLLOWS=${FOLLOWS:-20}
[ -x "$BIN" ] || { echo "bench: build first (make build)"; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)"; exit 1; }

dir=$(mktemp -d)
pid=""
bench_stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
  pid=""
}
bench_cleanup() { bench_stop; rm -rf "$dir"; return 0; }
trap bench_cleanup EXIT

export HEARTH_DATA_DIR="$dir" HEARTH_PASSWORD_COST=min HEARTH_JWT_SECRET=bench-secret-0123456789

bench_setup() {
  "$BIN" migrate >/dev/null
  "$BIN" seed --users "$USERS" --follows-per-user "$FOLLOWS" --seed 1 >/dev/null 2>&1
  "$BIN" user create --username benchadmin --password 'Adm1n!pass' --role admin >/dev/null
  admin_id=$("$BIN" sql "SELECT id FROM users WHERE username = 'benchadmin'")
  client=$("$BIN" client create --name bench | sed -E 's/.*"client_id":"([^"]+)".*/\1/')
  jwt=$("$BIN" token --user "$admin_id" --ttl 3600)
  # a user with a full first page of followers, and not a celebrity (whose
  # count would measure counting, not the page)
  popular=$("$BIN" sql "SELECT id FROM users WHERE followers_counter BETWEEN 20 AND 100 ORDER BY id LIMIT 1")
  popular=${popular:-2}
}

# bench_start THREADS [COMMAND PREFIX...]: starts the server, sets $pid and $base.
bench_start() {
  local threads=$1
  shift
  : >"$dir/out"
  local log=()
  [ -n "${ACCESS_LOG-off}" ] && log=(--access-log "${ACCESS_LOG-off}")
  "$@" "$BIN" serve --listen 127.0.0.1:0 --threads "$threads" "${log[@]}" >"$dir/out" 2>"$dir/err" &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/out")
  [ -n "$base" ] || { echo "bench: server did not start"; cat "$dir/err"; exit 1; }
  oauth=$(curl -s -X POST "$base/oauth/token/" -d grant_type=password -d username=benchadmin \
    -d 'password=Adm1n!pass' -d "client_id=$client" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
}

wrk_rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
