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

/* The statements of a (key, id) ordering's page from a key (list_order_from),
 * in the engine's SQL; the viewer's hidden users are left out. */
struct list_order_sql {
    const char *same_key; /* the ids [$2, $4] of the key $1 (= $3); $5 the viewer */
    const char *between;  /* the keys strictly between $1 and $3; $5 the viewer */
    const char *after;    /* the first $3 users of the keys beyond $1; $2 the viewer */
    const char *bound;    /* the key (text) of the ($3 + 1)-th user of the keys beyond $1 (index order, no sort) */
};

/* The list_order_sql of one ordering, both directions ([0] ascending, [1]
 * descending), for an engine: cols its users columns, col the ordering's
 * key, key_text that key as the cursor's text. */
#define LIST_ORDER_SQL(cols, col, key_text)                            \
    {                                                                  \
        LIST_ORDER_SQL_DIR(cols, col, key_text, "", ">", "<"),         \
            LIST_ORDER_SQL_DIR(cols, col, key_text, " DESC", "<", ">") \
    }
/* one direction: dir "" or " DESC", beyond the comparison of the keys
 * after $1 in it, before that of the keys before $3 */
#define LIST_ORDER_SQL_DIR(cols, col, key_text, dir, beyond, before)                                               \
    {                                                                                                              \
        .same_key = "SELECT " cols " FROM users WHERE status IN ('a', 'b') AND " col " = $1 AND id >= $2 AND "     \
                    "id <= $4 AND id NOT IN (SELECT hidden_id FROM hides WHERE user_id = $5) ORDER BY id",         \
        .between =                                                                                                 \
            "SELECT " cols " FROM users WHERE status IN ('a', 'b') AND " col " " beyond " $1 AND " col " " before  \
            " $3 AND id NOT IN (SELECT hidden_id FROM hides WHERE user_id = $5) ORDER BY " col dir ", id",         \
        .after = "SELECT " cols " FROM users WHERE status IN ('a', 'b') AND " col " " beyond " $1 AND id NOT IN "  \
                 "(SELECT hidden_id FROM hides WHERE user_id = $2) ORDER BY " col dir ", id LIMIT $3",             \
        .bound = "SELECT " key_text " FROM users WHERE status IN ('a', 'b') AND " col " " beyond " $1 AND id "     \
                 "NOT IN (SELECT hidden_id FROM hides WHERE user_id = $2) ORDER BY " col dir " LIMIT 1 OFFSET $3", \
    }

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
    /* The first column of the first row as text (in a): lookup. */
    int (*get_text)(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs,
                    const char **out, struct err *e);
    /* Through list_counts: the id of the k-th (from 0) visible user by id,
     * the username_fold (in a) of the k-th by username. Return lookup. */
    int (*seek_id)(void *ctx, int64_t k, int64_t *out, struct err *e);
    int (*seek_username)(void *ctx, struct arena *a, int64_t k, const char **out, struct err *e);
    /* Appends the users of sql's rows (the engine's user columns) to out,
     * up to limit users in all. */
    bool (*users)(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs, int limit,
                  struct user_page *out, struct err *e);
    /* [kind][desc] for real_name, location and date_joined */
    const struct list_order_sql (*order_sql)[2];
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

/* ---- the keyset cursor ----
 *
 * A cursor names the last row of a page: the list it belongs to (`tag`:
 * "U" with the ordering's kind and direction, or "E" with the edge list
 * and its owner), the offset of the page after it, and the row's key (the
 * user list's key and id; an edge's created_us and other user). Its text
 * is that record in base64url, opaque to clients. A page asked for with
 * a cursor of its list whose offset is the page's starts right after the
 * cursor's row, without seeking through the counts: the same rows as the
 * offset while nothing was written, and no row skipped or repeated when
 * rows before it came or went. */
enum { LIST_CURSOR_MAX = 1500 }; /* characters of a cursor's text */

struct list_cursor {
    char tag[4];    /* "U" kind desc (e.g. "U21"), "E" list ("E0") */
    int64_t owner;  /* an edge list's owner, 0 for the user list */
    int64_t offset; /* the page's offset the cursor continues to */
    int64_t num;    /* an edge's created_us */
    struct list_key key;
};

/* Reads a cursor's text (into a): false when it is not one of ours. */
bool list_cursor_decode(struct arena *a, const char *text, struct list_cursor *out);

/* The text of c (in a), NULL on allocation failure. */
const char *list_cursor_encode(struct arena *a, const struct list_cursor *c);

#define LIST_CURSOR_INVALID "Invalid cursor: pass the one a page of this list gave, or none."

/* The start of a seeking page of f (kind and desc from list_plan), total
 * the visible users and hidden[0..nh) the viewer's hidden ones among them
 * in the list's order: sets out->count, out->n (0), out->next_cursor
 * (NULL) and out->items (room for f->limit, in en->a), then finds where
 * the page starts among the unhidden users: *first, the page's first user
 * in the list's order (for LIST_ID and LIST_USERNAME descending: its last,
 * the start in ascending order). With f->cursor (a list_cursor's text): a
 * cursor of another list is an error (the field `cursor` invalid, -1); one
 * of this list at f->offset returns 2 with *first its row: the page is the
 * rows after it. 1 found, 0 an empty page (nothing to read), -1 error. */
int list_plan_page(const struct list_engine *en, const struct user_filter *f, int kind, bool desc, int64_t total,
                   const struct list_key *hidden, int64_t nh, struct user_page *out, struct list_key *first,
                   struct err *e);

/* An edge list's cursor (text, NULL or "" none) for the page at offset
 * of the list `list` (enum graph_list_kind) of owner: 1 when it continues
 * there (its edge: *created, *other), 0 when there is none or it is for
 * another offset, -1 when it is not one of this list's (the field
 * `cursor` invalid). */
int list_edge_cursor(struct arena *a, const char *text, int list, int64_t owner, int64_t offset, int64_t *created,
                     int64_t *other, struct err *e);

/* The cursor (in a) of the edge (created, other) for the page at offset. */
const char *list_edge_cursor_text(struct arena *a, int list, int64_t owner, int64_t offset, int64_t created,
                                  int64_t other);

/* The page of a (key, id) ordering (kind real_name, location or
 * date_joined) from its user x, or from the one after x (after): x's key's
 * ids from x; then, when the page goes on, the key of its last user (the
 * bound: read off the key's index, without a sort) and the keys between
 * and the bound's ids; with fewer users left than the page needs, every key
 * beyond x's. The bound keeps a descending read (ORDER BY key DESC, id)
 * from sorting a long run of ties beyond the page. */
bool list_order_from(const struct list_engine *en, const struct user_filter *f, int kind, bool desc,
                     const struct list_key *x, bool after, struct user_page *out, struct err *e);

/* out->next_cursor after a page of f read (f->cursor set): the cursor of
 * its last row for the next page, when the page is full and the list goes
 * on; NULL otherwise. Returns bool. */
bool list_plan_next_cursor(const struct list_engine *en, const struct user_filter *f, int kind, bool desc,
                           struct user_page *out, struct err *e);

#endif
