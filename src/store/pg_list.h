/* pg_list.h - list pages found by seeking on PostgreSQL (pg_list.c), for
 * the other pg_*.c files: the user list (pg_user.c), the followers,
 * followings and connections pages (pg_graph.c), the audit of the
 * maintained counts (`hearth check`, pg_user.c) and their rebuild after a
 * bulk load (pg_seed.c). The same contracts as sqlite_list.h. */
#ifndef HEARTH_STORE_PG_LIST_H
#define HEARTH_STORE_PG_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/user.h"
#include "store/store.h"

struct store;
struct graph_list_query;

/* The page of f from the maintained counts of migration 002, when f is a
 * plain list (no text filter, gender or exclude; ordering id, -id,
 * username or -username): *handled is set and the result is
 * store_user_list's. Otherwise *handled is false and nothing is read.
 * Call it first in pg_user_list.
 * Tx: snapshot. Alloc: as store_user_list. Returns: bool. */
bool pg_user_list_seek(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                       bool *handled, struct err *e);

/* The page of a followers, followings or connections list (not mutual with
 * a viewer) that list_edge_counts keeps (1000 edges reached): *handled set,
 * result as store_graph_user_list's; otherwise *handled is false and
 * nothing is read. Call it first in pg_graph_user_list.
 * Tx: snapshot. Alloc: as store_graph_user_list. Returns: bool. */
bool pg_edge_list_seek(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                       bool *handled, struct err *e);

/* Calls fn for every maintained count (list_counts, list_edge_counts) that
 * differs from the tables; returns the number of differences, -1 on error.
 * pg_user_counters_check adds it to its own (as sqlite_user.c does).
 * Tx: any. Alloc: none. Returns: count. */
int64_t pg_list_counts_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e);

/* Recomputes list_counts and list_edge_counts from the tables, for a bulk
 * load that ran with the users and follows triggers disabled (hearth
 * seed): call it before enabling them again.
 * Tx: in. Alloc: none. Returns: bool. */
bool pg_list_counts_rebuild(struct store *st, struct err *e);

#endif
