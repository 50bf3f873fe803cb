#!/bin/sh
# pg-cluster.sh - a throwaway PostgreSQL 15 cluster for tests, on a loopback
# port, owned by the unprivileged user `postgres` (initdb refuses root).
#
#   scripts/pg-cluster.sh start DIR [PORT]   initdb into DIR (if empty) and start (a
#                                            cluster started before: on its port);
#                                            prints the base URL (database "postgres")
#   scripts/pg-cluster.sh stop DIR           stop and remove DIR
#   scripts/pg-cluster.sh url DIR            print the base URL of a running cluster
#   scripts/pg-cluster.sh halt DIR           stop, keeping the data (start resumes it)
#   scripts/pg-cluster.sh restart DIR        halt and start again on the same port
#   scripts/pg-cluster.sh with DIR CMD...    start a cluster in DIR (new or empty), run
#                                            CMD with HEARTH_TEST_PG set to its URL,
#                                            stop and remove it whatever CMD does;
#                                            exits with CMD's status
#
# fsync is off and nothing is kept: for tests only. The superuser `hearth`
# (password "hearth") owns the cluster's databases; tests create one
# database per server (CREATE DATABASE ...) and drop them with the cluster.
set -eu
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "pg-cluster: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,20p' "$0" >&2; exit 2; }
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
    saved=; [ -f "$dir/hearth_port" ] && saved=$(cat "$dir/hearth_port")
    port=${3:-${saved:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}}
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
halt)
    as_pg "$PGBIN/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null
    ;;
restart)
    sh "$0" halt "$dir"
    sh "$0" start "$dir" >/dev/null
    ;;
with)
    shift 2
    [ $# -gt 0 ] || { echo "pg-cluster: with DIR needs a command" >&2; exit 2; }
    trap 'sh "$0" stop "$dir"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    HEARTH_TEST_PG=$(sh "$0" start "$dir") || exit 1
    export HEARTH_TEST_PG
    echo "pg-cluster: $HEARTH_TEST_PG ($dir)" >&2
    # CMD in a process group of its own, so that an interrupt or a TERM to
    # this script stops all of it before the cluster is removed
    setsid "$@" &
    child=$!
    trap 'kill -TERM -$child 2>/dev/null; wait $child; exit 130' INT
    trap 'kill -TERM -$child 2>/dev/null; wait $child; exit 143' TERM
    rc=0; wait $child || rc=$?
    exit "$rc"
    ;;
*)
    echo "pg-cluster: unknown command $cmd" >&2; exit 2 ;;
esac
