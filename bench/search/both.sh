#!/usr/bin/env bash
# bench/search/both.sh - the search benchmark on SQLite, then on PostgreSQL
# (run.sh twice, same requests, same settings), and the two tables side by
# side per query kind: requests per second, p50 and p99 for each backend,
# and the engine alone. Writes bench/search/results.md (both runs in full
# below the joint table, with the machine's load around each run).
#
#   bench/search/both.sh postgresql://USER:PASS@127.0.0.1:PORT/DB
#   bench/search/both.sh --join SQLITE.md POSTGRES.md   (two tables run.sh
#                                        wrote, OUT=...: joined, nothing run)
#
# The environment is run.sh's: USERS, DATA (where the SQLite database and
# the population records are), DURATION, SERVER_THREADS, HEARTH_BIN;
# OUT is where the joined table goes (bench/search/results.md by default:
# it replaces that file).
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: both.sh postgresql://USER:PASS@HOST:PORT/DB | both.sh --join SQLITE.md POSTGRES.md"
OUT=${OUT:-bench/search/results.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${1:-}" = --join ]; then
  cp "${2:?$usage}" "$tmp/sqlite.md"
  cp "${3:?$usage}" "$tmp/pg.md"
  loads=()
  command="\`bench/search/both.sh --join\` of two \`run.sh\` tables (\`OUT=... run.sh\`, \`OUT=... run.sh --db URL\`)"
else
  PG_URL=${1:?$usage}
  loads=("$(uptime)")
  OUT=$tmp/sqlite.md bash bench/search/run.sh >"$tmp/sqlite.log"
  loads+=("$(uptime)")
  OUT=$tmp/pg.md bash bench/search/run.sh --db "$PG_URL" >"$tmp/pg.log"
  loads+=("$(uptime)")
  command="\`bench/search/both.sh postgresql://…/DB\` ($([ -n "${DATA:-}" ] && echo "DATA=$DATA ")\`run.sh\`, then \`run.sh --db URL\`)"
fi

rows() { # a run's table -> kind|requests|req/s|p50|p99|timeouts per line
  grep -E '^\| ' "$1" | grep -vE '^\| query kind|^\|---' |
    awk -F'|' '{ for (i = 2; i <= 9; i++) gsub(/^ +| +$/, "", $i); print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" ($8 == "" ? "?" : $8) }'
}
engine() { # "- kind: engine alone over N requests: median A ms, worst B ms" -> "A / B"
  sed -nE "s/^- $(sed 's/[][().+*?^$|\\/]/\\&/g' <<<"$2"): engine alone over [0-9]+ requests: median ([0-9.]+) ms, worst ([0-9.]+) ms/\1 \/ \2/p" "$1" | head -1
}
{
  echo "# Search benchmark: SQLite and PostgreSQL side by side"
  echo
  sed -n 3p "$tmp/sqlite.md"
  echo
  echo "$command."
  if [ ${#loads[@]} -gt 0 ]; then
    echo "Load (uptime) before, between and after the runs:"
    echo
    for l in "${loads[@]}"; do echo "- \`${l# }\`"; done
  fi
  echo
  echo "| query kind | requests | SQLite req/s | p50 ms | p99 ms | timeouts | PostgreSQL req/s | p50 ms | p99 ms | timeouts |" \
    "engine alone, median / worst ms: SQLite | PostgreSQL |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  paste -d'|' <(rows "$tmp/sqlite.md") <(rows "$tmp/pg.md") | while IFS='|' read -r kind n rps p50 p99 to _ _ prps pp50 pp99 pto; do
    echo "| $kind | $n | $rps | $p50 | $p99 | $to | $prps | $pp50 | $pp99 | $pto |" \
      "$(engine "$tmp/sqlite.md" "$kind") | $(engine "$tmp/pg.md" "$kind") |"
  done
  echo
  echo "Latencies are wrk's over the requests that finished within its 2 s timeout (timeouts: the others)."
  echo
  echo "## SQLite"
  echo
  tail -n +3 "$tmp/sqlite.md"
  echo
  echo "## PostgreSQL"
  echo
  tail -n +3 "$tmp/pg.md"
} | tee "$OUT"
