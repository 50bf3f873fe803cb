#!/usr/bin/env bash
# bench/suggestions.sh - the cost of suggestion pages on a seeded
# population: GET /suggestion/user/ (first page, deep offsets, both modes),
# GET /suggestion/?search=, GET /suggestion/category/, POST /user/match/.
#
# Seeds USERS users (FOLLOWS follows each, hearth seed), starts hearth on
# 127.0.0.1 and prints, per request, the median and the worst of REPEAT
# sequential curl timings (ms), then wrk's requests/s for the first page of
# people (DURATION s, CONNECTIONS connections). The machine is shared:
# compare the rows of one run, not numbers across runs.
#
#   USERS=100000 bash bench/suggestions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-100000}
FOLLOWS=${FOLLOWS:-20}
REPEAT=${REPEAT:-9}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-8}
source bench/lib.sh

bench_setup
H() { "$BIN" sql "$1"; }
# the caller: the user who follows the most (a wide second degree)
me=$(H "SELECT id FROM users WHERE status = 'a' AND role IS NULL ORDER BY followings_counter DESC, id LIMIT 1")
tok=$("$BIN" token --user "$me" --ttl 3600)
names=$(H "SELECT json_group_array(upper(username)) FROM (SELECT username FROM users WHERE status = 'a' ORDER BY id DESC LIMIT 100)")
term=$(H "SELECT substr(username_fold, 1, 3) FROM users WHERE status = 'a' ORDER BY id LIMIT 1 OFFSET 7")
echo "users: $(H "SELECT count(*) FROM users WHERE status IN ('a', 'b')"); caller $me follows" \
  "$(H "SELECT followings_counter FROM users WHERE id = $me"); search term '$term'"

time_ms() { # method path [body]: REPEAT timings, prints "median worst" in ms
  local t=()
  for _ in $(seq "$REPEAT"); do
    if [ $# -ge 3 ]; then
      t+=("$(curl -s -o /dev/null -w '%{time_total}' -X "$1" -H "Authorization: Bearer $tok" \
        -H 'Content-Type: application/json' --data "$3" "$base$2")")
    else
      t+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $tok" "$base$2")")
    fi
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int((NR+1)/2)]*1000, a[NR]*1000}'
}
status_of() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base$1"; }

run_mode() { # label
  echo
  echo "== $1"
  printf '%-48s %10s %10s\n' request median_ms worst_ms
  for path in "/api/v2/suggestion/user/" "/api/v2/suggestion/user/?limit=100" \
    "/api/v2/suggestion/user/?offset=1000" "/api/v2/suggestion/user/?offset=10000" \
    "/api/v2/suggestion/user/?offset=$((USERS / 2))"; do
    [ "$(status_of "$path")" = 200 ] || { echo "bench: $path failed"; exit 1; }
    read -r med worst <<<"$(time_ms GET "$path")"
    printf '%-48s %10s %10s\n' "$path" "$med" "$worst"
  done
}

bench_start 4
run_mode "follow mode"
for path in "/api/v2/suggestion/?search=$term" "/api/v2/suggestion/?search=$term&offset=100" \
  "/api/v2/suggestion/category/" "/api/v2/user/search/?search=$term"; do
  read -r med worst <<<"$(time_ms GET "$path")"
  printf '%-48s %10s %10s\n' "$path" "$med" "$worst"
done
read -r med worst <<<"$(time_ms POST /api/v2/user/match/ "$names")"
printf '%-48s %10s %10s\n' "POST /api/v2/user/match/ (100 names)" "$med" "$worst"
out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Authorization: Bearer $tok" "$base/api/v2/suggestion/user/")
echo "wrk first page of people: $(wrk_rps "$out") req/s"
out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Authorization: Bearer $tok" "$base/api/v2/user/$me/")
echo "wrk GET /user/{id}/ (for scale): $(wrk_rps "$out") req/s"
bench_stop

# friendship mode: the seed's follows are not connections; connect the
# caller to 100 users and each of those to 100 others (a full second degree)
"$BIN" pref set configurations.follow_enabled false >/dev/null
H "INSERT OR IGNORE INTO connections (user_id, other_id, created_us)
   SELECT $me, id, 1 FROM users WHERE status = 'a' AND id <> $me ORDER BY id LIMIT 100;
   INSERT OR IGNORE INTO connections (user_id, other_id, created_us) SELECT other_id, $me, 1 FROM connections WHERE user_id = $me;
   INSERT OR IGNORE INTO connections (user_id, other_id, created_us)
   SELECT f.other_id, u.id, 2 FROM connections f, users u WHERE f.user_id = $me AND u.status = 'a' AND u.id % 97 = f.other_id % 97 AND u.id <> f.other_id AND u.id <> $me;" >/dev/null
bench_start 4
run_mode "friendship mode (caller with $(H "SELECT count(*) FROM connections WHERE user_id = $me") connections)"
bench_stop
