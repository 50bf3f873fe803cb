#!/usr/bin/env bash
# bench/soak.sh - `make soak`: SOAK_SECONDS (180) of mixed reads and writes
# (bench/soak.lua, wrk with CONNECTIONS bounded connections) against a fresh
# server on 127.0.0.1 with a seeded population, sampling the server's
# resident memory (VmRSS) and open file descriptors every SAMPLE_SECONDS
# (10), then a verdict: "GROWING" when either still grows in the second
# half of the run after warm-up (RSS by more than max(4 MiB, 10 %), file
# descriptors by more than 4), else "steady". Exits 1 on growth. With
# HEARTH_BIN=build-san/hearth, LeakSanitizer's report at exit is shown.
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

sample() { # seconds -> "t rss_kib fds db_kib"
  local rss fds db
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  # the database and its WAL: SQLite's page caches (one per connection)
  # grow with what they hold, so RSS follows the data it serves
  db=$(du -k -c "$HEARTH_DATA_DIR"/hearth.db* 2>/dev/null | awk 'END {print $1}')
  echo "$1 $rss $fds $db"
}

echo "soak: $SOAK_SECONDS s against $base ($USERS users, $WRITERS writing users, $CONNECTIONS connections, $THREADS server threads)"
SOAK_DIR=$dir wrk -t2 -c"$CONNECTIONS" -d"${SOAK_SECONDS}s" --latency -s bench/soak.lua "$base" >"$dir/wrk" 2>&1 &
wrk_pid=$!
: >"$dir/samples"
start=$(date +%s)
sample 0 >>"$dir/samples"
printf '%8s %10s %8s %14s\n' "seconds" "RSS MiB" "fds" "db+WAL MiB"
awk '{printf "%8d %10.1f %8d %14.1f\n", $1, $2 / 1024, $3, $4 / 1024}' "$dir/samples"
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep "$SAMPLE_SECONDS"
  kill -0 "$pid" 2>/dev/null || { echo "soak: the server died"; tail -20 "$dir/err"; exit 1; }
  kill -0 "$wrk_pid" 2>/dev/null || break # the load ended: idle samples would flatter
  t=$(($(date +%s) - start))
  [ "$t" -gt "$((SOAK_SECONDS + SAMPLE_SECONDS))" ] && break
  sample "$t" | tee -a "$dir/samples" | awk '{printf "%8d %10.1f %8d %14.1f\n", $1, $2 / 1024, $3, $4 / 1024}'
done
wait "$wrk_pid" || true
wrk_pid=""
grep -E '^soak:|Requests/sec|Non-2xx' "$dir/wrk" || cat "$dir/wrk"

# verdict: over the samples after 30 s of warm-up, split in two halves;
# "GROWING" when RSS or descriptors still grow in the second half by more
# than the margin (SQLite's page caches, one per connection, fill in steps
# as the database grows and level off: that is not a leak)
verdict=$(awk -v warm=30 '
  $1 >= warm { n++; r[n] = $2; f[n] = $3 }
  END {
    if (n < 4) { print "too short for a verdict"; exit }
    m = int((n + 1) / 2)
    r1 = r[m] - r[1]; r2 = r[n] - r[m]; f1 = f[m] - f[1]; f2 = f[n] - f[m]
    rlim = r[m] / 10 > 4096 ? r[m] / 10 : 4096
    growing = r2 > rlim || f2 > 4
    printf "RSS %+.1f MiB then %+.1f MiB, fds %+d then %+d (first and second half after warm-up): %s\n",
      r1 / 1024, r2 / 1024, f1, f2, growing ? "GROWING" : "steady"
  }' "$dir/samples")
echo "soak: verdict: $verdict"
echo "soak: server log lines: $(wc -l <"$dir/err"), errors: $(grep -c ' error ' "$dir/err" || true)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
# a sanitizer build (HEARTH_BIN=build-san/hearth) reports leaks at exit
if grep -qE 'Sanitizer|runtime error' "$dir/err"; then
  echo "soak: sanitizer report:"; grep -E -A12 'Sanitizer|runtime error' "$dir/err" | head -60
fi
HEARTH_DATA_DIR="$dir/data" "$BIN" check | sed 's/^/soak: check: /'
case "$verdict" in *GROWING*) exit 1 ;; esac
