/* test_hooks.h - what the store offers its tests, benchmarks and audits
 * beside store.h: the search engine's thresholds, the slow reference
 * answer, the index audit and query plans. Never for requests. */
#ifndef HEARTH_STORE_TEST_HOOKS_H
#define HEARTH_STORE_TEST_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store;
struct search_query;
struct search_page;

/* The thresholds behind the engine's choices (src/store/sqlite_search_engine.h
 * explains them). Tests lower them to drive every path on a small
 * population; set before searching, not thread-safe. */
struct search_tuning {
    int collect_max, sort_max, walk_max, bitmap_ratio;
};
/* Tx: any. Alloc: none. */
void store_search_tune(const struct search_tuning *t);

/* The same query answered the slow, obvious way (every user row tested,
 * ordered by SQL): the reference the tests compare store_search_users with.
 * Tx: any (its count and page are two statements: call it in a snapshot
 * when writers run). Alloc: as store_search_users. Returns: bool. */
bool store_search_users_naive(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                              struct err *e);

/* Compares the search indexes with what the base tables say they should
 * hold; returns the number of differences (0 = in sync), -1 on error.
 * Reads everything: for tests and `hearth check`-style audits.
 * Tx: any (each audit is one statement). Alloc: none. Returns: count. */
int64_t store_search_check(struct store *st, struct err *e);

/* The EXPLAIN QUERY PLAN lines (joined by newlines) of the statements that
 * find the users of a text term of `term`'s length, for the plan test.
 * Tx: any. Alloc: *plan in a. Returns: bool. */
bool store_search_plan(struct store *st, struct arena *a, const char *term, const char **plan, struct err *e);

#endif
