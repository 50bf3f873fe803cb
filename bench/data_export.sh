#!/usr/bin/env bash
# bench/data_export.sh - how long the personal data export of a big user
# takes, how large the archive is, and how long a download takes.
#
# Seeds a fresh database (hearth seed), gives one user FOLLOWERS followers,
# FOLLOWINGS followings and POSTS posts (hearth sql, counters recomputed),
# starts hearth on 127.0.0.1, asks for the user's export (POST
# /api/v2/udp/), polls the status until it is ready, downloads it, and
# prints the build time (the server's log line), the archive's size and
# member count, and the download time.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
FOLLOWERS=${FOLLOWERS:-20000}
FOLLOWINGS=${FOLLOWINGS:-2000}
POSTS=${POSTS:-5000}
USERS=${USERS:-$((FOLLOWERS + 1000))}
[ -x "$BIN" ] || { echo "bench: build first (make build)"; exit 1; }

dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

export HEARTH_DATA_DIR="$dir" HEARTH_PASSWORD_COST=min HEARTH_JWT_SECRET=bench-secret-0123456789abcdef
"$BIN" migrate >/dev/null
"$BIN" seed --users "$USERS" --follows-per-user 5 >/dev/null 2>&1
big=$("$BIN" sql "SELECT id FROM users WHERE status = 'a' ORDER BY id DESC LIMIT 1")
"$BIN" sql "INSERT OR IGNORE INTO follows (follower_id, followed_id, created_us)
  SELECT id, $big, 1700000000000000 + id FROM users WHERE status IN ('a', 'b') AND id <> $big ORDER BY id LIMIT $FOLLOWERS;
  INSERT OR IGNORE INTO follows (follower_id, followed_id, created_us)
  SELECT $big, id, 1700000000000000 + id FROM users WHERE status IN ('a', 'b') AND id <> $big ORDER BY id DESC LIMIT $FOLLOWINGS;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $POSTS)
  INSERT INTO posts (type, author_id, html, summary, added_us, last_activity_us)
  SELECT 'post', $big, '<p>post number ' || i || ' with some text to make it a real paragraph of a post</p>',
    'post number ' || i, 1700000000000000 + i, 1700000000000000 + i FROM n;
  UPDATE users SET followers_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.follower_id
    WHERE f.followed_id = users.id AND o.status IN ('a', 'b')),
    followings_counter = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.followed_id
    WHERE f.follower_id = users.id AND o.status IN ('a', 'b')),
    posts_counter = (SELECT count(*) FROM posts p WHERE p.author_id = users.id AND p.type = 'post' AND NOT p.deleted);"
echo "bench: user $big: $("$BIN" sql "SELECT followers_counter || ' followers, ' || followings_counter || ' followings, ' || posts_counter || ' posts' FROM users WHERE id = $big")"
token=$("$BIN" token --user "$big" --ttl 3600)

"$BIN" serve --listen 127.0.0.1:0 --threads 2 >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" "$dir/err" 2>/dev/null && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/out" "$dir/err" | head -1)
[ -n "$base" ] || { echo "bench: server did not start"; cat "$dir/err"; exit 1; }

auth=(-H "Authorization: Bearer $token")
start=$(date +%s%N)
curl -fsS -X POST "${auth[@]}" "$base/api/v2/udp/" >/dev/null
status=""
for _ in $(seq 6000); do
  status=$(curl -fsS "${auth[@]}" "$base/api/v2/udp/" | sed -nE 's/.*"status":"([a-z]+)".*/\1/p')
  [ "$status" = pending ] || [ "$status" = running ] || break
  sleep 0.05
done
end=$(date +%s%N)
[ "$status" = ready ] || { echo "bench: export $status"; curl -sS "${auth[@]}" "$base/api/v2/udp/"; exit 1; }
echo "bench: request to ready (polled every 50 ms): $(((end - start) / 1000000)) ms"
grep -h "data export: user" "$dir/out" "$dir/err" | sed 's/^/bench: server: /'
dl_start=$(date +%s%N)
curl -fsS "${auth[@]}" -o "$dir/export.zip" "$base/api/v2/udp/download/"
dl_end=$(date +%s%N)
echo "bench: download: $(stat -c %s "$dir/export.zip") bytes in $(((dl_end - dl_start) / 1000000)) ms"
if command -v unzip >/dev/null; then
  unzip -l "$dir/export.zip" | sed 's/^/bench: /'
fi
