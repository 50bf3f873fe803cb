/* sqlite_list.h - user list pages found by seeking (sqlite_list.c). */
#ifndef HEARTH_STORE_SQLITE_LIST_H
#define HEARTH_STORE_SQLITE_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/user.h"
#include "store/store.h"

struct store;

/* The page of f from the maintained counts of migration 008, when f is a
 * plain list (no text filter, gender or exclude; ordering id, -id,
 * username or -username): *handled is set and the result is
 * store_user_list's. Otherwise *handled is false and nothing is read.
 * Tx: snapshot. Alloc: as store_user_list. Returns: bool. */
bool sqlite_user_list_seek(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                           bool *handled, struct err *e);

struct graph_list_query;

/* The page of a followers, followings or connections list (not mutual with
 * a viewer) that list_edge_counts keeps (1000 edges reached): *handled set, result as
 * store_graph_user_list's; otherwise *handled is false and nothing is read.
 * Tx: snapshot. Alloc: as store_graph_user_list. Returns: bool. */
bool sqlite_edge_list_seek(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                           bool *handled, struct err *e);

/* Calls fn for every maintained count (list_counts) that differs from the
 * users table; returns the number of differences, -1 on error.
 * Tx: any. Alloc: none. Returns: count. */
int64_t sqlite_list_counts_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e);

#endif
