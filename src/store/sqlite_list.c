/* sqlite_list.c - user list pages at any offset without walking the rows
 * before them.
 *
 * Migration 008 keeps list_counts: the number of visible users (status a
 * or b) per key range of each ordering, in levels of finer ranges (id:
 * 65536 then 256 ids; username: its first 1, 2, 4, 6 bytes, since 024). The k-th user of
 * an ordering is found by descending the levels (at each, the ranges of
 * the chosen parent in key order, summing counts until the one holding k),
 * then an index range scan of the last range from its start: a few dozen
 * small rows plus at most one range's users, whatever the offset.
 * Migration 016 keeps list_order_counts the same way for the orderings
 * real_name, location and date_joined, descended by list_plan.c (which
 * also decides which lists seek, for both engines; migration 017 has
 * fewer of its levels, and the index list_by_username that makes the
 * username walk read the index alone).
 *
 * The caller's hidden users (at most 10,000) are read in key order and
 * subtracted: the page starts at the first unhidden user u with
 * rank(u) - hidden_before(u) = offset, found by seeking rank offset + j
 * with j raised to the hidden users up to the found key until it no
 * longer changes (j only grows and stays below the answer's, so this
 * ends, usually after one or two seeks).
 *
 * The orderings real_name, location and date_joined seek the page's first
 * user only; the page then reads up to the key of its last user, read off
 * the key's index (list_order_from). A page asked for with a keyset cursor
 * (list_plan.h) of its list at its offset starts right after the cursor's
 * row, without seeking; with the cursor asked for, the page also gives the
 * next page's.
 *
 * Followers, followings and connections: the same per owner and list,
 * ranges of created_us (newest first), for lists that reached 1000 edges
 * (list_edge_counts); shorter lists keep the plain walk (sqlite_graph.c).
 *
 * Everything is read in one snapshot, so the count and the page agree.
 * The statements are plain SQL (no engine extension but the blob prefix
 * of a text, `substr(CAST(x AS BLOB), ...)`, which is `substring(convert_to(x,
 * 'UTF8') ...)` elsewhere).
 */
#include "store/sqlite_list.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/list_plan.h"
#include "store/sqlite_internal.h"
#include "store/store.h"

enum { USERNAME_LEVELS = 6 };
/* the username ordering's levels in list_counts (kind 1): level = prefix
 * bytes (024_list_signup dropped 008's 3 and 5) */
static const int username_levels[] = {1, 2, 4, 6};

/* Steps q's (key, n) rows, keeping those for which `child` holds, until
 * the one holding position *k: *k becomes the position inside it and the
 * row stays current (returns 1). 0 when the rows end first, -1 on error. */
static int pick(sqlite3_stmt *q, int64_t *k, const void *parent, int parent_len)
{
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (parent) {
            const void *b = sqlite3_column_blob(q, 0);
            int len = sqlite3_column_bytes(q, 0);
            if (len < parent_len || (parent_len && memcmp(b, parent, (size_t)parent_len)))
                return 0; /* past the parent's ranges */
        }
        int64_t n = sqlite3_column_int64(q, 1);
        if (*k < n)
            return 1;
        *k -= n;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Steps a "key, n" count query with pick: *block is the key of the range
 * holding the k-th row (k becomes the offset inside it) and *n its count.
 * 1 found, 0 past the end, -1 on error (e filled). */
static int pick_block(struct store *st, sqlite3_stmt *q, int64_t *k, int64_t *block, int64_t *n, struct err *e)
{
    int rc = pick(q, k, NULL, 0);
    *block = rc > 0 ? sqlite3_column_int64(q, 0) : 0;
    *n = rc > 0 ? sqlite3_column_int64(q, 1) : 0;
    sqlite3_reset(q);
    if (rc < 0)
        sqlite_fail(st, e, "list counts");
    return rc;
}

/* The id of the k-th (from 0) visible user by id. Returns lookup. Inside
 * a range of n users, a k in its second half is found from the range's
 * end (the n - 1 - k-th backwards): half the steps on average. */
static int seek_id(void *ctx, int64_t k, int64_t *out, struct err *e)
{
    struct store *st = ctx;
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT key, n FROM list_counts WHERE kind = 0 AND level = 1 ORDER BY key", e);
    if (!q)
        return -1;
    int64_t block, n;
    int rc = pick_block(st, q, &k, &block, &n, e);
    if (rc <= 0)
        return rc;

    bool back = k >= n / 2;
    q = sqlite_stmt(st,
                    back ? "SELECT key, n FROM list_counts WHERE kind = 0 AND level = 2 AND key >= $1 AND key < $2 "
                           "ORDER BY key DESC"
                         : "SELECT key, n FROM list_counts WHERE kind = 0 AND level = 2 AND key >= $1 AND key < $2 "
                           "ORDER BY key",
                    e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, block << 8);
    sqlite3_bind_int64(q, 2, (block + 1) << 8);
    if (back)
        k = n - 1 - k;
    if ((rc = pick_block(st, q, &k, &block, &n, e)) <= 0)
        return rc;
    if (back)
        k = n - 1 - k; /* from the block's start again */

    back = k >= n / 2;
    q = sqlite_stmt(st,
                    back ? "SELECT id FROM users INDEXED BY list_by_id WHERE id >= $1 AND id < $2 AND status IN "
                           "('a', 'b') ORDER BY id DESC LIMIT 1 OFFSET $3"
                         : "SELECT id FROM users INDEXED BY list_by_id WHERE id >= $1 AND id < $2 AND status IN "
                           "('a', 'b') ORDER BY id LIMIT 1 OFFSET $3",
                    e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, block << 8);
    sqlite3_bind_int64(q, 2, (block + 1) << 8);
    sqlite3_bind_int64(q, 3, back ? n - 1 - k : k);
    return sqlite_get_int(st, q, out, e);
}

static void read_text(struct arena *a, sqlite3_stmt *q, void *out) { *(const char **)out = sqlite_col_text(a, q, 0); }

/* The username_fold of the k-th (from 0) visible user by username, in a.
 * Returns lookup. Each level below the first is read inside its parent's
 * range of n names (for a parent key of its level's length, the names in
 * [prefix, prefix with its last byte + 1):
 * UTF-8 has no 0xFF byte, so the last one has a successor), and a k in
 * the range's second half is found from its end: half the rows on
 * average. So is the last level's range in the username index (a range of
 * a common prefix of USERNAME_LEVELS bytes holds thousands of names). */
static int seek_username(void *ctx, struct arena *a, int64_t k, const char **out, struct err *e)
{
    struct store *st = ctx;
    unsigned char prefix[USERNAME_LEVELS], end[USERNAME_LEVELS];
    int len = 0;
    int64_t n = 0;
    for (size_t i = 0; i < sizeof username_levels / sizeof *username_levels; i++) {
        /* a parent key shorter than its level is a whole name: its range is that name alone */
        bool back = i > 0 && len == username_levels[i - 1] && k >= n / 2;
        sqlite3_stmt *q = sqlite_stmt(st,
                                      back ? "SELECT key, n FROM list_counts WHERE kind = 1 AND level = $1 AND key >= "
                                             "$2 AND key < $3 ORDER BY key DESC"
                                           : "SELECT key, n FROM list_counts WHERE kind = 1 AND level = $1 AND key >= "
                                             "$2 ORDER BY key",
                                      e);
        if (!q)
            return -1;
        sqlite3_bind_int(q, 1, username_levels[i]);
        if (len)
            sqlite3_bind_blob(q, 2, prefix, len, SQLITE_TRANSIENT);
        else
            sqlite3_bind_zeroblob(q, 2, 0);
        int64_t at = k;
        if (back) {
            memcpy(end, prefix, (size_t)len);
            end[len - 1]++;
            sqlite3_bind_blob(q, 3, end, len, SQLITE_TRANSIENT);
            at = n - 1 - k;
        }
        int rc = back ? pick(q, &at, NULL, 0) : pick(q, &at, prefix, len);
        if (rc > 0) {
            int bytes = sqlite3_column_bytes(q, 0);
            if (bytes > USERNAME_LEVELS)
                bytes = USERNAME_LEVELS;
            memcpy(prefix, sqlite3_column_blob(q, 0), (size_t)bytes);
            len = bytes;
        }
        n = rc > 0 ? sqlite3_column_int64(q, 1) : 0;
        k = back ? n - 1 - at : at;
        sqlite3_reset(q);
        if (rc <= 0)
            return rc < 0 ? (sqlite_fail(st, e, "list counts"), -1) : 0;
    }
    bool back = len == USERNAME_LEVELS && k >= n / 2;
    sqlite3_stmt *q =
        sqlite_stmt(st,
                    back ? "SELECT username_fold FROM users WHERE status IN ('a', 'b') AND username_fold < $1 "
                           "ORDER BY username_fold DESC LIMIT 1 OFFSET $2"
                         : "SELECT username_fold FROM users WHERE status IN ('a', 'b') AND username_fold >= $1 "
                           "ORDER BY username_fold LIMIT 1 OFFSET $2",
                    e);
    if (!q)
        return -1;
    if (back)
        prefix[len - 1]++;
    sqlite3_bind_text(q, 1, (const char *)prefix, len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, back ? n - 1 - k : k);
    return sqlite_get_row(st, q, read_text, a, out, e);
}

/* ---- list_plan's engine: list_order_counts and the orderings' rows ---- */

static void bind_args(sqlite3_stmt *q, const struct list_arg *args, int nargs)
{
    for (int i = 0; i < nargs; i++)
        if (args[i].s)
            sqlite3_bind_text(q, i + 1, args[i].s, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_int64(q, i + 1, args[i].i);
}

static int engine_pick(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs, int64_t *k,
                       const char **prefix, int64_t *block, struct err *e)
{
    struct store *st = ctx;
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    bind_args(q, args, nargs);
    int rc = pick(q, k, NULL, 0);
    if (rc > 0) {
        *prefix = sqlite_col_text(a, q, 0);
        *block = sqlite3_column_int64(q, 2);
    }
    sqlite3_reset(q);
    if (rc < 0)
        sqlite_fail(st, e, "list counts");
    return rc;
}

static int engine_get_text(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs,
                           const char **out, struct err *e)
{
    struct store *st = ctx;
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    bind_args(q, args, nargs);
    return sqlite_get_row(st, q, read_text, a, out, e);
}

static bool engine_users(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs, int limit,
                         struct user_page *out, struct err *e)
{
    struct store *st = ctx;
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return false;
    bind_args(q, args, nargs);
    int rc = SQLITE_DONE;
    while (out->n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        sqlite_user_page_from_row(a, q, 0, &out->items[out->n++], SQLITE_USER_PAGE);
    sqlite3_reset(q);
    return out->n >= limit || rc == SQLITE_DONE || sqlite_fail(st, e, "list page");
}

static int engine_get_int(void *ctx, const char *sql, const struct list_arg *args, int nargs, int64_t *out,
                          struct err *e)
{
    struct store *st = ctx;
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    bind_args(q, args, nargs);
    return sqlite_get_int(st, q, out, e);
}

/* The viewer's hidden visible users' keys in the list's order (ascending
 * for id and username), malloc'd. */
static const char *const hidden_sql[LIST_KINDS][2] = {
    [LIST_ID] = {"SELECT u.id, NULL FROM hides h JOIN users u ON u.id = h.hidden_id WHERE h.user_id = $1 "
                 "AND u.status IN ('a', 'b') ORDER BY u.id"},
    [LIST_USERNAME] = {"SELECT 0, u.username_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                       "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.username_fold"},
    [LIST_REAL_NAME] = {"SELECT u.id, u.real_name_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                        "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.real_name_fold, u.id",
                        "SELECT u.id, u.real_name_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                        "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.real_name_fold DESC, u.id"},
    [LIST_LOCATION] = {"SELECT u.id, fold(u.location) FROM hides h JOIN users u ON u.id = h.hidden_id "
                       "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY 2, u.id",
                       "SELECT u.id, fold(u.location) FROM hides h JOIN users u ON u.id = h.hidden_id "
                       "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY 2 DESC, u.id"},
    [LIST_JOINED] = {"SELECT u.id, printf('%016x', u.date_joined_us) FROM hides h JOIN users u ON u.id = "
                     "h.hidden_id WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.date_joined_us, u.id",
                     "SELECT u.id, printf('%016x', u.date_joined_us) FROM hides h JOIN users u ON u.id = "
                     "h.hidden_id WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.date_joined_us DESC, "
                     "u.id"},
};

static bool hidden_keys(struct store *st, struct arena *a, int kind, bool desc, int64_t viewer, struct list_key **out,
                        int64_t *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    if (!viewer)
        return true;
    sqlite3_stmt *q = sqlite_stmt(st, hidden_sql[kind][kind >= LIST_REAL_NAME && desc], e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, viewer);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if ((size_t)*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct list_key *grown = realloc(*out, cap * sizeof **out);
            if (!grown) {
                sqlite3_reset(q);
                return err_internal(e);
            }
            *out = grown;
        }
        struct list_key *k = &(*out)[(*n)++];
        k->id = sqlite3_column_int64(q, 0);
        k->s = kind == LIST_ID ? NULL : sqlite_col_text(a, q, 1);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE || sqlite_fail(st, e, "hidden users");
}

/* The pages by id and username from $1 (op ">=" or "<="; after it: ">"
 * or "<"), then $2 the viewer and $3 rows, or, for a viewer who hides no
 * listed user, $2 rows. The users' rows without credentials. */
#define PAGE_SQL_OF(col, op, dir, hides, limit)                                                      \
    "SELECT " USER_PAGE_COLUMNS " FROM users WHERE status IN ('a', 'b') AND " col " " op " $1" hides \
    " ORDER BY " col dir " LIMIT " limit
#define PAGE_SQL(col, op, dir)                                                                              \
    {                                                                                                       \
        PAGE_SQL_OF(col, op, dir, " AND id NOT IN (SELECT hidden_id FROM hides WHERE user_id = $2)", "$3"), \
            PAGE_SQL_OF(col, op, dir, "", "$2")                                                             \
    }
static const char *const page_sql[2][2][2][2] = {
    /* [kind][desc][after][the viewer hides none of the list] */
    {{PAGE_SQL("id", ">=", ""), PAGE_SQL("id", ">", "")},
     {PAGE_SQL("id", "<=", " DESC"), PAGE_SQL("id", "<", " DESC")}},
    {{PAGE_SQL("username_fold", ">=", ""), PAGE_SQL("username_fold", ">", "")},
     {PAGE_SQL("username_fold", "<=", " DESC"), PAGE_SQL("username_fold", "<", " DESC")}},
};

/* The statements of the (key, id) orderings' pages (list_order_from). */
static const struct list_order_sql order_page_sql[LIST_KINDS][2] = {
    [LIST_REAL_NAME] = LIST_ORDER_SQL(USER_PAGE_COLUMNS, "real_name_fold", "real_name_fold"),
    [LIST_LOCATION] = LIST_ORDER_SQL(USER_PAGE_COLUMNS, "fold(location)", "fold(location)"),
    [LIST_JOINED] = LIST_ORDER_SQL(USER_PAGE_COLUMNS, "date_joined_us", "printf('%016x', date_joined_us)"),
};

/* The page by id or username from x (after x: from the next one);
 * hides: the viewer hides a listed user. */
static bool id_page(struct store *st, struct arena *a, const struct user_filter *f, int kind, bool desc, bool after,
                    bool hides, const struct list_key *x, struct user_page *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, page_sql[kind][desc][after][!hides], e);
    if (!q)
        return false;
    if (kind == LIST_ID)
        sqlite3_bind_int64(q, 1, x->id);
    else
        sqlite3_bind_text(q, 1, x->s, -1, SQLITE_STATIC);
    if (hides)
        sqlite3_bind_int64(q, 2, f->viewer_id);
    sqlite3_bind_int64(q, hides ? 3 : 2, f->limit);
    int rc = SQLITE_DONE;
    while (out->n < f->limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        sqlite_user_page_from_row(a, q, 0, &out->items[out->n++], SQLITE_USER_PAGE);
    sqlite3_reset(q);
    return out->n >= f->limit || rc == SQLITE_DONE || sqlite_fail(st, e, "list page");
}

static bool list_page(struct store *st, struct arena *a, const struct user_filter *f, int kind, bool desc,
                      struct user_page *out, struct err *e)
{
    int64_t total = 0;
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT n FROM list_counts WHERE kind = 0 AND level = 0 AND key = 0", e);
    if (!q || sqlite_get_int(st, q, &total, e) < 0)
        return false;
    struct list_key *hidden = NULL;
    int64_t nh = 0;
    if (!hidden_keys(st, a, kind, desc, f->viewer_id, &hidden, &nh, e))
        return false;
    struct list_engine en = {.ctx = st,
                             .a = a,
                             .location_column = false,
                             .pick = engine_pick,
                             .get_int = engine_get_int,
                             .get_text = engine_get_text,
                             .seek_id = seek_id,
                             .seek_username = seek_username,
                             .users = engine_users,
                             .order_sql = order_page_sql};
    struct list_key x;
    int found = list_plan_page(&en, f, kind, desc, total, hidden, nh, out, &x, e);
    free(hidden);
    if (found <= 0)
        return found == 0; /* 0: an empty page (or counts behind the rows, which `hearth check` reports) */
    bool ok;
    if (kind >= LIST_REAL_NAME)
        ok = list_order_from(&en, f, kind, desc, &x, found == 2, out, e);
    else
        ok = id_page(st, a, f, kind, desc, found == 2, nh > 0, &x, out, e);
    return ok && list_plan_next_cursor(&en, f, kind, desc, out, e);
}

bool sqlite_user_list_seek(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                           bool *handled, struct err *e)
{
    int kind;
    bool desc;
    *handled = list_plan(f, &kind, &desc);
    if (!*handled)
        return true;
    bool own = false;
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    bool ok = list_page(st, a, f, kind, desc, out, e);
    sqlite_snapshot_end(st, own);
    return ok;
}

/* ================================================================ */
/* followers, followings, connections                                */

/* One edge list's statements: `e` the edge, `owner` and `other` its
 * columns. $1 owner, $2 viewer. */
#define EDGE_FROM(table, owner, other)                                                                         \
    " FROM " table " e CROSS JOIN users ON users.id = e." other " WHERE e." owner " = $1 AND users.status IN " \
    "('a', 'b')"
#define EDGE_ORDER(other) " ORDER BY e.created_us DESC, e." other " DESC"
#define EDGE_SQL(table, owner, other)                                                                                \
    {                                                                                                                \
        "SELECT e.created_us, e." other EDGE_FROM(table, owner, other) " AND e.created_us >= $3 AND e.created_us < " \
                                                                       "$4" EDGE_ORDER(other) " LIMIT 1 OFFSET $5",  \
            "SELECT e.created_us, e." other " FROM hides h CROSS JOIN " table " e ON e." other                       \
            " = h.hidden_id AND e." owner " = $1 JOIN users ON users.id = h.hidden_id WHERE h.user_id = $2 AND "     \
            "users.status IN ('a', 'b')" EDGE_ORDER(other),                                                          \
            "SELECT " USER_PAGE_COLUMNS EDGE_FROM(table, owner,                                                      \
                                                  other) " AND e.created_us <= $3 AND (e.created_us < $3 "           \
                                                         "OR e." other " <= $4) AND NOT EXISTS (SELECT 1 "           \
                                                         "FROM hides h WHERE h.user_id = $2 AND "                    \
                                                         "h.hidden_id = e." other ")" EDGE_ORDER(other) " LIMIT $6", \
            "SELECT created_us FROM " table " WHERE " owner " = $1 AND " other " = $2",                              \
    }

struct edge_sql {
    const char *walk;    /* the ($5)-th listed edge with created_us in [$3, $4), newest first */
    const char *hidden;  /* the viewer's hidden users in the list, newest edge first */
    const char *page;    /* $6 users from the edge ($3 created_us, $4 other id) on */
    const char *created; /* the created_us of the edge to $2 */
};

static const struct edge_sql edge_sql[] = {
    [GRAPH_LIST_FOLLOWERS] = EDGE_SQL("follows", "followed_id", "follower_id"),
    [GRAPH_LIST_FOLLOWINGS] = EDGE_SQL("follows", "follower_id", "followed_id"),
    [GRAPH_LIST_CONNECTIONS] = EDGE_SQL("connections", "user_id", "other_id"),
};

/* the created_us shift of each level of list_edge_counts (its view list_edge_levels) */
static const int edge_shift[] = {40, 32, 24};

struct edge_key {
    int64_t created, other;
};

/* Newest first: x before y is x > y. */
static bool edge_after_or_at(const struct edge_key *x, const struct edge_key *y)
{
    return x->created > y->created || (x->created == y->created && x->other >= y->other);
}

static void read_edge_key(struct arena *a, sqlite3_stmt *q, void *out)
{
    (void)a;
    *(struct edge_key *)out = (struct edge_key){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)};
}

/* The k-th (from 0, newest first) edge to a visible user of the list.
 * Returns lookup. */
static int seek_edge(struct store *st, const struct graph_list_query *lq, int64_t k, struct edge_key *out,
                     struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT block, n FROM list_edge_counts WHERE owner = $1 AND list = $2 AND "
                                  "level = $3 AND block >= $4 AND block < $5 ORDER BY block DESC",
                                  e);
    if (!q)
        return -1;
    int64_t lo = INT64_MIN, hi = INT64_MAX, block = 0;
    for (int level = 1; level <= 3; level++) {
        sqlite3_bind_int64(q, 1, lq->user_id);
        sqlite3_bind_int(q, 2, (int)lq->kind);
        sqlite3_bind_int(q, 3, level);
        sqlite3_bind_int64(q, 4, lo);
        sqlite3_bind_int64(q, 5, hi);
        int rc = pick(q, &k, NULL, 0);
        block = rc > 0 ? sqlite3_column_int64(q, 0) : 0;
        sqlite3_reset(q);
        if (rc <= 0)
            return rc < 0 ? (sqlite_fail(st, e, "list counts"), -1) : 0;
        if (level < 3) { /* its ranges at the next level */
            int step = edge_shift[level - 1] - edge_shift[level];
            lo = block * ((int64_t)1 << step);
            hi = (block + 1) * ((int64_t)1 << step);
        }
    }
    q = sqlite_stmt(st, edge_sql[lq->kind].walk, e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, lq->user_id);
    sqlite3_bind_int64(q, 2, lq->viewer_id);
    sqlite3_bind_int64(q, 3, block * ((int64_t)1 << edge_shift[2]));
    sqlite3_bind_int64(q, 4, (block + 1) * ((int64_t)1 << edge_shift[2]));
    sqlite3_bind_int64(q, 5, k);
    return sqlite_get_row(st, q, read_edge_key, NULL, out, e);
}

static bool edge_page(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                      struct err *e)
{
    int64_t total = 0;
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT coalesce(sum(n), 0) FROM list_edge_counts WHERE owner = $1 AND list = $2 "
                                  "AND level = 1",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, lq->user_id);
    sqlite3_bind_int(q, 2, (int)lq->kind);
    if (sqlite_get_int(st, q, &total, e) < 0)
        return false;

    /* the viewer's hidden users in the list, newest edge first (at most 10,000) */
    struct edge_key *hidden = NULL;
    int64_t nh = 0;
    size_t cap = 0;
    int rc;
    if (lq->viewer_id) {
        if (!(q = sqlite_stmt(st, edge_sql[lq->kind].hidden, e)))
            return false;
        sqlite3_bind_int64(q, 1, lq->user_id);
        sqlite3_bind_int64(q, 2, lq->viewer_id);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            if ((size_t)nh == cap) {
                cap = cap ? cap * 2 : 16;
                struct edge_key *grown = realloc(hidden, cap * sizeof *hidden);
                if (!grown) {
                    sqlite3_reset(q);
                    free(hidden);
                    return err_internal(e);
                }
                hidden = grown;
            }
            hidden[nh++] = (struct edge_key){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)};
        }
        sqlite3_reset(q);
        if (rc != SQLITE_DONE) {
            free(hidden);
            return sqlite_fail(st, e, "hidden users");
        }
    }
    out->count = total > nh ? total - nh : 0;
    struct edge_key x;
    int cursor = list_edge_cursor(a, lq->cursor, (int)lq->kind, lq->user_id, lq->offset, &x.created, &x.other, e);
    if (cursor < 0 || lq->limit <= 0 || lq->offset < 0 || lq->offset >= out->count) {
        free(hidden);
        return cursor >= 0;
    }
    if (cursor)
        x.other--; /* the page starts after the cursor's edge: (created, other - 1) on */
    /* as for the user list: seek offset + j, j the hidden users up to there */
    for (int64_t j = 0; !cursor;) {
        int found = seek_edge(st, lq, lq->offset + j, &x, e);
        if (found <= 0) {
            free(hidden);
            return found == 0; /* counts behind the rows: an empty page, which `hearth check` reports */
        }
        int64_t lo = 0, hi = nh; /* hidden[0..c) are at or before x */
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (edge_after_or_at(&hidden[mid], &x))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == j)
            break;
        j = lo;
    }
    free(hidden);

    if (!(q = sqlite_stmt(st, edge_sql[lq->kind].page, e)))
        return false;
    sqlite3_bind_int64(q, 1, lq->user_id);
    sqlite3_bind_int64(q, 2, lq->viewer_id);
    sqlite3_bind_int64(q, 3, x.created);
    sqlite3_bind_int64(q, 4, x.other);
    sqlite3_bind_int64(q, 6, lq->limit);
    rc = SQLITE_DONE;
    while (out->n < lq->limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        sqlite_user_page_from_row(a, q, 0, &out->items[out->n++], SQLITE_USER_PAGE);
    sqlite3_reset(q);
    if (out->n < lq->limit && rc != SQLITE_DONE)
        return sqlite_fail(st, e, "list page");
    /* the next page's cursor: the last row's edge */
    if (!lq->cursor || out->n < lq->limit || (int64_t)lq->offset + lq->limit >= out->count)
        return true;
    if (!(q = sqlite_stmt(st, edge_sql[lq->kind].created, e)))
        return false;
    sqlite3_bind_int64(q, 1, lq->user_id);
    sqlite3_bind_int64(q, 2, out->items[out->n - 1].id);
    int64_t created;
    int found = sqlite_get_int(st, q, &created, e);
    if (found > 0)
        out->next_cursor = list_edge_cursor_text(a, (int)lq->kind, lq->user_id, (int64_t)lq->offset + lq->limit,
                                                 created, out->items[out->n - 1].id);
    return found >= 0;
}

bool sqlite_edge_list_seek(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                           bool *handled, struct err *e)
{
    *handled = false;
    if (lq->kind == GRAPH_LIST_HIDDEN || (lq->mutual && lq->viewer_id))
        return true;
    bool own = false;
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    /* only long lists are kept (migration 008); shorter ones walk */
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT 1 FROM list_edge_counts WHERE owner = $1 AND list = $2 AND level = 1 "
                                  "LIMIT 1",
                                  e);
    int kept = -1;
    if (q) {
        sqlite3_bind_int64(q, 1, lq->user_id);
        sqlite3_bind_int(q, 2, (int)lq->kind);
        kept = sqlite_exists(st, q, e);
    }
    bool ok = kept >= 0;
    if (kept > 0) {
        *handled = true;
        out->n = 0;
        out->count = 0;
        out->next_cursor = NULL;
        out->items = arena_alloc(a, sizeof *out->items * (size_t)(lq->limit > 0 ? lq->limit : 1));
        ok = edge_page(st, a, lq, out, e);
    }
    sqlite_snapshot_end(st, own);
    return ok;
}

/* list_counts as migration 008 computes it from users (with 024's levels) */
#define LIST_COUNTS_ACTUAL                                                                                    \
    "SELECT 0 AS kind, 0 AS level, 0 AS key, count(*) AS n FROM users WHERE status IN ('a', 'b') "            \
    "UNION ALL SELECT 0, 1, id >> 16, count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 16 "      \
    "UNION ALL SELECT 0, 2, id >> 8, count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 8 "        \
    "UNION ALL SELECT 1, l.level, substr(CAST(u.username_fold AS BLOB), 1, l.level), count(*) FROM users u, " \
    "(SELECT 1 AS level UNION ALL SELECT 2 UNION ALL SELECT 4 UNION ALL SELECT 6) l "                         \
    "WHERE u.status IN ('a', 'b') GROUP BY 2, 3"

int64_t sqlite_list_counts_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    sqlite3_stmt *q = NULL;
    const char *sql = "SELECT kind, level, typeof(key) = 'integer', key, sum(s), sum(a) FROM ("
                      "SELECT kind, level, key, n AS s, 0 AS a FROM list_counts UNION ALL "
                      "SELECT kind, level, key, 0, n FROM (" LIST_COUNTS_ACTUAL ")) "
                      "GROUP BY kind, level, key HAVING sum(s) <> sum(a) ORDER BY kind, level, key";
    if (sqlite_prepare(st, sql, false, &q) != SQLITE_OK) {
        sqlite_fail(st, e, "prepare list check");
        return -1;
    }
    int64_t differences = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        differences++;
        /* reported at the range's first id (0: every user, or a username prefix) */
        static const char *const names[] = {"list_counts (every visible user)",
                                            "list_counts (visible users of the 65536 ids from this one)",
                                            "list_counts (visible users of the 256 ids from this one)",
                                            "list_counts (visible users by username prefix)"};
        int kind = sqlite3_column_int(q, 0), level = sqlite3_column_int(q, 1);
        int64_t first = 0;
        if (kind == LIST_ID && sqlite3_column_int(q, 2))
            first = sqlite3_column_int64(q, 3) * (level == 1 ? 65536 : level == 2 ? 256 : 0);
        if (fn)
            fn(ctx, "user", first, names[kind == LIST_ID && level >= 0 && level <= 2 ? level : 3],
               sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 5));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        sqlite_fail(st, e, "check list counts");
        return -1;
    }
    static const char *const edge_names[] = {"list_edge_counts (followers)", "list_edge_counts (followings)",
                                             "list_edge_counts (connections)"};
    /* the kept lists' ranges, and the long lists that are not kept (1 stored for -1: "is 0, the edges give 1000+") */
    sql = "SELECT owner, list, sum(s), sum(a) FROM (SELECT owner, list, level, block, n AS s, 0 AS a "
          "FROM list_edge_counts UNION ALL SELECT r.owner, r.list, r.level, r.block, 0, 1 FROM list_edge_ranges r "
          "WHERE EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = r.owner AND c.list = r.list AND "
          "c.level = 1)) GROUP BY owner, list, level, block HAVING sum(s) <> sum(a) "
          "UNION ALL SELECT u.id, l.list, 0, l.n FROM users u CROSS JOIN (SELECT 0 AS list, u2.id AS id, "
          "u2.followers_counter AS n FROM users u2 UNION ALL SELECT 1, id, followings_counter FROM users "
          "UNION ALL SELECT 2, id, connections_counter FROM users) l ON l.id = u.id WHERE l.n >= 1000 AND "
          "NOT EXISTS (SELECT 1 FROM list_edge_counts c WHERE c.owner = u.id AND c.list = l.list AND c.level = 1) "
          "ORDER BY 1, 2";
    if (sqlite_prepare(st, sql, false, &q) != SQLITE_OK) {
        sqlite_fail(st, e, "prepare list check");
        return -1;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        differences++;
        int list = sqlite3_column_int(q, 1);
        if (fn && list >= 0 && list < 3)
            fn(ctx, "user", sqlite3_column_int64(q, 0), edge_names[list], sqlite3_column_int64(q, 2),
               sqlite3_column_int64(q, 3));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        sqlite_fail(st, e, "check list counts");
        return -1;
    }
    /* the orderings real_name, location, date_joined (migration 016), reported at the range's first id */
    sql = "SELECT kind, level, block, sum(s), sum(a) FROM (SELECT kind, level, prefix, block, n AS s, 0 AS a "
          "FROM list_order_counts UNION ALL SELECT kind, level, prefix, block, 0, 1 FROM list_order_ranges) "
          "GROUP BY kind, level, prefix, block HAVING sum(s) <> sum(a) ORDER BY kind, level, prefix, block";
    if (sqlite_prepare(st, sql, false, &q) != SQLITE_OK) {
        sqlite_fail(st, e, "prepare list check");
        return -1;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        differences++;
        static const char *const order_names[] = {"list_order_counts (real_name)", "list_order_counts (location)",
                                                  "list_order_counts (date_joined)"};
        int kind = sqlite3_column_int(q, 0), level = sqlite3_column_int(q, 1);
        int64_t block = sqlite3_column_int64(q, 2);
        if (fn && kind >= LIST_REAL_NAME && kind <= LIST_JOINED)
            fn(ctx, "user",
               level == LIST_LEVEL_IDS16  ? block << 16
               : level == LIST_LEVEL_IDS8 ? block << 8
                                          : 0,
               order_names[kind - LIST_REAL_NAME], sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        sqlite_fail(st, e, "check list counts");
        return -1;
    }
    return differences;
}
