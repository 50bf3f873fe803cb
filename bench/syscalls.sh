#!/usr/bin/env bash
# bench/syscalls.sh - system calls per request by kind, from strace -c -f
# attached to the server while wrk drives one scenario (make bench-syscalls).
#
# strace slows the server by an order of magnitude, so only the calls per
# request mean anything here, not the rate. Each scenario runs on its own
# server start; counts are divided by the requests wrk completed.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${SERVER_THREADS:-4}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-4}
source bench/lib.sh
command -v strace >/dev/null || { echo "bench: strace is missing"; exit 1; }
bench_setup

scenario() { # name path [wrk args...]
  local name=$1 path=$2
  shift 2
  bench_start "$THREADS"
  strace -c -f -p "$pid" -o "$dir/strace" 2>/dev/null &
  local spid=$!
  sleep 1
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$@" "$base$path")
  kill -INT "$spid"
  wait "$spid" 2>/dev/null || true
  bench_stop
  local n
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  # strace -c table: % time, seconds, usecs/call, calls, [errors], syscall
  awk -v n="$n" -v name="$name" '
    /^[ ]*[0-9.]+[ ]+[0-9.]+[ ]+[0-9]+[ ]+[0-9]+/ {
      sc = $NF; calls = $4
      if (sc == "total") next
      if (sc == "newfstatat") sc = "fstat"
      if (sc == "sendto") sc = "sendmsg"
      per[sc] += calls / n; total += calls / n
    }
    END {
      line = sprintf("| %-22s | %8d | %6.2f |", name, n, total)
      split("futex fstat fcntl pread64 write sendmsg recvfrom epoll_wait mprotect", ks, " ")
      for (i = 1; i in ks; i++) { line = line sprintf(" %5.2f |", per[ks[i]] + 0); seen[ks[i]] = 1 }
      other = ""
      for (k in per) if (!(k in seen) && per[k] >= 0.05) other = other sprintf("%s %.2f ", k, per[k])
      print line " " other "|"
    }' "$dir/strace"
}

echo "hearth $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $THREADS server threads, wrk -t2 -c$CONNECTIONS -d${DURATION}s under strace -c -f, $USERS users"
echo
printf '| %-22s | %8s | %6s | futex | fstat | fcntl | pread | write | send | recv | epoll_wait | mprotect | other |\n' scenario requests total
echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
scenario "GET user" "/api/v2/user/2/"
scenario "GET me (JWT)" "/api/v2/user/me/" -H "Authorization: Bearer $jwt"
scenario "followers page" "/api/v2/user/$popular/followers/?limit=20"
scenario "user list page" "/api/v2/user/?limit=20" -H "Authorization: Bearer $jwt"
scenario "follow toggle" "/api/v2/user/3/follow/" -s bench/follow.lua -H "Authorization: Bearer $jwt"
