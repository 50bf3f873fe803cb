/* pg_list.h - list pages found by seeking on PostgreSQL (pg_list.c), for
 * the other pg_*.c files: the followers, followings and connections pages
 * (pg_graph.c) and the audit of the maintained counts (`hearth check`,
 * pg_user.c). The same contracts as sqlite_list.h. */
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

#endif
