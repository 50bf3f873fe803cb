#!/usr/bin/env bash
# bench/lists_writes_wrk.sh - what the maintained list counts cost the
# writes in throughput: one build on two copies of one database, `kept`
# (migrated: every list_* trigger and index) and `bare` (the same with
# every list_* trigger and index dropped: no maintenance), side by side in
# one run. For each write (follow: the follow toggle of a random caller
# of CALLERS users, none with a kept list, and a random target: the common
# case; follow_big: the follow toggle of a random target by one user, who
# soon follows thousands, so that its followings list is kept (1000 or
# more) from the first seconds: the big account's case; POST /sso/signup/;
# PATCH real_name of one user) wrk (-t1, CONNECTIONS
# connections, DURATION seconds, bench/lists.lua) drives kept and bare in
# turns, ROUNDS pairs in the order kept bare bare kept ... (so that drift
# of the machine's load falls on both alike); the ratio is kept's total
# requests over bare's.
#
# The signups set a password, which the server hashes (argon2id): with the
# default cost that dominates a signup; COST=min (HEARTH_PASSWORD_COST=min)
# measures the rest. The instruction counts of bench/lists_writes.sh
# (signups without a password) are the stricter measure.
#
#   [NEW=build/hearth] [USERS=100000] [DB=seed.db] [KEEP=dir] [COST=min] \
#     [DURATION=5] [ROUNDS=3] [CONNECTIONS=4] [SERVER_THREADS=2] [CALLERS=300] \
#     [KINDS='follow follow_big signup patch'] \
#     bash bench/lists_writes_wrk.sh
# DB=path reuses (or keeps) the seeded database; KEEP=dir keeps the two
# copies (a later run skips the copies; the writes of a run stay in them).
set -euo pipefail
cd "$(dirname "$0")/.."

NEW=${NEW:-build/hearth}
USERS=${USERS:-100000}
FOLLOWS=${FOLLOWS:-10}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${SERVER_THREADS:-2}
CALLERS=${CALLERS:-300}
KINDS=${KINDS:-follow follow_big signup patch}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)"; exit 1; }

dir=${KEEP:-$(mktemp -d)}
mkdir -p "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
export HEARTH_JWT_SECRET=bench-secret-0123456789
if [ -n "${COST:-}" ]; then export HEARTH_PASSWORD_COST=$COST; else unset HEARTH_PASSWORD_COST; fi

DB=${DB:-$dir/seed.db}
if [ ! -s "$DB" ]; then
  echo "seeding $USERS users with $NEW ..."
  "$NEW" seed --db "$DB" --users "$USERS" --follows-per-user "$FOLLOWS" --seed 7 >/dev/null
  "$NEW" user create --db "$DB" --username bench_admin --password 'Adm1n!pass-bench' --role admin >/dev/null
fi
if [ ! -s "$dir/bare/hearth.db" ]; then
  mkdir -p "$dir/kept" "$dir/bare"
  cp "$DB" "$dir/kept/hearth.db"
  "$NEW" migrate --data-dir "$dir/kept" >/dev/null
  "$NEW" sql --data-dir "$dir/kept" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  cp "$dir/kept/hearth.db" "$dir/bare/hearth.db"
  drops=$("$NEW" sql --data-dir "$dir/bare" "SELECT group_concat('DROP ' || type || ' ' || name, '; ') FROM \
sqlite_master WHERE type IN ('trigger', 'index') AND name LIKE 'list\_%' ESCAPE '\'")
  "$NEW" sql --data-dir "$dir/bare" "$drops" >/dev/null
  "$NEW" sql --data-dir "$dir/bare" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi

q() { "$NEW" sql --data-dir "$dir/kept" "$1"; }
admin=$(q "SELECT id FROM users WHERE username = 'bench_admin'")
me=$(q "SELECT id FROM users WHERE status = 'a' AND role IS NULL ORDER BY id LIMIT 1")
maxid=$(q "SELECT max(id) FROM users")
tok=$("$NEW" token --data-dir "$dir/kept" --user "$me" --ttl 7200)
admintok=$("$NEW" token --data-dir "$dir/kept" --user "$admin" --ttl 7200)
# the many callers of kind follow: visible users without a kept list, far
# from 1000 followings (a run adds a few hundred follows each at most)
# and not me; the same ids (and tokens) on both copies
if [[ " $KINDS " == *" follow "* ]]; then
  q "SELECT id FROM users u WHERE status = 'a' AND role IS NULL AND id <> $me AND followings_counter < 100 \
AND NOT EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = u.id AND c.level = 1) \
ORDER BY (id * 2654435761) % 1000003 LIMIT $CALLERS" |
    while read -r id; do "$NEW" token --data-dir "$dir/kept" --user "$id" --ttl 7200; done >"$dir/tokens"
fi

serve() { # variable name: the server's base URL into the variable
  "$NEW" serve --data-dir "$dir/$2" --listen 127.0.0.1:0 --threads "$THREADS" >"$dir/$2.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$dir/$2.out" 2>/dev/null && break; sleep 0.1; done
  printf -v "$1" '%s' "$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/$2.out")"
}
serve base_kept kept
serve base_bare bare
[ -n "$base_kept" ] && [ -n "$base_bare" ] || { echo "bench: a server did not start"; exit 1; }

run() { # base kind run: "requests p50 p99 non2xx" of one wrk run (run: unique to the run, for usernames)
  local args out
  case $2 in
  follow) args=(-- POST "/api/v2/user/{r}/follow/" 1 "$maxid" "" "$dir/tokens") ;;
  follow_big) args=(-H "Authorization: Bearer $tok" -- POST "/api/v2/user/{r}/follow/" 1 "$maxid") ;;
  signup) args=(-H "Authorization: Bearer $admintok" -- POST "/api/v2/sso/signup/" 0 0 "{\"username\": \"s$3{n}\", \"password\": \"Wr1tes!bench-pass\"}") ;;
  patch) args=(-H "Authorization: Bearer $tok" -- PATCH "/api/v2/user/$me/" 0 1000000 '{"real_name": "Bench {r}"}') ;;
  esac
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/lists.lua "$1" "${args[@]}")
  echo "$(awk '/requests in/ {print $1}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

echo "users $maxid; writes by user $me (follow: $(wc -l <"$dir/tokens" 2>/dev/null || echo 0) callers); cost ${HEARTH_PASSWORD_COST:-default}; wrk -t1 -c$CONNECTIONS" \
  "${DURATION}s x $ROUNDS pairs; $THREADS server threads; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %-5s %-5s %9s %8s %8s %6s\n' write round side "req/s" p50 p99 non2xx
rows=()
for kind in $KINDS; do
  declare -A total=([kept]=0 [bare]=0)
  for ((r = 0; r < ROUNDS; r++)); do
    if ((r % 2 == 0)); then order="kept bare"; else order="bare kept"; fi
    for side in $order; do
      base=base_$side
      read -r n p50 p99 bad <<<"$(run "${!base}" "$kind" "$$${RANDOM}r$r$side")"
      total[$side]=$((total[$side] + n))
      printf '%-10s %-5s %-5s %9.1f %8s %8s %6s\n' "$kind" "$r" "$side" "$(echo "$n / $DURATION" | bc -l)" \
        "$p50" "$p99" "$bad"
    done
  done
  rows+=("| $kind | $(echo "${total[kept]} / ($DURATION * $ROUNDS)" | bc -l | xargs printf '%.1f') |"\
" $(echo "${total[bare]} / ($DURATION * $ROUNDS)" | bc -l | xargs printf '%.1f') |"\
" $(echo "${total[kept]} / ${total[bare]}" | bc -l | xargs printf '%.3f') |")
  unset total
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| write | kept req/s | bare req/s | kept/bare |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
"$NEW" check --data-dir "$dir/kept" | tail -2
