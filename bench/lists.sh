#!/usr/bin/env bash
# bench/lists.sh - list pages at random offsets against single-user reads,
# before and after a change, side by side in one run (wrk).
#
# Seeds USERS users (hearth seed, FOLLOWS follows per user) with the BEFORE
# binary, copies the database for the AFTER binary (which migrates it), starts
# both servers on 127.0.0.1 and, endpoint by endpoint, drives BEFORE then
# AFTER with wrk (CONNECTIONS connections, DURATION seconds). Random offsets,
# ids and targets come from bench/lists.lua. Prints requests/s, p50, p99 and
# each list's throughput as a ratio of GET /api/v2/user/{id}/ on the same
# binary. This machine is shared: compare ratios and the two columns of one
# run, not absolute numbers across runs.
#
#   BEFORE=/tmp/base/build/hearth AFTER=build/hearth USERS=100000 bench/lists.sh
# Set DB=path to reuse (or keep) the seeded database of the BEFORE binary,
# KEEP=dir to keep the two servers' copies there for the next run (which
# then skips the copies and the migration; the writes of a run stay in them),
# ONLY=regex to run only the endpoints whose names match (GET /user/{id}/,
# the reference of the ratios, always runs), AFTER_ONLY=regex to run the
# matching ones on AFTER only (e.g. orderings that BEFORE walks row by row:
# its server would keep working on the abandoned requests into the next
# endpoints), WARMUP=seconds (2) of each endpoint's requests before its
# measure, not counted.
set -euo pipefail
cd "$(dirname "$0")/.."

BEFORE=${BEFORE:?BEFORE=path of the binary to compare with}
AFTER=${AFTER:-build/hearth}
USERS=${USERS:-100000}
FOLLOWS=${FOLLOWS:-10}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2} # seconds of each endpoint's requests before its measure (0: none)
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${SERVER_THREADS:-4}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)"; exit 1; }

dir=${KEEP:-$(mktemp -d)}
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
export HEARTH_JWT_SECRET=bench-secret-0123456789 HEARTH_PASSWORD_COST=min

DB=${DB:-$dir/seed.db}
if [ ! -s "$DB" ]; then
  echo "seeding $USERS users with $BEFORE ..."
  "$BEFORE" seed --db "$DB" --users "$USERS" --follows-per-user "$FOLLOWS" >/dev/null
  "$BEFORE" user create --db "$DB" --username bench_admin --password 'Adm1n!pass-bench' --role admin >/dev/null
fi
if [ ! -s "$dir/after/hearth.db" ]; then
  mkdir -p "$dir/before" "$dir/after"
  cp "$DB" "$dir/before/hearth.db"
  cp "$DB" "$dir/after/hearth.db"
fi
start=$(date +%s.%N)
"$AFTER" migrate --data-dir "$dir/after" >/dev/null
echo "AFTER migrate (the maintained counts built): $(echo "$(date +%s.%N) - $start" | bc) s"
# the migration's pages out of the WAL, as in the BEFORE copy (a long WAL slows every read and write)
"$AFTER" sql --data-dir "$dir/after" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

q() { "$BEFORE" sql --data-dir "$dir/before" "$1"; }
admin=$(q "SELECT id FROM users WHERE username = 'bench_admin'")
me=$(q "SELECT id FROM users WHERE status = 'a' AND role IS NULL ORDER BY id LIMIT 1")
maxid=$(q "SELECT max(id) FROM users")
visible=$(q "SELECT count(*) FROM users WHERE status IN ('a', 'b')")
hub=$(q "SELECT id FROM users WHERE status = 'a' ORDER BY abs(followers_counter - 100000) LIMIT 1")
hubn=$(q "SELECT followers_counter FROM users WHERE id = $hub")
echo "users $maxid (visible $visible); followers page of user $hub ($hubn followers)"

serve() { # variable name binary: the server's base URL into the variable
  "$3" serve --data-dir "$dir/$2" --listen 127.0.0.1:0 --threads "$THREADS" >"$dir/$2.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$dir/$2.out" 2>/dev/null && break; sleep 0.1; done
  printf -v "$1" '%s' "$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/$2.out")"
}
serve base_before before "$BEFORE"
serve base_after after "$AFTER"
[ -n "$base_before" ] && [ -n "$base_after" ] || { echo "bench: a server did not start"; exit 1; }
tok=$("$BEFORE" token --data-dir "$dir/before" --user "$me" --ttl 7200)
admintok=$("$BEFORE" token --data-dir "$dir/before" --user "$admin" --ttl 7200)

run() { # base token method pattern lo hi [body]
  local out
  # WARMUP seconds of the same requests first, not counted: the measure is
  # the steady state, not the first reads of a cold cache
  [ "$WARMUP" = 0 ] || wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: Bearer $2" -s bench/lists.lua "$1" \
    -- "${@:3}" >/dev/null
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $2" -s bench/lists.lua "$1" \
    -- "${@:3}")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$rps|$p50|$p99|${non2xx:-0}"
}

names=()
before=()
after=()
both() { # name token method pattern lo hi [body]
  [[ ${#names[@]} -eq 0 || -z ${ONLY:-} || $1 =~ $ONLY ]] || return 0
  names+=("$1")
  if [[ -n ${AFTER_ONLY:-} && $1 =~ $AFTER_ONLY ]]; then
    before+=("0|-|-|-")
  else
    before+=("$(run "$base_before" "${@:2}")")
  fi
  after+=("$(run "$base_after" "${@:2}")")
}

span=$((visible > 20 ? visible - 20 : 1))
both "GET /user/{id}/" "$tok" GET "/api/v2/user/{r}/" 1 "$maxid"
both "GET /user/?offset=random" "$tok" GET "/api/v2/user/?limit=20&offset={r}" 0 "$span"
both "GET /user/?ordering=username&offset=random" "$tok" GET "/api/v2/user/?limit=20&ordering=username&offset={r}" 0 "$span"
both "GET /user/?ordering=-id&offset=random" "$tok" GET "/api/v2/user/?limit=20&ordering=-id&offset={r}" 0 "$span"
both "GET /user/?ordering=real_name&offset=random" "$tok" GET "/api/v2/user/?limit=20&ordering=real_name&offset={r}" 0 "$span"
both "GET /user/?ordering=-location&offset=random" "$tok" GET "/api/v2/user/?limit=20&ordering=-location&offset={r}" 0 "$span"
both "GET /user/?ordering=-date_joined&offset=random" "$tok" GET "/api/v2/user/?limit=20&ordering=-date_joined&offset={r}" 0 "$span"
both "GET /user/?ordering=date_joined&offset=random" "$tok" GET "/api/v2/user/?limit=20&ordering=date_joined&offset={r}" 0 "$span"
both "GET /user/{hub}/followers/?offset=random" "$tok" GET "/api/v2/user/$hub/followers/?limit=20&offset={r}" 0 "$((hubn > 20 ? hubn - 20 : 1))"
both "POST /user/{id}/follow/ (toggle)" "$tok" POST "/api/v2/user/{r}/follow/" 1 "$maxid"
both "POST /sso/signup/" "$admintok" POST "/api/v2/sso/signup/" 0 0 '{"username": "b{n}"}'
both "PATCH /user/{me}/ (real_name)" "$tok" PATCH "/api/v2/user/$me/" 0 1000000 '{"real_name": "Bench {r}"}'

ref_before=$(cut -d'|' -f1 <<<"${before[0]}")
ref_after=$(cut -d'|' -f1 <<<"${after[0]}")
printf '\n%-50s %10s %9s %9s %7s %6s | %10s %9s %9s %7s %6s\n' endpoint "before r/s" p50 p99 "×get" non2xx \
  "after r/s" p50 p99 "×get" non2xx
for i in "${!names[@]}"; do
  IFS='|' read -r r1 a1 b1 c1 <<<"${before[$i]}"
  IFS='|' read -r r2 a2 b2 c2 <<<"${after[$i]}"
  printf '%-50s %10s %9s %9s %7.2f %6s | %10s %9s %9s %7.2f %6s\n' "${names[$i]}" "$r1" "$a1" "$b1" \
    "$(echo "$r1 / $ref_before" | bc -l)" "$c1" "$r2" "$a2" "$b2" "$(echo "$r2 / $ref_after" | bc -l)" "$c2"
done
"$AFTER" check --data-dir "$dir/after" | tail -2
