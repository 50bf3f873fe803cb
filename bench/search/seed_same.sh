#!/usr/bin/env bash
# bench/search/seed_same.sh - `hearth seed` gives the same population on
# SQLite and on PostgreSQL for the same options: seeds USERS users (3000)
# into a new SQLite file and into the given empty PostgreSQL database, then
# compares every seeded table row by row on the columns both engines hold
# (timestamps of the run itself aside). Exit 0 when all match.
#
#   bench/search/seed_same.sh postgresql://USER:PASS@127.0.0.1:PORT/DB
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_URL=${1:?usage: seed_same.sh postgresql://USER:PASS@HOST:PORT/EMPTY_DB}
BIN=${HEARTH_BIN:-build/hearth}
USERS=${USERS:-3000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HEARTH_DATA_DIR=$tmp HEARTH_PASSWORD_COST=min
for db in "$tmp/hearth.db" "$PG_URL"; do
  HEARTH_DB=$db "$BIN" migrate >/dev/null
  HEARTH_DB=$db "$BIN" seed --users "$USERS" --follows-per-user 10 --seed 42 >/dev/null
done
queries=(
  "SELECT id, username, username_fold, email, email_fold, real_name, real_name_fold, location, date_of_birth,
     description, gender, status, role, date_joined_us, followers_counter, followings_counter, categories_counter,
     CAST(round(location_lat * 10000000) AS bigint), CAST(round(location_lng * 10000000) AS bigint),
     CAST(round(position_lat * 10000000) AS bigint), CAST(round(position_lng * 10000000) AS bigint)
   FROM users ORDER BY id"
  "SELECT follower_id, followed_id, created_us FROM follows ORDER BY 1, 2"
  "SELECT user_id, tag_id FROM user_tags ORDER BY 1, 2"
  "SELECT user_id, category_id, created_us FROM category_follows ORDER BY 1, 2"
  "SELECT id, type, name, description, color, visible, active, deleted FROM tags ORDER BY id"
  "SELECT id, \"order\", name, slug, followers_counter FROM categories ORDER BY id"
)
bad=0
for q in "${queries[@]}"; do
  sqlite3 -separator '|' "$tmp/hearth.db" "$q" >"$tmp/a"
  psql "$PG_URL" -XAt -F '|' -c "$q" >"$tmp/b"
  table=$(sed -nE 's/.*FROM ([a-z_]+).*/\1/p' <<<"$q" | tail -1)
  if cmp -s "$tmp/a" "$tmp/b"; then
    echo "$table: $(wc -l <"$tmp/a") rows, the same"
  else
    echo "$table: DIFFERENT"
    diff "$tmp/a" "$tmp/b" | head -5
    bad=1
  fi
done
exit $bad
