#!/usr/bin/env bash
# bench/threads.sh - CPU time per server thread under wrk -c32 (GET user),
# from /proc/PID/task: works for any build, also one without
# HEARTH_THREAD_STATS. Prints the busy threads' CPU seconds, per run.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-6}
THREADS=${SERVER_THREADS:-4}
USERS=${USERS:-2000}
source bench/lib.sh
bench_setup
for run in $(seq "$RUNS"); do
  bench_start "$THREADS"
  wrk -t2 -c32 -d"${DURATION}s" "$base/api/v2/user/2/" >/dev/null
  # utime+stime (ticks) of every thread that did work, busiest first
  line=$(for t in /proc/"$pid"/task/*; do awk '{print $14 + $15}' "$t/stat"; done | sort -rn | head -"$THREADS" | tr '\n' ' ')
  bench_stop
  echo "run $run: CPU ticks of the $THREADS busiest threads: $line"
done
