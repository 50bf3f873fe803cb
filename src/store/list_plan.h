/* list_plan.h - the engine-neutral half of user list pages that seek
 * through maintained counts (sqlite_list.c, pg_list.c): which lists seek,
 * how their keys order, where a page starts once the caller's hidden users
 * are left out, and the descent through list_order_counts (migrations
 * sqlite/016_list_orders.sql, postgres/007_list_orders.sql) for the
 * orderings real_name, location and date_joined. The engines run the
 * statements through the callbacks of struct list_engine. */
#ifndef HEARTH_STORE_LIST_PLAN_H
#define HEARTH_STORE_LIST_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* The orderings that seek. LIST_ID and LIST_USERNAME use list_counts and
 * order by their key alone (unique); the others use list_order_counts and
 * order by (text key, id), the id ascending in both directions as the
 * composed query orders them (ORDER BY key [DESC], id ASC). */
enum list_kind { LIST_ID = 0, LIST_USERNAME = 1, LIST_REAL_NAME = 2, LIST_LOCATION = 3, LIST_JOINED = 4 };

enum {
    LIST_KINDS = 5,
    LIST_LEVEL_IDS16 = 7, /* list_order_counts: (whole key, id >> 16) */
    LIST_LEVEL_IDS8 = 8,  /* (whole key, id >> 8) */
    LIST_JOINED_KEY = 17, /* the text key of date_joined_us: 16 hex digits */
};

struct list_key {
    int64_t id;    /* LIST_ID, and the tie-break of LIST_REAL_NAME.. */
    const char *s; /* LIST_USERNAME: username_fold; others: the text key */
};

/* The ordering of f when it is a plain list (no filter but the viewer's
 * hides; one ordering field, or none) that can seek. */
bool list_plan(const struct user_filter *f, int *kind, bool *desc);

/* x against y in the list's order (desc: the text part descending; kinds
 * LIST_ID and LIST_USERNAME are compared ascending, desc ignored). */
int list_key_cmp(int kind, bool desc, const struct list_key *x, const struct list_key *y);

/* Seeks the `pos`-th (from 0) row of the list with the hidden rows
 * included: 1 found (out set), 0 past the end, -1 error. */
typedef int list_seek_fn(void *ctx, int64_t pos, struct list_key *out, struct err *e);

/* The row at position `pos` among the rows not in hidden[0..nh) (sorted in
 * the list's order, as list_key_cmp with kind and desc): seeks pos + j, j
 * the hidden rows at or before the found one, until j no longer changes.
 * Returns as seek. */
int list_seek_unhidden(list_seek_fn *seek, void *ctx, int kind, bool desc, const struct list_key *hidden, int64_t nh,
                       int64_t pos, struct list_key *out, struct err *e);

/* The smallest text above every text that starts with p (valid UTF-8):
 * p with its last character raised by one code point, into out (cap
 * bytes; p must be shorter than cap - 4). False when there is none. */
bool list_prefix_successor(const char *p, char *out, size_t cap);

/* The text key of a date_joined_us (16 lowercase hex digits, ordered as
 * the number for values >= 0) and back. */
void list_joined_key(int64_t us, char out[LIST_JOINED_KEY]);
int64_t list_joined_us(const char *key);

/* A statement parameter: text when s is set, else the integer i. */
struct list_arg {
    int64_t i;
    const char *s;
};

/* What list_seek needs from an engine. */
struct list_engine {
    void *ctx;
    struct arena *a;
    /* The key of the location ordering: true the column location_fold
     * (PostgreSQL), false the expression fold(location) (SQLite). */
    bool location_column;
    /* Runs sql (rows: prefix text, n integer, block integer) and steps its
     * rows, subtracting n from *k, until the one holding position *k:
     * *prefix (in a) and *block from it. 1 found, 0 rows ended, -1 error. */
    int (*pick)(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs, int64_t *k,
                const char **prefix, int64_t *block, struct err *e);
    /* The first column of the first row: lookup. */
    int (*get_int)(void *ctx, const char *sql, const struct list_arg *args, int nargs, int64_t *out, struct err *e);
    /* Through list_counts: the id of the k-th (from 0) visible user by id,
     * the username_fold (in a) of the k-th by username. Return lookup. */
    int (*seek_id)(void *ctx, int64_t k, int64_t *out, struct err *e);
    int (*seek_username)(void *ctx, struct arena *a, int64_t k, const char **out, struct err *e);
};

/* One ordering of the user list on one engine, for list_seek. */
struct list_seeker {
    const struct list_engine *en;
    int kind;
    bool desc;
};

/* A list_seek_fn (ctx a struct list_seeker): the k-th (from 0) visible
 * user of the ordering, hidden users included: its id (LIST_ID), its
 * username_fold (LIST_USERNAME) or its key (text in en->a) and id. */
int list_seek(void *seeker, int64_t k, struct list_key *out, struct err *e);

/* The start of a seeking page of f (kind and desc from list_plan), total
 * the visible users and hidden[0..nh) the viewer's hidden ones among them
 * in the list's order: sets out->count, out->n (0) and out->items (room
 * for f->limit, in en->a), then finds the page's bounds among the unhidden
 * users: for LIST_ID and LIST_USERNAME the user at the page's start in
 * ascending order (*first; the last of the page for a descending one),
 * for the others the page's first and last users (*first, *last) in the
 * list's order. 1 found, 0 an empty page (nothing to read), -1 error. */
int list_plan_page(const struct list_engine *en, const struct user_filter *f, int kind, bool desc, int64_t total,
                   const struct list_key *hidden, int64_t nh, struct user_page *out, struct list_key *first,
                   struct list_key *last, struct err *e);

#endif
