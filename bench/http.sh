#!/usr/bin/env bash
# bench/http.sh - wrk benchmark of the read endpoints, side by side in one run.
#
# Starts hearth on a fresh database (127.0.0.1, a free port), then drives each
# endpoint with wrk for DURATION seconds and prints requests per second,
# p50/p99 latency, and the ratio to the cheapest request (a JSON 404, which
# exercises parsing, routing and rendering but no storage). Ratios are what to
# compare across runs: this machine is shared and absolute numbers drift.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${SERVER_THREADS:-2}
[ -x "$BIN" ] || { echo "bench: build first (make build)"; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)"; exit 1; }

dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

export HEARTH_DATA_DIR="$dir" HEARTH_PASSWORD_COST=min HEARTH_JWT_SECRET=bench-secret-0123456789
"$BIN" migrate >/dev/null
"$BIN" user create --username admin --password 'Adm1n!pass' --role admin >/dev/null
for i in $(seq 1 60); do "$BIN" user create --username "user$i" --password 'Us3r!pass' >/dev/null; done
client=$("$BIN" client create --name bench | sed -E 's/.*"client_id":"([^"]+)".*/\1/')

"$BIN" serve --listen 127.0.0.1:0 --threads "$THREADS" >"$dir/out" 2>/dev/null &
pid=$!
for _ in $(seq 50); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/out")
[ -n "$base" ] || { echo "bench: server did not start"; exit 1; }
rss_start=$(ps -o rss= -p "$pid" | tr -d ' ')

oauth=$(curl -s -X POST "$base/oauth/token/" -d grant_type=password -d username=admin \
  -d 'password=Adm1n!pass' -d "client_id=$client" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
jwt=$("$BIN" token --user 1 --ttl 3600)

run() { # name path [token]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $3" "$base$2")
  else
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base$2")
  fi
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$1|$2|$rps|$p50|$p99|${non2xx:-0}"
}

rows=()
rows+=("$(run 'JSON 404 (baseline)' /api/v2/nope/)")
rows+=("$(run 'GET user, anonymous' /api/v2/user/2/)")
rows+=("$(run 'GET me, OAuth token' /api/v2/user/me/ "$oauth")")
rows+=("$(run 'GET me, JWT' /api/v2/user/me/ "$jwt")")
rows+=("$(run 'GET user list, 20/page' '/api/v2/user/?limit=20' "$oauth")")
rss_end=$(ps -o rss= -p "$pid" | tr -d ' ')

base_rps=$(cut -d'|' -f3 <<<"${rows[0]}")
echo
echo "hearth $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $THREADS server threads, wrk -t2 -c$CONNECTIONS -d${DURATION}s, $(nproc) cores"
echo
printf '| %-24s | %-24s | %9s | %8s | %8s | %8s | %s |\n' request path req/s p50 p99 ratio non-2xx
printf '|%s|%s|%s|%s|%s|%s|%s|\n' -------------------------- -------------------------- ----------- ---------- ---------- ---------- ---------
for r in "${rows[@]}"; do
  IFS='|' read -r name path rps p50 p99 non2xx <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
  printf '| %-24s | %-24s | %9s | %8s | %8s | %8s | %s |\n' "$name" "$path" "$rps" "$p50" "$p99" "$ratio" "$non2xx"
done
echo
echo "server RSS: ${rss_start} KiB at rest after start, ${rss_end} KiB after the run"
