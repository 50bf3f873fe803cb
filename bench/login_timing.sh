#!/usr/bin/env bash
# bench/login_timing.sh - does a failed login tell whether the account exists?
#
# Starts hearth on a fresh database (127.0.0.1, a free port) at the production
# password cost (argon2id "interactive" unless HEARTH_PASSWORD_COST says
# otherwise), then sends TRIES password grants with a wrong password for an
# existing user and TRIES for an unknown username, interleaved so that both
# see the same load on this shared machine, and prints the median time of each
# and their ratio (and the first unknown login after start, which also makes
# the dummy hash). Every reply must be 400 invalid_grant: the server clock is
# moved on by a rate-limit window before each pair (HEARTH_CLOCK_FILE), so the
# login limits never answer 429 instead of checking the password.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
TRIES=${TRIES:-200}
WARMUP=${WARMUP:-5}
WINDOW_S=900 # src/auth/ratelimit.h RATELIMIT_WINDOW_S
[ -x "$BIN" ] || { echo "login_timing: build first (make build)"; exit 1; }

dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

export HEARTH_DATA_DIR="$dir" HEARTH_JWT_SECRET=bench-secret-0123456789 HEARTH_CLOCK_FILE="$dir/clock"
export HEARTH_PASSWORD_COST=${HEARTH_PASSWORD_COST:-interactive}
echo 0 >"$dir/clock"
"$BIN" migrate >/dev/null
"$BIN" user create --username admin --password 'Adm1n!pass' --role admin >/dev/null
"$BIN" user create --username existing --password 'Ex1sting!pass' --email existing@example.com >/dev/null
client=$("$BIN" client create --name bench | sed -E 's/.*"client_id":"([^"]+)".*/\1/')

"$BIN" serve --listen 127.0.0.1:0 --threads 2 >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 50); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/out")
[ -n "$base" ] || { echo "login_timing: server did not start"; cat "$dir/err"; exit 1; }

offset=0
# One failed login; appends its time in seconds to file $2.
attempt() {
  local out
  out=$(curl -s -o "$dir/body" -w '%{http_code} %{time_total}' -X POST "$base/oauth/token/" \
    -d grant_type=password --data-urlencode "username=$1" -d 'password=Wr0ng!password' -d "client_id=$client")
  if [ "${out%% *}" != 400 ] || ! grep -q invalid_grant "$dir/body"; then
    echo "login_timing: expected 400 invalid_grant for '$1', got $out $(cat "$dir/body")"; exit 1
  fi
  [ -n "${2:-}" ] && echo "${out#* }" >>"$2"
  return 0
}

pair() { # $1: where to record, empty while warming up
  offset=$((offset + WINDOW_S + 1))
  echo "$offset" >"$dir/clock"
  if [ $(($2 % 2)) -eq 0 ]; then
    attempt existing "${1:+$dir/existing}"; attempt "unknown-$2" "${1:+$dir/unknown}"
  else
    attempt "unknown-$2" "${1:+$dir/unknown}"; attempt existing "${1:+$dir/existing}"
  fi
}

# the very first unknown login also makes the dummy hash: it must not take
# twice as long as the others
offset=$((offset + WINDOW_S + 1)); echo "$offset" >"$dir/clock"
attempt existing ""; attempt existing "" # the server's own first-request costs
attempt first-unknown "$dir/first"
for i in $(seq 1 "$WARMUP"); do pair "" "$i"; done
: >"$dir/existing"; : >"$dir/unknown"
for i in $(seq 1 "$TRIES"); do pair yes "$i"; done

median() { sort -g "$1" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
m_existing=$(median "$dir/existing")
m_unknown=$(median "$dir/unknown")
echo "password cost: $HEARTH_PASSWORD_COST, tries: $TRIES each"
awk -v e="$m_existing" -v u="$m_unknown" -v f="$(cat "$dir/first")" 'BEGIN {
  printf "first unknown user after start:       %.1f ms\n", f * 1000
  printf "median existing user, wrong password: %.1f ms\n", e * 1000
  printf "median unknown user:                  %.1f ms\n", u * 1000
  printf "ratio unknown/existing:               %.3f\n", u / e
}'
