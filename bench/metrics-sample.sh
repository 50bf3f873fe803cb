#!/usr/bin/env bash
# metrics-sample.sh - a short mixed load against a fresh server on
# 127.0.0.1 with --metrics, then prints GET /metrics (without the histogram
# buckets but those of GET /api/v2/user/me/ 200). Usage: bash bench/metrics-sample.sh [BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/hearth}
PORT=${PORT:-18433}
T=$(mktemp -d)
export HEARTH_DATA_DIR=$T HEARTH_PASSWORD_COST=min
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$T"' EXIT
"$BIN" migrate >/dev/null
"$BIN" user create --username alice --password 'Alice-Passw0rd' >/dev/null 2>&1
CID=$("$BIN" client create --name bench | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
"$BIN" serve --listen 127.0.0.1:$PORT --metrics >"$T/out.log" 2>&1 &
PID=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
B=http://127.0.0.1:$PORT
TOK=$("$BIN" token --user 1)
urls() { for _ in $(seq "$1"); do printf 'url = "%s"\noutput = /dev/null\n' "$2"; done; }
wrk -t1 -c4 -d1s -H "Authorization: Bearer $TOK" "$B/api/v2/user/me/" | grep -E "requests in|Requests/sec"
urls 100 "$B/api/v2/user/?limit=5" | curl -s -H "Authorization: Bearer $TOK" -K -
urls 50 "$B/api/v2/user/1/" | curl -s -K -
urls 30 "$B/api/v2/user/me/" | curl -s -K -
urls 20 "$B/nope/" | curl -s -K -
for _ in $(seq 12); do
  curl -s -o /dev/null -d grant_type=password -d username=alice -d password=wrong-Passw0rd -d "client_id=$CID" "$B/oauth/token/"
done
curl -s "$B/metrics" | grep -v '^#' | grep -v '_bucket' || true
curl -s "$B/metrics" | grep '_bucket{method="GET",route="/api/v2/user/me/",status="200"'
