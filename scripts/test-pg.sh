#!/usr/bin/env bash
# test-pg.sh BUILD_DIR - the suites again on PostgreSQL, on a throwaway
# cluster (scripts/pg-cluster.sh: initdb in a new directory under /tmp,
# removed at the end whatever happens): the store unit tests on the shared
# fixture (tests/unit/support/temp_store.c) with HEARTH_TEST_PG, then the
# API suite with HEARTH_TEST_PG (each server on its own fresh database).
# What is not on PostgreSQL yet is skipped by tests/api/pg_pending.js;
# tests about SQLite itself skip themselves (h.sqliteOnly). Run by make test
# (BUILD_DIR build) and make san (build-san, with the sanitizer options in
# the environment). Exits non-zero if either suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/test-pg.sh BUILD_DIR}

# The cmocka tests that open their store with temp_store, and so run on
# PostgreSQL when HEARTH_TEST_PG is set.
PG_UNIT_TESTS='^test_(account|avatar|data_export|graph|lists|mail|search|suggestion|tag_ids|tag_users|user_rows)$'

if [ "${HEARTH_TEST_PG_INSIDE:-}" != 1 ]; then
    dir=$(mktemp -d /tmp/hearth-pg.XXXXXX) || exit 1
    HEARTH_TEST_PG_INSIDE=1 exec sh scripts/pg-cluster.sh with "$dir" bash "$0" "$build"
fi

rc=0
echo "== PostgreSQL: store unit tests ($PG_UNIT_TESTS)"
(cd "$build" && ctest -R "$PG_UNIT_TESTS" --output-on-failure) || rc=1
echo "== PostgreSQL: API suite ($(node tests/api/pg_pending.js | tail -n 1))"
HEARTH_BIN="$PWD/$build/hearth" node --test tests/api/ || rc=1
exit "$rc"
