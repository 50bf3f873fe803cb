#!/usr/bin/env bash
# bench/lists_writes.sh - what the maintained list counts cost a write, in
# instructions (valgrind's callgrind: they do not move with the machine's
# load) and in SQLite pages written.
#
# Three servers on databases of one population:
#   old   OLD, a build from before the list counts (e.g. 524c226, the commit
#         before sqlite/008_list_counts.sql), on the seeded database;
#   new   NEW (build/hearth) on a copy migrated by it (the counts built);
#   bare  NEW on a copy of new's with the list triggers and indexes (list_*)
#         dropped: the same code and data as new, without the maintenance
#         (its reads would then walk: it serves only the writes here).
# old seeds the population (USERS users, FOLLOWS follows each); new/bare
# isolates the maintenance, old/new is everything since that commit.
#
# For each write (the follow toggle of a random user, POST /sso/signup/,
# PATCH real_name of one user), each server, under callgrind with one server
# thread, gets N/5 warm-up writes, then N measured ones on one keep-alive
# connection (counters zeroed before, dumped after; the whole process, so
# the password worker of a signup counts too), then P more between two
# TRUNCATE checkpoints: the WAL's frames / P are the pages written per write.
# The three servers get the same targets and bodies.
#
#   OLD=/tmp/old/hearth [NEW=build/hearth] [USERS=100000] [N=100] [P=10] bash bench/lists_writes.sh
# DB=path reuses (or keeps) OLD's seeded database; KEEP=dir keeps the three
# copies (a later run then skips the copies; the writes of a run stay in them).
# RUNS (old new bare) and KINDS (follow signup patch) choose servers and writes.
set -euo pipefail
cd "$(dirname "$0")/.."

OLD=${OLD:?OLD=path of a build from before the list counts}
NEW=${NEW:-build/hearth}
USERS=${USERS:-100000}
FOLLOWS=${FOLLOWS:-10}
N=${N:-100}
P=${P:-10}
RUNS=${RUNS:-old new bare}
KINDS=${KINDS:-follow signup patch}
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

DB=${DB:-$dir/seed.db}
if [ ! -s "$DB" ]; then
  echo "seeding $USERS users with $OLD ..."
  "$OLD" seed --db "$DB" --users "$USERS" --follows-per-user "$FOLLOWS" --seed 7 >/dev/null
  "$OLD" user create --db "$DB" --username bench_admin --password 'Adm1n!pass-bench' --role admin >/dev/null
fi
if [ ! -s "$dir/bare/hearth.db" ]; then
  mkdir -p "$dir/old" "$dir/new" "$dir/bare"
  cp "$DB" "$dir/old/hearth.db"
  cp "$DB" "$dir/new/hearth.db"
  "$NEW" migrate --data-dir "$dir/new" >/dev/null
  "$NEW" sql --data-dir "$dir/new" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  cp "$dir/new/hearth.db" "$dir/bare/hearth.db"
  drops=$("$NEW" sql --data-dir "$dir/bare" "SELECT group_concat('DROP ' || type || ' ' || name, '; ') FROM \
sqlite_master WHERE type IN ('trigger', 'index') AND name LIKE 'list\_%' ESCAPE '\'")
  "$NEW" sql --data-dir "$dir/bare" "$drops" >/dev/null
  "$NEW" sql --data-dir "$dir/bare" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi

q() { "$OLD" sql --data-dir "$dir/old" "$1"; }
admin=$(q "SELECT id FROM users WHERE username = 'bench_admin'")
me=$(q "SELECT id FROM users WHERE status = 'a' AND role IS NULL ORDER BY id LIMIT 1")
maxid=$(q "SELECT max(id) FROM users")
pagesize=$(q "PRAGMA page_size")
tok=$("$OLD" token --data-dir "$dir/old" --user "$me" --ttl 7200)
admintok=$("$OLD" token --data-dir "$dir/old" --user "$admin" --ttl 7200)
# the targets of the follow toggles: the same for every server, none followed yet
total=$((N / 5 + N + P))
mapfile -t targets < <(q "SELECT id FROM users WHERE status = 'a' AND id <> $me AND id NOT IN (SELECT followed_id \
FROM follows WHERE follower_id = $me) ORDER BY (id * 2654435761) % 1000003 LIMIT $total")
echo "users $maxid; writes by user $me; page size $pagesize; N $N, P $P"

# writes from..to-1 of one kind, on one connection (a line on stderr per status other than 2xx)
writes() { # kind from to
  local args=() i
  for ((i = $2; i < $3; i++)); do
    [ $i -gt $2 ] && args+=(--next)
    args+=(-s -o /dev/null -w '%{http_code}\n')
    case $1 in
    follow) args+=(-X POST -H "Authorization: Bearer $tok" "$base/api/v2/user/${targets[$i]}/follow/") ;;
    signup) args+=(-X POST -H "Authorization: Bearer $admintok" -H 'Content-Type: application/json' \
      -d "{\"username\": \"w$i\"}" "$base/api/v2/sso/signup/") ;;
    patch) args+=(-X PATCH -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d "{\"real_name\": \"Bench $i\"}" "$base/api/v2/user/$me/") ;;
    esac
  done
  curl "${args[@]}" | sort | uniq -c | awk '$2 !~ /^2/ {print "bench: " $0 " (not 2xx)" > "/dev/stderr"}'
}

measure() { # name binary: prints "name kind instructions pages" lines
  local out="$dir/$1.out" b=$2 kind cg frames walsize
  : >"$out"
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.$1.%p" "$b" serve --data-dir "$dir/$1" \
    --listen 127.0.0.1:0 --threads 1 >"$out" 2>>"$dir/$1.err" &
  vg=$!
  for _ in $(seq 600); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$out")
  [ -n "$base" ] || { echo "bench: $1 did not start" >&2; exit 1; }
  for kind in $KINDS; do
    writes $kind 0 $((N / 5))
    callgrind_control -z "$vg" >/dev/null 2>&1
    writes $kind $((N / 5)) $((N / 5 + N))
    callgrind_control -d "$vg" >/dev/null 2>&1
    sleep 0.5
    cg=$(ls -t "$dir"/cg."$1"."$vg".* | head -1)
    "$b" sql --data-dir "$dir/$1" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    writes $kind $((N / 5 + N)) "$total"
    walsize=$(stat -c %s "$dir/$1/hearth.db-wal")
    frames=$(((walsize > 32 ? walsize - 32 : 0) / (pagesize + 24)))
    echo "$1 $kind $(awk -v n="$N" '/^summary:/ {print int($2 / n)}' "$cg") $(awk -v f="$frames" -v p="$P" \
      'BEGIN {printf "%.1f", f / p}')"
  done
  kill "$vg"
  wait "$vg" 2>/dev/null || true
  vg=""
}

results=$(for r in $RUNS; do if [ "$r" = old ]; then measure old "$OLD"; else measure "$r" "$NEW"; fi; done)
echo "$results" # server write instructions/write pages/write
get() { awk -v r="$1" -v k="$2" -v c="$3" '$1 == r && $2 == k {print $c}' <<<"$results"; }
echo
echo "| write | old instr. | new | bare | new/bare | new/old | pages old | new | bare |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for kind in $KINDS; do
  o=$(get old $kind 3) n=$(get new $kind 3) b=$(get bare $kind 3)
  echo "| $kind | $o | $n | $b | $(awk -v n="$n" -v b="$b" 'BEGIN {printf "%.3f", n / b}') |" \
    "$(awk -v n="$n" -v o="$o" 'BEGIN {printf "%.3f", n / o}') | $(get old $kind 4) | $(get new $kind 4) |" \
    "$(get bare $kind 4) |"
done
