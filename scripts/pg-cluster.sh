#!/bin/sh
# pg-cluster.sh - a throwaway PostgreSQL 15 cluster for tests, on a loopback
# port, owned by the unprivileged user `postgres` (initdb refuses root).
#
#   scripts/pg-cluster.sh start DIR [PORT]   initdb into DIR (if empty) and start;
#                                            prints the base URL (database "postgres")
#   scripts/pg-cluster.sh stop DIR           stop and remove DIR
#   scripts/pg-cluster.sh url DIR            print the base URL of a running cluster
#
# fsync is off and nothing is kept: for tests only. The superuser `hearth`
# (password "hearth") owns the cluster's databases; tests create one
# database per server (CREATE DATABASE ...) and drop them with the cluster.
set -eu
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "pg-cluster: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,12p' "$0" >&2; exit 2; }
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
    port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
        pwfile=$(mktemp); echo hearth > "$pwfile"; chmod 644 "$pwfile"
        as_pg "$PGBIN/initdb" -D "$dir" -U hearth --pwfile="$pwfile" -A scram-sha-256 -E UTF8 \
            --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; rm -f "$pwfile"; exit 1; }
        rm -f "$pwfile" "$dir.initdb.log"
    fi
    as_pg "$PGBIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
    echo "$port" > "$dir/hearth_port"
    echo "postgresql://hearth:hearth@127.0.0.1:$port/postgres"
    ;;
url)
    echo "postgresql://hearth:hearth@127.0.0.1:$(cat "$dir/hearth_port")/postgres"
    ;;
stop)
    if [ -f "$dir/PG_VERSION" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "pg-cluster: unknown command $cmd" >&2; exit 2 ;;
esac
