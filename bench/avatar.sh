#!/usr/bin/env bash
# bench/avatar.sh - requests/s of the generated default avatar
# (GET /api/v2/avatar/{id}: 200 with the PNG, and 304 to If-None-Match) and
# of the caller's gallery (GET /api/v2/user/avatar/, one entry), against a
# server on 127.0.0.1 with a seeded population.
#   USERS=2000 SECONDS_EACH=5 bash bench/avatar.sh
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-2000}
FOLLOWS=${FOLLOWS:-5}
SECONDS_EACH=${SECONDS_EACH:-5}
source bench/lib.sh

bench_setup
bench_start "${THREADS:-2}"
etag=$(curl -s -D - -o /dev/null "$base/api/v2/avatar/$popular" | sed -nE 's/^[Ee][Tt][Aa][Gg]: (.*)\r$/\1/p')
[ -n "$etag" ] || { echo "bench: no ETag"; exit 1; }
printf 'GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!' >"$dir/a.gif"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $oauth" -F "avatar=@$dir/a.gif" \
  "$base/api/v2/user/avatar/")
[ "$code" = 201 ] || { echo "bench: upload answered $code"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/api/v2/avatar/$popular")
[ "$code" = 304 ] || { echo "bench: If-None-Match answered $code"; exit 1; }

run() {
  local name=$1
  shift
  local out
  out=$(wrk -t2 -c16 -d"${SECONDS_EACH}s" "$@")
  printf '%-40s %10s req/s\n' "$name" "$(wrk_rps "$out")"
}
run "GET /api/v2/avatar/{id} (200, PNG)" "$base/api/v2/avatar/$popular"
run "GET /api/v2/avatar/{id} (304)" -H "If-None-Match: $etag" "$base/api/v2/avatar/$popular"
run "GET /api/v2/user/avatar/ (gallery)" -H "Authorization: Bearer $oauth" "$base/api/v2/user/avatar/"
bench_stop
