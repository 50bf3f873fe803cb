#!/usr/bin/env bash
# bench/recover_timing.sh - does POST /api/v2/account/recover/ tell whether
# an account uses the address, by its time?
#
# Starts hearth on a fresh database (127.0.0.1, a free port; mail written as
# .eml files), then sends TRIES recover requests for an existing account's
# address and TRIES for unknown addresses, interleaved so that both see the
# same load on this shared machine, and prints the median time of each and
# their ratio. Every reply must be 204: the server clock is moved on by a
# rate-limit window before each pair (HEARTH_CLOCK_FILE), so the limits
# never answer 429.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
TRIES=${TRIES:-200}
WARMUP=${WARMUP:-5}
WINDOW_S=900 # src/auth/ratelimit.h RATELIMIT_WINDOW_S
[ -x "$BIN" ] || { echo "recover_timing: build first (make build)"; exit 1; }

dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

export HEARTH_DATA_DIR="$dir" HEARTH_JWT_SECRET=bench-secret-0123456789 HEARTH_CLOCK_FILE="$dir/clock"
export HEARTH_PASSWORD_COST=min
echo 0 >"$dir/clock"
"$BIN" migrate >/dev/null
"$BIN" user create --username admin --password 'Adm1n!pass' --role admin >/dev/null
"$BIN" user create --username existing --password 'Ex1sting!pass' --email existing@example.com >/dev/null

"$BIN" serve --listen 127.0.0.1:0 --threads 2 --access-log off >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 50); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/out")
[ -n "$base" ] || { echo "recover_timing: server did not start"; cat "$dir/err"; exit 1; }

offset=0
# One recover request; appends its time in seconds to file $2.
attempt() {
  local out
  out=$(curl -s -o "$dir/body" -w '%{http_code} %{time_total}' -X POST "$base/api/v2/account/recover/" \
    -H 'Content-Type: application/json' -d "{\"email\":\"$1\"}")
  if [ "${out%% *}" != 204 ]; then
    echo "recover_timing: expected 204 for '$1', got $out $(cat "$dir/body")"; exit 1
  fi
  [ -n "${2:-}" ] && echo "${out#* }" >>"$2"
  return 0
}

pair() { # $1: where to record, empty while warming up
  offset=$((offset + WINDOW_S + 1))
  echo "$offset" >"$dir/clock"
  if [ $(($2 % 2)) -eq 0 ]; then
    attempt existing@example.com "${1:+$dir/existing}"; attempt "unknown-$2@example.com" "${1:+$dir/unknown}"
  else
    attempt "unknown-$2@example.com" "${1:+$dir/unknown}"; attempt existing@example.com "${1:+$dir/existing}"
  fi
}

for i in $(seq 1 "$WARMUP"); do pair "" "$i"; done
: >"$dir/existing"; : >"$dir/unknown"
for i in $(seq 1 "$TRIES"); do pair yes "$i"; done

median() { sort -g "$1" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
m_existing=$(median "$dir/existing")
m_unknown=$(median "$dir/unknown")
echo "tries: $TRIES each; mail written as .eml files ($(ls "$dir/mail" | wc -l) messages)"
awk -v e="$m_existing" -v u="$m_unknown" 'BEGIN {
  printf "median existing address: %.3f ms\n", e * 1000
  printf "median unknown address:  %.3f ms\n", u * 1000
  printf "ratio unknown/existing:  %.3f\n", u / e
}'
