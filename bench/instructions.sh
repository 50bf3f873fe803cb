#!/usr/bin/env bash
# bench/instructions.sh OLD_BIN [NEW_BIN] - user-space instructions per
# request of two builds (valgrind's callgrind, one server thread, N
# requests on one keep-alive connection from curl, counters zeroed before
# and dumped after each scenario). Instruction counts do not move with the
# machine's load at all, so small changes show; they leave out the kernel
# (send, recv, epoll) and count a `rep stosb` memset per byte.
#   USERS (20000), N requests per scenario (100)
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/instructions.sh OLD_BIN [NEW_BIN]}
NEW=${2:-build/hearth}
N=${N:-100}
HEARTH_BIN=$NEW
source bench/lib.sh
command -v valgrind >/dev/null || { echo "bench: valgrind is missing"; exit 1; }
bench_setup

# an OAuth token, issued by a plain server (the database is shared)
bench_start 1
oauth_token=$oauth
bench_stop

measure() { # BIN: prints "user me followers" instructions per request
  local out="$dir/cg.out" p base
  : >"$out"
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" "$1" serve --listen 127.0.0.1:0 --threads 1 \
    --access-log off >"$out" 2>>"$dir/err" &
  p=$!
  for _ in $(seq 600); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$out")
  one() { # header url
    local args=()
    [ -n "$1" ] && args+=(-H "$1")
    for _ in $(seq "$N"); do args+=("$2"); done
    curl -s "${args[@]}" >/dev/null # warm-up
    callgrind_control -z "$p" >/dev/null 2>&1
    curl -s "${args[@]}" >/dev/null
    callgrind_control -d "$p" >/dev/null 2>&1
    sleep 0.3
    awk -v n="$N" '/^summary:/ {print int($2 / n)}' "$(ls -t "$dir"/cg."$p".* | head -1)"
  }
  echo "$(one '' "$base/api/v2/user/2/") $(one "Authorization: Bearer $oauth_token" "$base/api/v2/user/me/") \
$(one '' "$base/api/v2/user/$popular/followers/?limit=20")"
  kill "$p"
  wait "$p" 2>/dev/null || true
}
read -r ou om of < <(measure "$OLD")
read -r nu nm nf < <(measure "$NEW")
echo "| scenario | old instructions/request | new | new/old |"
echo "|---|---:|---:|---:|"
for r in "GET user, anonymous|$ou|$nu" "GET me, OAuth token|$om|$nm" "followers page, 20, anonymous|$of|$nf"; do
  IFS='|' read -r name o n <<<"$r"
  echo "| $name | $o | $n | $(awk -v o="$o" -v n="$n" 'BEGIN {printf "%.2f", n / o}') |"
done
echo "followers page / GET user: old $(awk -v a="$of" -v b="$ou" 'BEGIN {printf "%.1f", a / b}'), new $(awk -v a="$nf" -v b="$nu" 'BEGIN {printf "%.1f", a / b}')"
