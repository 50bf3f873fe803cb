#!/usr/bin/env bash
# bench/cpu.sh OLD_BIN [NEW_BIN] - server CPU time per request (user +
# system, from /proc/PID/stat) of two builds of hearth side by side on one
# seeded database, in interleaved rounds. CPU per request hardly moves with
# the load other processes put on a shared machine, where requests per
# second do: it is the measure to compare two builds with.
#   ROUNDS (3), USERS (20000), DURATION per scenario (4 s), CONNECTIONS (16)
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/cpu.sh OLD_BIN [NEW_BIN]}
NEW=${2:-build/hearth}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-4}
CONNECTIONS=${CONNECTIONS:-16}
HEARTH_BIN=$NEW
source bench/lib.sh
bench_setup

start() { # BIN: prints "PID BASE"
  local out="$dir/out.$RANDOM"
  "$1" serve --listen 127.0.0.1:0 --threads 2 --access-log off >"$out" 2>>"$dir/err" &
  local p=$!
  for _ in $(seq 100); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
  echo "$p $(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$out")"
}
read -r opid obase < <(start "$OLD")
read -r npid nbase < <(start "$NEW")
trap 'kill $opid $npid 2>/dev/null || true; bench_cleanup' EXIT
# an OAuth token (a row in the shared database: both builds accept it)
oauth=$(curl -s -X POST "$nbase/oauth/token/" -d grant_type=password -d username=benchadmin \
  -d 'password=Adm1n!pass' -d "client_id=$client" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
tck=$(getconf CLK_TCK)

cpu_us() { # PID URL [wrk args]: CPU microseconds per request
  local p=$1 url=$2
  shift 2
  local a b out n
  a=$(awk '{print $14+$15}' "/proc/$p/stat")
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$@" "$url")
  b=$(awk '{print $14+$15}' "/proc/$p/stat")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  echo $(((b - a) * 1000000 / tck / n))
}

scenarios=("GET user|/api/v2/user/2/" "followers page, 20|/api/v2/user/$popular/followers/?limit=20"
  "user list page, 20|/api/v2/user/?limit=20" "GET me, JWT|/api/v2/user/me/" "GET me, OAuth token|/api/v2/user/me/")
echo "| scenario | round | old µs/request | new µs/request | new/old |"
echo "|---|---|---|---|---|"
for r in $(seq "$ROUNDS"); do
  for s in "${scenarios[@]}"; do
    name=${s%%|*} path=${s#*|}
    token=$jwt
    [[ $name == *OAuth* ]] && token=$oauth
    o=$(cpu_us "$opid" "$obase$path" -H "Authorization: Bearer $token")
    n=$(cpu_us "$npid" "$nbase$path" -H "Authorization: Bearer $token")
    echo "| $name | $r | $o | $n | $(awk -v o="$o" -v n="$n" 'BEGIN {printf "%.2f", n / o}') |"
  done
done
