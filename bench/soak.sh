#!/usr/bin/env bash
# bench/soak.sh - `make soak`: SOAK_SECONDS (180) of mixed reads and writes
# (bench/soak.lua, wrk with CONNECTIONS bounded connections) against a fresh
# server on 127.0.0.1 with a seeded population, sampling the server's
# resident memory (VmRSS) and open file descriptors every SAMPLE_SECONDS
# (10), then a verdict: "steady" unless both grow past the warm-up sample
# and keep growing to the end (RSS by more than max(5 MiB, 10 %), file
# descriptors by more than 8). Exits 1 on steady growth.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
SOAK_SECONDS=${SOAK_SECONDS:-180}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-10}
CONNECTIONS=${CONNECTIONS:-16}
USERS=${USERS:-5000}
WRITERS=${WRITERS:-40}
THREADS=${SERVER_THREADS:-4}
[ -x "$BIN" ] || { echo "soak: build first (make build)"; exit 1; }
command -v wrk >/dev/null || { echo "soak: wrk is missing (scripts/install-deps.sh)"; exit 1; }

dir=$(mktemp -d)
pid=""
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

export HEARTH_DATA_DIR="$dir/data" HEARTH_PASSWORD_COST=min HEARTH_JWT_SECRET=soak-secret-0123456789abcdef
mkdir -p "$HEARTH_DATA_DIR"
"$BIN" migrate >/dev/null
"$BIN" seed --users "$USERS" --follows-per-user 10 >/dev/null 2>&1
"$BIN" sql "SELECT id FROM users WHERE status = 'a' ORDER BY id" >"$dir/ids"
"$BIN" sql "SELECT id FROM users WHERE status = 'a' ORDER BY id DESC LIMIT $WRITERS" |
  while read -r id; do echo "$id $("$BIN" token --user "$id" --ttl $((SOAK_SECONDS + 3600)))"; done >"$dir/tokens"

"$BIN" serve --listen 127.0.0.1:0 --threads "$THREADS" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" "$dir/err" 2>/dev/null && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/out" "$dir/err" | head -1)
[ -n "$base" ] || { echo "soak: server did not start"; cat "$dir/err"; exit 1; }

sample() { # seconds -> "t rss_kib fds"
  local rss fds
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  echo "$1 $rss $fds"
}

echo "soak: $SOAK_SECONDS s against $base ($USERS users, $WRITERS writing users, $CONNECTIONS connections, $THREADS server threads)"
SOAK_DIR=$dir wrk -t2 -c"$CONNECTIONS" -d"${SOAK_SECONDS}s" --latency -s bench/soak.lua "$base" >"$dir/wrk" 2>&1 &
wrk_pid=$!
: >"$dir/samples"
start=$(date +%s)
sample 0 >>"$dir/samples"
printf '%8s %10s %8s\n' "seconds" "RSS MiB" "fds"
awk '{printf "%8d %10.1f %8d\n", $1, $2 / 1024, $3}' "$dir/samples"
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep "$SAMPLE_SECONDS"
  kill -0 "$pid" 2>/dev/null || { echo "soak: the server died"; tail -20 "$dir/err"; exit 1; }
  kill -0 "$wrk_pid" 2>/dev/null || break # the load ended: idle samples would flatter
  t=$(($(date +%s) - start))
  [ "$t" -gt "$((SOAK_SECONDS + SAMPLE_SECONDS))" ] && break
  sample "$t" | tee -a "$dir/samples" | awk '{printf "%8d %10.1f %8d\n", $1, $2 / 1024, $3}'
done
wait "$wrk_pid" || true
wrk_pid=""
grep -E '^soak:|Requests/sec|Non-2xx' "$dir/wrk" || cat "$dir/wrk"

# verdict: from the first sample after 30 s of warm-up to the end
verdict=$(awk -v warm=30 '
  $1 >= warm && !w { w = 1; r0 = $2; f0 = $3 }
  w { n++; r[n] = $2; f[n] = $3 }
  END {
    if (n < 3) { print "too short for a verdict"; exit }
    rgrow = r[n] - r0; fgrow = f[n] - f0
    # steady growth: the end is the highest of the last three and above the start by the margin
    rlim = r0 / 10 > 5120 ? r0 / 10 : 5120
    rsteady = rgrow > rlim && r[n] >= r[n-1] && r[n-1] >= r[n-2]
    fsteady = fgrow > 8 && f[n] >= f[n-1] && f[n-1] >= f[n-2]
    printf "RSS %+.1f MiB, fds %+d after warm-up: %s\n", rgrow / 1024, fgrow,
      (rsteady || fsteady) ? "GROWING" : "steady"
  }' "$dir/samples")
echo "soak: verdict: $verdict"
echo "soak: server log lines: $(wc -l <"$dir/err"), errors: $(grep -c ' error ' "$dir/err" || true)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
HEARTH_DATA_DIR="$dir/data" "$BIN" check | sed 's/^/soak: check: /'
case "$verdict" in *GROWING*) exit 1 ;; esac
