#!/usr/bin/env bash
# bench/backends.sh - the same binary on SQLite and on PostgreSQL, side by
# side in one run (wrk): reads (GET user, GET me with an OAuth token, a user
# list page, a followers page) and follow toggles.
#
# Seeds USERS users (FOLLOWS follows each, the same population on both:
# hearth seed is deterministic) into an SQLite file and into a database of a
# throwaway PostgreSQL cluster (scripts/pg-cluster.sh), starts one server on
# each (SERVER_THREADS threads, access log off), and drives each endpoint on
# SQLite then PostgreSQL with wrk (CONNECTIONS connections, DURATION s).
# Prints requests/s, p50, p99 and PostgreSQL's throughput as a ratio of
# SQLite's. The machine is shared and PostgreSQL runs on the same 2 cores as
# hearth and wrk: compare the ratios of one run, not absolute numbers.
#
#   USERS=100000 bench/backends.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
USERS=${USERS:-100000}
FOLLOWS=${FOLLOWS:-10}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${SERVER_THREADS:-4}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)"; exit 1; }
[ -x "$BIN" ] || { echo "bench: build first (make build)"; exit 1; }

dir=$(mktemp -d)
chmod 755 "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  scripts/pg-cluster.sh stop "$dir/pg" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
export HEARTH_JWT_SECRET=bench-secret-0123456789 HEARTH_PASSWORD_COST=min

url=$(scripts/pg-cluster.sh start "$dir/pg")
psql -q "$url" -c "CREATE DATABASE bench" >/dev/null
PGDB=${url%/postgres}/bench
LITE=$dir/lite/hearth.db
mkdir -p "$dir/lite"

for db in "$LITE" "$PGDB"; do
  start=$(date +%s.%N)
  "$BIN" seed --db "$db" --users "$USERS" --follows-per-user "$FOLLOWS" --seed 1 >/dev/null
  "$BIN" user create --db "$db" --username bench_admin --password 'Adm1n!pass-bench' --role admin >/dev/null
  echo "seeded $USERS users on $([ "$db" = "$LITE" ] && echo SQLite || echo PostgreSQL): $(echo "$(date +%s.%N) - $start" | bc) s"
done

q() { "$BIN" sql --db "$LITE" "$1"; }
me=$(q "SELECT id FROM users WHERE status = 'a' AND role IS NULL ORDER BY id LIMIT 1")
maxid=$(q "SELECT max(id) FROM users")
visible=$(q "SELECT count(*) FROM users WHERE status IN ('a', 'b')")
hub=$(q "SELECT id FROM users WHERE status = 'a' ORDER BY followers_counter DESC, id LIMIT 1")
hubn=$(q "SELECT followers_counter FROM users WHERE id = $hub")
echo "users $maxid (visible $visible); followers page of user $hub ($hubn followers)"

serve() { # variable name db: the server's base URL into the variable
  "$BIN" serve --db "$3" --data-dir "$dir/$2" --listen 127.0.0.1:0 --threads "$THREADS" --access-log off \
    >"$dir/$2.out" 2>"$dir/$2.err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$dir/$2.out" 2>/dev/null && break; sleep 0.1; done
  printf -v "$1" '%s' "$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/$2.out")"
}
mkdir -p "$dir/slite" "$dir/spg"
serve base_lite slite "$LITE"
serve base_pg spg "$PGDB"
[ -n "$base_lite" ] && [ -n "$base_pg" ] || { echo "bench: a server did not start"; cat "$dir"/*.err; exit 1; }

oauth() { # base db: an OAuth access token of bench_admin
  local client
  client=$("$BIN" client create --db "$2" --name bench | sed -E 's/.*"client_id":"([^"]+)".*/\1/')
  curl -s -X POST "$1/oauth/token/" -d grant_type=password -d username=bench_admin \
    -d 'password=Adm1n!pass-bench' -d "client_id=$client" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
tok_lite=$(oauth "$base_lite" "$LITE")
tok_pg=$(oauth "$base_pg" "$PGDB")
jwt=$("$BIN" token --db "$LITE" --user "$me" --ttl 7200) # the same secret and user id on both

run() { # base token method pattern lo hi
  local out
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
lite=()
pg=()
both() { # name token-kind method pattern lo hi
  local tl=$jwt tp=$jwt
  [ "$2" = oauth ] && tl=$tok_lite tp=$tok_pg
  names+=("$1")
  lite+=("$(run "$base_lite" "$tl" "${@:3}")")
  pg+=("$(run "$base_pg" "$tp" "${@:3}")")
}

span=$((visible > 20 ? visible - 20 : 1))
both "GET /user/{id}/" jwt GET "/api/v2/user/{r}/" 1 "$maxid"
both "GET /user/me/ (OAuth token)" oauth GET "/api/v2/user/me/" 0 0
both "GET /user/?limit=20" jwt GET "/api/v2/user/?limit=20" 0 0
both "GET /user/?offset=random" jwt GET "/api/v2/user/?limit=20&offset={r}" 0 "$span"
both "GET /user/{hub}/followers/?offset=random" jwt GET "/api/v2/user/$hub/followers/?limit=20&offset={r}" 0 "$((hubn > 20 ? hubn - 20 : 1))"
both "POST /user/{id}/follow/ (toggle)" jwt POST "/api/v2/user/{r}/follow/" 1 "$maxid"

echo
echo "hearth $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $THREADS server threads, wrk -t2 -c$CONNECTIONS -d${DURATION}s, $(nproc) cores, $USERS users"
echo
printf '| %-44s | %10s | %8s | %8s | %6s | %10s | %8s | %8s | %6s | %7s |\n' endpoint "SQLite r/s" p50 p99 non2xx \
  "PG r/s" p50 p99 non2xx "PG/SQLite"
echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
for i in "${!names[@]}"; do
  IFS='|' read -r r1 a1 b1 c1 <<<"${lite[$i]}"
  IFS='|' read -r r2 a2 b2 c2 <<<"${pg[$i]}"
  printf '| %-44s | %10s | %8s | %8s | %6s | %10s | %8s | %8s | %6s | %7.2f |\n' "${names[$i]}" "$r1" "$a1" "$b1" \
    "$c1" "$r2" "$a2" "$b2" "$c2" "$(echo "$r2 / $r1" | bc -l)"
done
echo
echo "hearth check: SQLite: $("$BIN" check --db "$LITE" 2>&1 | tail -1); PostgreSQL: $("$BIN" check --db "$PGDB" 2>&1 | tail -1)"
