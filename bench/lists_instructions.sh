#!/usr/bin/env bash
# bench/lists_instructions.sh - instructions per list page at random
# offsets (valgrind's callgrind, one server thread, the whole process), for
# one or two builds on copies of one database: a measure of a page's cost
# that does not move with the machine's load (bench/lists.sh gives the
# wall-clock side).
#
# Each build's server gets, per list, N/5 warm-up pages then N measured
# ones on one keep-alive connection (counters zeroed before, dumped after),
# with the token of an ordinary user; the offsets are the same for every
# build (a fixed sequence over the visible users), so are the pages.
#
#   DB=/tmp/x/hearth.db BEFORE=/tmp/main/hearth [AFTER=build/hearth] [N=100] \
#     [LISTS='get default username -date_joined'] bash bench/lists_instructions.sh
# LISTS: `default`, any ordering of the user list (e.g. -date_joined), or
# `followers` (of the user whose followers_counter is nearest 100,000), or
# `get`: GET /api/v2/user/{id}/ of random ids, the reference.
# KEEP=dir keeps the copies (AFTER's migrated) for a later run.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${DB:?DB=path of a seeded database (copied, never written)}
BEFORE=${BEFORE:?BEFORE=path of a build}
AFTER=${AFTER:-}
N=${N:-100}
LISTS=${LISTS:-get default username -username real_name -location date_joined -date_joined followers}
command -v valgrind >/dev/null || { echo "bench: valgrind is missing"; exit 1; }

dir=${KEEP:-$(mktemp -d)}
mkdir -p "$dir"
vg=""
cleanup() {
  [ -z "$vg" ] || { kill "$vg" 2>/dev/null; wait "$vg" 2>/dev/null || true; }
  [ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
export HEARTH_JWT_SECRET=bench-secret-0123456789 HEARTH_PASSWORD_COST=min

builds=(before)
[ -n "$AFTER" ] && builds+=(after)
for b in "${builds[@]}"; do
  if [ ! -s "$dir/$b/hearth.db" ]; then
    mkdir -p "$dir/$b"
    cp "$DB" "$dir/$b/hearth.db"
  fi
done
bin() { if [ "$1" = before ]; then echo "$BEFORE"; else echo "$AFTER"; fi; }
for b in "${builds[@]}"; do
  "$(bin "$b")" migrate --data-dir "$dir/$b" >/dev/null
  "$(bin "$b")" sql --data-dir "$dir/$b" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
done

q() { "$BEFORE" sql --data-dir "$dir/before" "$1"; }
me=$(q "SELECT id FROM users WHERE status = 'a' AND role IS NULL ORDER BY id LIMIT 1")
visible=$(q "SELECT count(*) FROM users WHERE status IN ('a', 'b')")
hub=$(q "SELECT id FROM users WHERE status = 'a' ORDER BY abs(followers_counter - 100000) LIMIT 1")
hubn=$(q "SELECT followers_counter FROM users WHERE id = $hub")
tok=$("$BEFORE" token --data-dir "$dir/before" --user "$me" --ttl 7200)
echo "visible users $visible; followers of user $hub ($hubn); viewer $me; N $N"

urls() { # list from count: the page URLs (offsets i * 7919^2 mod span, the same in every run)
  local span path i
  if [ "$1" = followers ]; then
    span=$((hubn > 20 ? hubn - 20 : 1))
    path="/api/v2/user/$hub/followers/?limit=20"
  else
    span=$((visible > 20 ? visible - 20 : 1))
    path="/api/v2/user/?limit=20"
    [ "$1" = default ] || path="$path&ordering=$1"
  fi
  for ((i = $2; i < $2 + $3; i++)); do
    if [ "$1" = get ]; then
      echo "$base/api/v2/user/$(((i * 62710561 + 12345) % span + 1))/"
    else
      echo "$base$path&offset=$(((i * 62710561 + 12345) % span))"
    fi
  done
}

measure() { # build: prints "list instructions" lines
  local out="$dir/$1.out" cg list
  : >"$out"
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.$1.%p" "$(bin "$1")" serve --data-dir "$dir/$1" \
    --listen 127.0.0.1:0 --threads 1 >"$out" 2>>"$dir/$1.err" &
  vg=$!
  for _ in $(seq 3000); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$out")
  [ -n "$base" ] || { echo "bench: $1 did not start" >&2; exit 1; }
  for list in $LISTS; do
    mapfile -t warm < <(urls "$list" 0 $((N / 5)))
    mapfile -t pages < <(urls "$list" $((N / 5)) "$N")
    curl -s -H "Authorization: Bearer $tok" $(printf -- '-o /dev/null %s ' "${warm[@]}")
    callgrind_control -z "$vg" >/dev/null 2>&1
    codes=$(curl -s -w '%{http_code}\n' -H "Authorization: Bearer $tok" $(printf -- '-o /dev/null %s ' "${pages[@]}") |
      sort -u | tr '\n' ' ')
    callgrind_control -d "$vg" >/dev/null 2>&1
    sleep 0.5
    [ "$codes" = "200 " ] || echo "bench: $1 $list: status $codes" >&2
    cg=$(ls -t "$dir"/cg."$1"."$vg".* | head -1)
    echo "$list $(awk -v n="$N" '/^summary:/ {print int($2 / n)}' "$cg")"
    [ -n "${KEEP:-}" ] && cp "$cg" "$dir/cg.$1.${list#-}$([ "${list:0:1}" = - ] && echo .desc)"
  done
  kill "$vg"
  wait "$vg" 2>/dev/null || true
  vg=""
}

declare -A res
for b in "${builds[@]}"; do
  while read -r list n; do res[$b.$list]=$n; done < <(measure "$b")
done
if [ -n "$AFTER" ]; then
  echo "| list (20 a page, random offset) | before instructions/page | after | after/before |"
  echo "|---|---:|---:|---:|"
else
  echo "| list (20 a page, random offset) | instructions/page |"
  echo "|---|---:|"
fi
for list in $LISTS; do
  if [ -n "$AFTER" ]; then
    echo "| $list | ${res[before.$list]} | ${res[after.$list]} |" \
      "$(awk -v a="${res[after.$list]}" -v b="${res[before.$list]}" 'BEGIN {printf "%.2f", a / b}') |"
  else
    echo "| $list | ${res[before.$list]} |"
  fi
done
