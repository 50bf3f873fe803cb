#!/usr/bin/env bash
# bench/http.sh - wrk benchmark of the read endpoints against nginx, side by
# side in one run (make bench).
#
# Seeds a fresh database (USERS users, FOLLOWS follows each), starts hearth
# (SERVER_THREADS threads, access log off) and nginx (Debian's nginx-light,
# `return 200` of the very body hearth answers for GET user, same headers
# budget, keep-alive without a request cap) on 127.0.0.1, and drives each
# with wrk -t2 -cCONNECTIONS for DURATION seconds. nginx runs before and
# after the hearth scenarios; their mean is the reference. Then: requests
# per HTTP thread over the run (HEARTH_THREAD_STATS), and GET user and a
# followers page at 1, 2 and 4 server threads. The machine is shared:
# compare ratios, not absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${SERVER_THREADS:-4}
source bench/lib.sh
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "bench: nginx is missing (scripts/install-deps.sh --bench)"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

bench_setup

run() { # name url [wrk args...]: name|rps|p50|p99|non2xx
  local name=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url")
  local p50 p99 non2xx
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$name|$(wrk_rps "$out")|$p50|$p99|${non2xx:-0}"
}

# ---- hearth, and the body nginx will serve ----
HEARTH_THREAD_STATS=1
export HEARTH_THREAD_STATS
bench_start "$THREADS"
curl -s "$base/api/v2/user/2/" >"$dir/user.json"
bytes=$(wc -c <"$dir/user.json")

# ---- nginx on a free port ----
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$dir/nginx/logs"
# the body as an nginx string: \ and ' escaped, $ through a variable
body=$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" -e 's/\$/${dollar}/g' "$dir/user.json")
cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000000;
    geo \$dollar { default "\$"; }
    server {
        listen 127.0.0.1:$nport;
        location / {
            default_type "application/json; charset=utf-8";
            return 200 '$body';
        }
    }
}
CONF
"$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' 2>"$dir/nginx/logs/start.log" &
npid=$!
trap 'kill $npid 2>/dev/null || true; bench_cleanup' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/" >/dev/null 2>&1 && break; sleep 0.1; done
cmp -s <(curl -s "http://127.0.0.1:$nport/") "$dir/user.json" || { echo "bench: nginx does not serve the same body"; exit 1; }

rows=()
n1=$(run "nginx, same body" "http://127.0.0.1:$nport/api/v2/user/2/")
rows+=("$(run 'GET user, anonymous' "$base/api/v2/user/2/")")
rows+=("$(run 'GET me, OAuth token' "$base/api/v2/user/me/" -H "Authorization: Bearer $oauth")")
rows+=("$(run 'GET me, JWT' "$base/api/v2/user/me/" -H "Authorization: Bearer $jwt")")
rows+=("$(run 'followers page, 20' "$base/api/v2/user/$popular/followers/?limit=20")")
rows+=("$(run 'user list page, 20' "$base/api/v2/user/?limit=20" -H "Authorization: Bearer $jwt")")
n2=$(run "nginx, same body" "http://127.0.0.1:$nport/api/v2/user/2/")
kill "$npid" 2>/dev/null; wait "$npid" 2>/dev/null || true
rss=$(ps -o rss= -p "$pid" | tr -d ' ')
bench_stop
per_thread=$(sed -nE 's/.*requests per thread: //p' "$dir/err")

nginx_rps=$(awk -v a="$(cut -d'|' -f2 <<<"$n1")" -v b="$(cut -d'|' -f2 <<<"$n2")" 'BEGIN { printf "%.0f", (a + b) / 2 }')
echo
echo "hearth $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $THREADS server threads, wrk -t2 -c$CONNECTIONS -d${DURATION}s, $(nproc) cores, $USERS users; GET user body $bytes bytes"
echo
printf '| %-22s | %9s | %8s | %8s | %9s | %s |\n' request req/s p50 p99 "× nginx" non-2xx
echo '|---|---:|---:|---:|---:|---:|'
for r in "$n1" "${rows[@]}" "$n2"; do
  IFS='|' read -r name rps p50 p99 non2xx <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a / b }')
  printf '| %-22s | %9s | %8s | %8s | %9s | %s |\n' "$name" "$rps" "$p50" "$p99" "$ratio" "$non2xx"
done
echo
echo "nginx reference: mean of the two nginx runs, $nginx_rps req/s"
echo "requests per HTTP thread over the run: ${per_thread:-not reported}"
[ -n "$per_thread" ] && awk -v s="$per_thread" 'BEGIN {
  n = split(s, c, " "); for (i = 1; i <= n; i++) t += c[i]; m = t / n
  for (i = 1; i <= n; i++) { d = (c[i] - m) / m * 100; if (d < 0) d = -d; if (d > w) w = d }
  printf "largest deviation from the mean: %.1f%%\n", w }'
echo "server RSS after the run: $rss KiB"

# ---- thread scaling ----
unset HEARTH_THREAD_STATS
echo
echo "throughput by server threads (wrk -t2 -c$CONNECTIONS -d${DURATION}s; wrk shares the $(nproc) cores)"
echo
printf '| %-22s |' scenario
for t in 1 2 4; do printf ' %2d thr req/s | ratio |' "$t"; done
echo
echo '|---|---:|---:|---:|---:|---:|---:|'
declare -A scale
for t in 1 2 4; do
  bench_start "$t"
  scale[user,$t]=$(run x "$base/api/v2/user/2/" | cut -d'|' -f2)
  scale[followers,$t]=$(run x "$base/api/v2/user/$popular/followers/?limit=20" | cut -d'|' -f2)
  bench_stop
done
for sc in user followers; do
  label="GET user"
  [ "$sc" = followers ] && label="followers page, 20"
  printf '| %-22s |' "$label"
  for t in 1 2 4; do
    printf ' %12s | %5s |' "${scale[$sc,$t]}" "$(awk -v a="${scale[$sc,$t]}" -v b="${scale[$sc,1]}" 'BEGIN { printf "%.2f", a / b }')"
  done
  echo
done
