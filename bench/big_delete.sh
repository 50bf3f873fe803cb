#!/usr/bin/env bash
# bench/big_delete.sh - how long a hard delete of a user with FOLLOWERS
# followers blocks the other writers.
#
# Seeds a fresh database (hearth seed), makes one user followed by FOLLOWERS
# active users (hearth sql, counters recomputed, `hearth check` clean),
# starts hearth on 127.0.0.1, runs WRITERS follow-toggling loops
# (bench/big_delete_writers.js) and hard-deletes the big user while they
# run. Prints the write latency before and during the delete, then checks
# the counters again.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
FOLLOWERS=${FOLLOWERS:-100000}
USERS=${USERS:-$((FOLLOWERS + FOLLOWERS / 5 + 1000))}
WRITERS=${WRITERS:-4}
THREADS=${SERVER_THREADS:-4}
[ -x "$BIN" ] || { echo "bench: build first (make build)"; exit 1; }

dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

export HEARTH_DATA_DIR="$dir" HEARTH_PASSWORD_COST=min HEARTH_JWT_SECRET=bench-secret-0123456789abcdef
"$BIN" migrate >/dev/null
"$BIN" seed --users "$USERS" --follows-per-user 5 >/dev/null 2>&1
admin=$("$BIN" sql "SELECT id FROM users WHERE status = 'a' ORDER BY id LIMIT 1")
"$BIN" sql "UPDATE users SET role = 'admin' WHERE id = $admin"
big=$("$BIN" sql "SELECT id FROM users WHERE status = 'a' AND id <> $admin ORDER BY id DESC LIMIT 1")
echo "bench: $USERS users, user $big gets $FOLLOWERS followers"
"$BIN" sql "INSERT OR IGNORE INTO follows (follower_id, followed_id, created_us)
  SELECT id, $big, 1700000000000000 + id FROM users WHERE status IN ('a', 'b') AND id NOT IN ($big, $admin)
  ORDER BY id LIMIT $FOLLOWERS;
  UPDATE users SET followers_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.follower_id
    WHERE f.followed_id = users.id AND o.status IN ('a', 'b')),
    followings_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.followed_id
    WHERE f.follower_id = users.id AND o.status IN ('a', 'b'));"
echo "bench: followers of $big: $("$BIN" sql "SELECT followers_counter FROM users WHERE id = $big")"
"$BIN" check | grep counters

# the writers: active users other than the big one (their follows are small)
"$BIN" sql "SELECT id FROM users WHERE status = 'a' AND id NOT IN ($big, $admin) ORDER BY id DESC LIMIT 1, $((WRITERS * 2))" |
  while read -r id; do echo "$id $("$BIN" token --user "$id" --ttl 3600)"; done >"$dir/tokens"
admin_token=$("$BIN" token --user "$admin" --ttl 3600)

"$BIN" serve --listen 127.0.0.1:0 --threads "$THREADS" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" "$dir/err" 2>/dev/null && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/out" "$dir/err" | head -1)
[ -n "$base" ] || { echo "bench: server did not start"; cat "$dir/err"; exit 1; }

WRITERS=$WRITERS node bench/big_delete_writers.js "$base" "$admin_token" "$big" "$dir/tokens"

kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "bench: after the delete: followers edges of $big: $("$BIN" sql "SELECT count(*) FROM follows WHERE followed_id = $big"), status $("$BIN" sql "SELECT status FROM users WHERE id = $big")"
"$BIN" check | grep counters
