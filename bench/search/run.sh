#!/usr/bin/env bash
# bench/search/run.sh - the user search benchmark, `make bench-search`.
#
# 1. A database of USERS (1,000,000) users in bench/search/data/, generated
#    once by `hearth seed` and reused (re-indexed if 005_search.sql changed).
# 2. hearth on 127.0.0.1 (a free port), SERVER_THREADS worker threads.
# 3. Per query kind, a file of requests built from the data (varied terms,
#    callers and values), driven by wrk with 8 connections and 2 threads for
#    DURATION seconds: requests per second, p50 and p99 latency.
# 4. The engine's answers for the first VERIFY requests of each kind are
#    compared with a full scan of every user (exact count and first page).
# 5. The table, with the server's peak RSS, goes to stdout and
#    bench/search/results.md. The server is stopped by its PID.
#
# On PostgreSQL: `run.sh --db postgresql://USER:PASS@127.0.0.1:PORT/DB` (the
# database must exist; it is seeded once and reused the same way, with the
# population recorded next to the SQLite data) writes results_postgres.md.
# DATA (bench/search/data) is where the SQLite database and the population
# records live, OUT where the table goes, KINDS which query kinds run (all),
# ENGINE=0 and VERIFY=0 skip the engine's timing and its check (slow where
# a request takes seconds), WARMUP=seconds (2) of each kind's requests
# before its measure, not counted (the steady state, not a cold cache or a
# just-started database's first plans);
# both.sh runs both backends and puts their tables side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."

PG_URL=""
if [ "${1:-}" = "--db" ]; then
  PG_URL=${2:?usage: run.sh [--db postgresql://...]}
  case "$PG_URL" in postgresql://* | postgres://*) ;; *) echo "bench: --db takes a PostgreSQL URL"; exit 2 ;; esac
fi

BIN=${HEARTH_BIN:-build/hearth}
USERS=${USERS:-1000000}
FOLLOWS=${FOLLOWS:-10}
SEED=${SEED:-42}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=8
WRK_THREADS=2
SERVER_THREADS=${SERVER_THREADS:-4}
VERIFY=${VERIFY:-3}
ENGINE=${ENGINE:-1} # 0: the engine alone is not timed (three runs of every request)
DATA=${DATA:-bench/search/data}
DB=$DATA/hearth.db
OUT=${OUT:-bench/search/results.md} # OUT: where the table goes

for tool in wrk cc $([ -n "$PG_URL" ] && echo psql || echo sqlite3); do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh)"; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: build first (make build)"; exit 1; }

export HEARTH_DATA_DIR=$DATA HEARTH_PASSWORD_COST=min
unset HEARTH_DB HEARTH_CLOCK_FILE
mkdir -p "$DATA"
index_sum=$(sha256sum src/store/sql/sqlite/005_search.sql | cut -c1-16)
want="users=$USERS follows=$FOLLOWS seed=$SEED"
population=$DATA/population
seed_out=$DATA/seed.json
if [ -n "$PG_URL" ]; then
  # every hearth command below uses the PostgreSQL database
  export HEARTH_DB=$PG_URL
  DB=$PG_URL
  [ "$OUT" != bench/search/results.md ] || OUT=bench/search/results_postgres.md
  # only the search migrations: another migration does not force a --reindex
  index_sum=$(cat src/store/sql/postgres/*_search*.sql | sha256sum | cut -c1-16)
  population=$DATA/population_postgres
  seed_out=$DATA/seed_postgres.json
  want="$want db=${PG_URL##*@}"
fi

# ---- 1. the data ----
if { [ -z "$PG_URL" ] && [ ! -f "$DB" ]; } || [ "$(cat "$population" 2>/dev/null)" != "$want" ]; then
  echo "bench: generating $USERS users (once; reused afterwards)"
  if [ -n "$PG_URL" ]; then
    [ "$(psql "$PG_URL" -Atc "SELECT count(*) FROM pg_tables WHERE tablename = 'users'")" = 0 ] ||
      { echo "bench: $PG_URL already holds a hearth database: give an empty one"; exit 1; }
  else
    rm -f "$DATA"/hearth.db*
  fi
  "$BIN" migrate >/dev/null
  "$BIN" user create --username admin --password 'Adm1n!pass' --role admin >/dev/null
  start=$(date +%s)
  "$BIN" seed --users "$USERS" --follows-per-user "$FOLLOWS" --seed "$SEED" >"$seed_out"
  echo "{\"wall_seconds\": $(( $(date +%s) - start ))}" >"${seed_out%.json}_wall.json"
  echo "$want" >"$population"
  echo "$index_sum" >"$population.index"
elif [ "$(cat "$population.index" 2>/dev/null)" != "$index_sum" ]; then
  echo "bench: the search migrations changed: rebuilding the search indexes"
  "$BIN" migrate >/dev/null
  "$BIN" seed --reindex >/dev/null
  echo "$index_sum" >"$population.index"
fi

# ---- 2. the server ----
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
"$BIN" serve --listen 127.0.0.1:0 --threads "$SERVER_THREADS" >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$tmp/out" "$tmp/err" 2>/dev/null && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$tmp/out" "$tmp/err" | head -1)
[ -n "$base" ] || { echo "bench: the server did not start"; cat "$tmp/err"; exit 1; }

# ---- 3. the requests ----
# callers: active users, sampled deterministically; geo callers have coordinates
sample() { # sql -> lines
  if [ -n "$PG_URL" ]; then
    psql "$PG_URL" -XAt -F $'\t' -c "$1"
  else
    sqlite3 -separator $'\t' "$DB" "$1"
  fi
}
callers=$(sample "SELECT id FROM users WHERE status = 'a' AND role IS NULL ORDER BY (id * 2654435761) % 1000003 LIMIT 32")
geo_callers=$(sample "SELECT id FROM users WHERE status = 'a' AND role IS NULL AND (position_lat IS NOT NULL OR location_lat IS NOT NULL) ORDER BY (id * 2654435761) % 1000033 LIMIT 64")
declare -A token
for id in $callers $geo_callers; do
  [ -n "${token[$id]:-}" ] || token[$id]=$("$BIN" token --user "$id" --ttl 7200)
done
ids=($callers)
gids=($geo_callers)

emit() { # kind query... (one request per query, callers in turn)
  local kind=$1 i=0
  shift
  for query in "$@"; do
    local id=${ids[$((i % ${#ids[@]}))]}
    printf '%s\t%s\t%s\n' "$id" "${token[$id]}" "$query" >>"$tmp/$kind.txt"
    i=$((i + 1))
  done
}

prefix2=(ma an jo al da el sa mi ka li ch ju ro ni la mo pa ra se ta)
emit prefix2 "${prefix2[@]/#/user=}"
fragment3=(mar ann ari ell ros ska ina and ale son ett ria ian ova lia eli ard ber ice uel)
emit fragment3 "${fragment3[@]/#/user=}"
# rare: full names that at most three users share
mapfile -t rare < <(sample "SELECT min(real_name) FROM users WHERE status = 'a' AND real_name <> '' AND id % 97 = 0 GROUP BY real_name_fold HAVING count(*) <= 3 ORDER BY (min(id) * 2654435761) % 1000003 LIMIT 200")
emit rare "${rare[@]/#/user=}"
nga=()
for age in -30 30-45 45+; do
  for name in maria anna elena sofia laura julia priya fatima olga yuki; do nga+=("user=$name&gender=Female&age=$age"); done
  for name in james david jose mohamed ivan lucas wei pierre rahul hans; do nga+=("user=$name&gender=Male&age=$age"); done
done
emit name_gender_age "${nga[@]}"
i=0
for radius in 5 10 25 50; do
  for id in "${gids[@]}"; do
    printf '%s\t%s\t%s\n' "$id" "${token[$id]}" "user_position=true&ordering=distance&radius=$radius" >>"$tmp/geo.txt"
  done
done
tags=$(sample "SELECT id FROM tags WHERE type = 'user' AND visible = 1 AND active = 1 AND deleted = 0 ORDER BY id")
emit tag $(for t in $tags; do echo "tag=$t"; done)
categories=$(sample "SELECT id FROM categories ORDER BY id")
emit category $(for c in $categories; do echo "category=$c"; done)
kinds=(${KINDS:-prefix2 fragment3 rare name_gender_age geo tag category})
# KEEP_REQUESTS=DIR keeps the request files (to drive the server by hand)
[ -z "${KEEP_REQUESTS:-}" ] || { mkdir -p "$KEEP_REQUESTS" && cp "$tmp"/*.txt "$KEEP_REQUESTS"/; }
declare -A label=(
  [prefix2]="2-letter prefix (user=ma)"
  [fragment3]="3-letter fragment (user=ari)"
  [rare]="rare full name"
  [name_gender_age]="name + gender + age"
  [geo]="user_position + distance + radius"
  [tag]="tag"
  [category]="category"
)

# ---- 4. exactness: the engine against a full scan ----
verify_bin=build/search_verify
if [ ! -x "$verify_bin" ] || [ bench/search/verify.c -nt "$verify_bin" ] || [ build/libhearthlib.a -nt "$verify_bin" ]; then
  cc -O2 -Isrc bench/search/verify.c -o "$verify_bin" build/libhearthlib.a \
    $(pkg-config --libs libmicrohttpd jansson libsodium sqlite3 libpq libutf8proc gumbo libzip libcurl) -lm -lpthread
fi
declare -A exact engine
for kind in "${kinds[@]}"; do
  engine[$kind]="not timed"
  [ "$ENGINE" = 0 ] || engine[$kind]=$("$verify_bin" "$DB" "$tmp/$kind.txt" --time 2>/dev/null || echo "?")
  if [ "$VERIFY" -gt 0 ]; then
    if line=$("$verify_bin" "$DB" "$tmp/$kind.txt" "$VERIFY" 2>"$tmp/verify.err"); then
      exact[$kind]="yes ($line)"
    else
      exact[$kind]="NO: $line $(head -3 "$tmp/verify.err" | tr '\n' ' ')"
    fi
  else
    exact[$kind]="not checked"
  fi
done

# ---- 5. load ----
ms() { # wrk latency ("850.00us", "12.31ms", "1.02s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
rows=()
load_before=$(uptime)
for kind in "${kinds[@]}"; do
  [ "$WARMUP" = 0 ] || wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/search/search.lua "$base" -- "$tmp/$kind.txt" >/dev/null
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/search/search.lua "$base" -- "$tmp/$kind.txt")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  timeouts=$(awk '/Socket errors/ {print $NF}' <<<"$out") # wrk's 2 s: left out of the latencies
  n=$(wc -l <"$tmp/$kind.txt")
  rows+=("${label[$kind]}|$n|$rps|$p50|$p99|${non2xx:-0}|${timeouts:-0}")
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
load_after=$(uptime)

# ---- 6. the table ----
{
  echo "# Search benchmark"
  echo
  echo "$(date -u +%Y-%m-%d) · hearth $(git rev-parse --short HEAD 2>/dev/null || echo '?') · $(nproc) cores ($(uname -m)) shared with other work ·" \
    "$USERS users (\`hearth seed --users $USERS --follows-per-user $FOLLOWS --seed $SEED\`, $(if [ -n "$PG_URL" ]; then echo "PostgreSQL, $(sample "SELECT pg_size_pretty(pg_database_size(current_database()))")"; else du -h "$DB" | cut -f1; fi) database) ·" \
    "server: $SERVER_THREADS threads · wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s per kind, after ${WARMUP}s of its requests"
  echo
  echo "| query kind | distinct requests | req/s | p50 ms | p99 ms | non-2xx | timeouts (2 s) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for r in "${rows[@]}"; do
    IFS='|' read -r name n rps p50 p99 non2xx timeouts <<<"$r"
    echo "| $name | $n | $rps | $p50 | $p99 | $non2xx | $timeouts |"
  done
  echo
  echo "Server peak RSS: $((rss_kb / 1024)) MiB (VmHWM). Load (uptime) before and after the wrk runs:" \
    "\`${load_before# }\`, \`${load_after# }\`."
  echo
  echo "The engine alone (one thread, no HTTP, best of three per request, every request of the kind):"
  echo
  for kind in "${kinds[@]}"; do echo "- ${label[$kind]}: ${engine[$kind]}"; done
  echo
  echo "Counts and first pages checked against a full scan of every user ($VERIFY requests per kind):"
  echo
  for kind in "${kinds[@]}"; do echo "- ${label[$kind]}: ${exact[$kind]}"; done
  if [ -f "$seed_out" ]; then
    echo
    echo "Generation (\`hearth seed\`, once): $(cat "$seed_out")"
  fi
} | tee "$OUT"
