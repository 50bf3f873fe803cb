#!/usr/bin/env bash
# bench/cluster.sh - throughput of GET /api/v2/user/{id}/ (a random user, a
# JWT) with wrk: one hearth server directly, then haproxy round-robin in
# front of that one server (the proxy's own cost), then haproxy in front of
# three servers on the same PostgreSQL database (the layout of
# tests/api/cluster.test.js and contrib/haproxy.cfg), and one server with as
# many threads as the three together, directly (the same number of request
# threads and database connections without the proxy).
#
# A throwaway PostgreSQL cluster (scripts/pg-cluster.sh), USERS seeded users,
# SERVERS servers of SERVER_THREADS threads each (access log off), Debian's
# haproxy from a generated config; everything on 127.0.0.1 and removed at
# the end. Prints requests/s, p50, p99 and non-2xx for each layout. On a
# machine with few cores hearth, PostgreSQL, haproxy and wrk share the same
# CPUs: more servers cannot add CPU, and the proxy adds a hop per request.
#
#   USERS=20000 DURATION=8 CONNECTIONS=16 bench/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${HEARTH_BIN:-build/hearth}
HAPROXY=${HAPROXY:-/usr/sbin/haproxy}
USERS=${USERS:-20000}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${SERVER_THREADS:-2}
SERVERS=${SERVERS:-3}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)"; exit 1; }
[ -x "$HAPROXY" ] || { echo "bench: haproxy is missing (scripts/install-deps.sh)"; exit 1; }
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
export HEARTH_JWT_SECRET=bench-secret-0123456789 HEARTH_PASSWORD_COST=min HEARTH_PER_IP_LIMIT=0 \
  HEARTH_TRUSTED_PROXIES=127.0.0.1 HEARTH_MEDIA_DIR="$dir/media"

url=$(scripts/pg-cluster.sh start "$dir/pg")
psql -q "$url" -c "CREATE DATABASE bench" >/dev/null
export HEARTH_DB=${url%/postgres}/bench
"$BIN" migrate >/dev/null
"$BIN" seed --users "$USERS" --follows-per-user 5 --seed 1 >/dev/null
maxid=$("$BIN" sql "SELECT max(id) FROM users")
me=$("$BIN" sql "SELECT min(id) FROM users WHERE status = 'a'")
jwt=$("$BIN" token --user "$me" --ttl 3600)

ports=()
for i in $(seq "$SERVERS"); do
  mkdir -p "$dir/s$i"
  "$BIN" serve --data-dir "$dir/s$i" --listen 127.0.0.1:0 --threads "$THREADS" --access-log off \
    >"$dir/s$i.out" 2>"$dir/s$i.err" &
  pids+=($!)
done
for i in $(seq "$SERVERS"); do
  for _ in $(seq 150); do grep -q listening "$dir/s$i.out" 2>/dev/null && break; sleep 0.1; done
  p=$(sed -nE 's/.*listening on http:\/\/127\.0\.0\.1:([0-9]+).*/\1/p' "$dir/s$i.out")
  [ -n "$p" ] || { echo "bench: server $i did not start"; cat "$dir/s$i.err"; exit 1; }
  ports+=("$p")
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

haproxy_start() { # name count: haproxy round-robin over the first count servers; prints its base URL
  local port cfg
  port=$(free_port)
  cfg="$dir/$1.cfg"
  {
    printf 'global\n    maxconn 4000\n    nbthread 2\n'
    printf 'defaults\n    mode http\n    option http-keep-alive\n    option forwardfor\n'
    printf '    timeout connect 2s\n    timeout client 30s\n    timeout server 30s\n    timeout check 10s\n'
    printf 'frontend fe\n    bind 127.0.0.1:%s\n    default_backend hearth\n' "$port"
    printf 'backend hearth\n    balance roundrobin\n    option httpchk GET /health\n    http-check expect status 200\n'
    printf '    default-server inter 1s fall 2 rise 1\n'
    for i in $(seq "$2"); do printf '    server s%s 127.0.0.1:%s check\n' "$i" "${ports[$((i - 1))]}"; done
  } >"$cfg"
  "$HAPROXY" -db -f "$cfg" >"$dir/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" 2>/dev/null | grep -q 200 && break
    sleep 0.1
  done
  echo "http://127.0.0.1:$port"
}

run() { # base
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $jwt" -s bench/lists.lua "$1" \
    -- GET "/api/v2/user/{r}/" 1 "$maxid")
  printf '%s|%s|%s|%s' "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
}

# one more server with as many threads as the cluster has in all (the same
# number of database connections and request threads, in one process)
big=$((THREADS * SERVERS))
mkdir -p "$dir/big"
"$BIN" serve --data-dir "$dir/big" --listen 127.0.0.1:0 --threads "$big" --access-log off >"$dir/big.out" 2>"$dir/big.err" &
pids+=($!)
for _ in $(seq 150); do grep -q listening "$dir/big.out" 2>/dev/null && break; sleep 0.1; done
bigbase=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$dir/big.out")
[ -n "$bigbase" ] || { echo "bench: the server of $big threads did not start"; cat "$dir/big.err"; exit 1; }

direct="http://127.0.0.1:${ports[0]}"
lb1=$(haproxy_start lb1 1)
lbn=$(haproxy_start lbn "$SERVERS")
results=("$(run "$direct")" "$(run "$bigbase")" "$(run "$lb1")" "$(run "$lbn")")
names=("one server ($THREADS threads) directly" "one server ($big threads) directly" "haproxy -> one server ($THREADS threads)"
  "haproxy -> $SERVERS servers (round-robin)")

echo "hearth $(git rev-parse --short HEAD 2>/dev/null || echo '?'), GET /api/v2/user/{random}/ with a JWT, $USERS users,"
echo "$THREADS threads per server, wrk -t2 -c$CONNECTIONS -d${DURATION}s, haproxy nbthread 2, $(nproc) cores"
echo
printf '| %-40s | %9s | %8s | %8s | %6s |\n' layout "r/s" p50 p99 non2xx
echo '|---|---:|---:|---:|---:|'
for i in "${!names[@]}"; do
  IFS='|' read -r r a b c <<<"${results[$i]}"
  printf '| %-40s | %9s | %8s | %8s | %6s |\n' "${names[$i]}" "$r" "$a" "$b" "${c:-0}"
done
