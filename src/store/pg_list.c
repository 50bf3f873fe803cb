/* pg_list.c - list pages at any offset without walking the rows before
 * them, on PostgreSQL.
 *
 * The same method as sqlite_list.c (its header comment explains it), over
 * the counts of migration 002_list_counts: a plain user list (no filter
 * but the viewer's hides; ordering id, -id, username or -username) and
 * the followers, followings and connections lists that reached 1000 edges
 * seek through the maintained counts; other user lists are pg_user.c's
 * composed query, other edge lists pg_graph.c's walk. The orderings
 * real_name, location and date_joined (migration 007_list_orders) seek
 * through list_plan.c, which also decides which lists seek (for both
 * engines).
 *
 * Text keys compare and sort with COLLATE "C" (bytewise, as SQLite and
 * strcmp). The username ranges are keyed by their first characters rather
 * than bytes, so every key is valid text (the migration says why the
 * order is the same).
 */
#include "store/pg_list.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/list_plan.h"
#include "store/pg_internal.h"
#include "store/store.h"

enum {
    USERNAME_LEVELS = 6,
    PREFIX_BYTES = USERNAME_LEVELS * 4 + 8, /* a prefix, or its successor (one byte longer at most) */
};

/* Walks r's (key, n) rows in order until the one holding position *k: *k
 * becomes the position inside it. Returns that row, -1 when the rows end
 * first. */
static int pick(const PGresult *r, int64_t *k)
{
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        int64_t n = pg_col_int(r, i, 1);
        if (*k < n)
            return i;
        *k -= n;
    }
    return -1;
}

/* The id of the k-th (from 0) visible user by id. Returns lookup. */
static int seek_id(void *ctx, int64_t k, int64_t *out, struct err *e)
{
    struct store *st = ctx;
    PGresult *r =
        pg_run(st, e, "SELECT key, n FROM list_counts WHERE kind = 0 AND level = 1 AND prefix = '' ORDER BY key", "");
    if (!r)
        return -1;
    int row = pick(r, &k);
    int64_t block = row >= 0 ? pg_col_int(r, row, 0) : 0;
    PQclear(r);
    if (row < 0)
        return 0;

    r = pg_run(st, e,
               "SELECT key, n FROM list_counts WHERE kind = 0 AND level = 2 AND key >= $1 AND key < $2 "
               "AND prefix = '' ORDER BY key",
               "ii", block << 8, (block + 1) << 8);
    if (!r)
        return -1;
    row = pick(r, &k);
    block = row >= 0 ? pg_col_int(r, row, 0) : 0;
    PQclear(r);
    if (row < 0)
        return 0;

    return pg_int(st, out, e,
                  "SELECT id FROM users WHERE id >= $1 AND id < $2 AND status IN ('a', 'b') ORDER BY id "
                  "LIMIT 1 OFFSET $3",
                  "iii", block << 8, (block + 1) << 8, k);
}

static void read_text(struct arena *a, const PGresult *r, int row, void *out)
{
    *(const char **)out = pg_col_text(a, r, row, 0);
}

/* The username_fold of the k-th (from 0) visible user by username, in a.
 * Returns lookup. */
static int seek_username(void *ctx, struct arena *a, int64_t k, const char **out, struct err *e)
{
    struct store *st = ctx;
    /* the levels of list_counts' kind 1: level = prefix characters (016_list_signup dropped 3 and 5) */
    static const int levels[] = {1, 2, 4, 6};
    char prefix[PREFIX_BYTES] = "";
    int64_t n = 0; /* the names in the last range */
    bool whole = false;
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        int level = levels[i];
        char hi[PREFIX_BYTES];
        PGresult *r;
        /* the ranges of this level inside the parent range (prefix) */
        if (level == 1)
            r = pg_run(st, e,
                       "SELECT prefix, n FROM list_counts WHERE kind = 1 AND level = 1 AND key = 0 ORDER BY prefix",
                       "");
        else if (list_prefix_successor(prefix, hi, sizeof hi))
            r = pg_run(st, e,
                       "SELECT prefix, n FROM list_counts WHERE kind = 1 AND level = $1 AND key = 0 AND "
                       "prefix >= $2 AND prefix < $3 ORDER BY prefix",
                       "iss", (int64_t)level, prefix, hi);
        else
            r = pg_run(st, e,
                       "SELECT prefix, n FROM list_counts WHERE kind = 1 AND level = $1 AND key = 0 AND "
                       "prefix >= $2 ORDER BY prefix",
                       "is", (int64_t)level, prefix);
        if (!r)
            return -1;
        int row = pick(r, &k);
        if (row >= 0) {
            const char *key = PQgetvalue(r, row, 0);
            size_t len = strlen(key);
            if (len > PREFIX_BYTES - 8) { /* more than USERNAME_LEVELS characters: not a key of ours */
                PQclear(r);
                return 0;
            }
            memcpy(prefix, key, len + 1);
            n = pg_col_int(r, row, 1);
        }
        PQclear(r);
        if (row < 0)
            return 0; /* counts behind the rows */
        if ((whole = text_chars(prefix) < level))
            break; /* a whole name, shorter than the level: the range is that one user */
    }
    /* a k in the second half of the last range (the names in [prefix, hi))
     * is found from its end: half the index entries on average */
    char hi[PREFIX_BYTES];
    if (!whole && k >= n / 2 && list_prefix_successor(prefix, hi, sizeof hi))
        return pg_row(st, a, read_text, out, e,
                      "SELECT username_fold FROM users WHERE status IN ('a', 'b') AND username_fold COLLATE \"C\" < $1 "
                      "ORDER BY username_fold COLLATE \"C\" DESC LIMIT 1 OFFSET $2",
                      "si", hi, n - 1 - k);
    return pg_row(st, a, read_text, out, e,
                  "SELECT username_fold FROM users WHERE status IN ('a', 'b') AND username_fold COLLATE \"C\" >= $1 "
                  "ORDER BY username_fold COLLATE \"C\" LIMIT 1 OFFSET $2",
                  "si", prefix, k);
}

/* ---- list_plan's engine: list_order_counts and the orderings' rows ---- */

static void query_args(struct sql_query *b, const struct list_arg *args, int nargs)
{
    for (int i = 0; i < nargs; i++)
        if (args[i].s)
            sql_text(b, args[i].s);
        else
            sql_int(b, args[i].i);
}

static int engine_pick(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs, int64_t *k,
                       const char **prefix, int64_t *block, struct err *e)
{
    struct sql_query b = {0};
    query_args(&b, args, nargs);
    PGresult *r = pg_query(ctx, sql, &b, e);
    if (!r)
        return -1;
    int row = pick(r, k);
    if (row >= 0) {
        *prefix = pg_col_text(a, r, row, 0);
        *block = pg_col_int(r, row, 2);
    }
    PQclear(r);
    return row >= 0;
}

/* The first column of the first row of sql, read by read (into out): lookup. */
static int engine_get(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs,
                      pg_row_reader *read, void *out, struct err *e)
{
    struct sql_query b = {0};
    query_args(&b, args, nargs);
    PGresult *r = pg_query(ctx, sql, &b, e);
    if (!r)
        return -1;
    int found = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0);
    if (found)
        read(a, r, 0, out);
    PQclear(r);
    return found;
}

static int engine_get_text(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs,
                           const char **out, struct err *e)
{
    return engine_get(ctx, a, sql, args, nargs, read_text, out, e);
}

static void read_int(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    *(int64_t *)out = pg_col_int(r, row, 0);
}

static int engine_get_int(void *ctx, const char *sql, const struct list_arg *args, int nargs, int64_t *out,
                          struct err *e)
{
    return engine_get(ctx, NULL, sql, args, nargs, read_int, out, e);
}

/* Copies the users of r (PG_USER_COLUMNS from column 0) into out, up to limit. */
static void read_users(struct arena *a, const PGresult *r, int limit, struct user_page *out)
{
    int rows = PQntuples(r);
    for (int i = 0; i < rows && out->n < limit; i++)
        pg_user_from_row(a, r, i, 0, &out->items[out->n++]);
}

static bool engine_users(void *ctx, struct arena *a, const char *sql, const struct list_arg *args, int nargs, int limit,
                         struct user_page *out, struct err *e)
{
    struct sql_query b = {0};
    query_args(&b, args, nargs);
    PGresult *r = pg_query(ctx, sql, &b, e);
    if (!r)
        return false;
    read_users(a, r, limit, out);
    PQclear(r);
    return true;
}

/* The viewer's hidden visible users' keys in the list's order (ascending
 * for id and username), malloc'd. */
static const char *const hidden_sql[LIST_KINDS][2] = {
    [LIST_ID] = {"SELECT u.id, NULL FROM hides h JOIN users u ON u.id = h.hidden_id WHERE h.user_id = $1 "
                 "AND u.status IN ('a', 'b') ORDER BY u.id"},
    [LIST_USERNAME] = {"SELECT 0, u.username_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                       "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.username_fold COLLATE \"C\""},
    [LIST_REAL_NAME] = {"SELECT u.id, u.real_name_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                        "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.real_name_fold COLLATE \"C\", u.id",
                        "SELECT u.id, u.real_name_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                        "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.real_name_fold COLLATE \"C\" "
                        "DESC, u.id"},
    [LIST_LOCATION] = {"SELECT u.id, u.location_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                       "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.location_fold COLLATE \"C\", u.id",
                       "SELECT u.id, u.location_fold FROM hides h JOIN users u ON u.id = h.hidden_id "
                       "WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.location_fold COLLATE \"C\" DESC, "
                       "u.id"},
    [LIST_JOINED] = {"SELECT u.id, lpad(to_hex(u.date_joined_us), 16, '0') FROM hides h JOIN users u ON u.id = "
                     "h.hidden_id WHERE h.user_id = $1 AND u.status IN ('a', 'b') ORDER BY u.date_joined_us, u.id",
                     "SELECT u.id, lpad(to_hex(u.date_joined_us), 16, '0') FROM hides h JOIN users u ON u.id = "
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
    PGresult *r = pg_run(st, e, hidden_sql[kind][kind >= LIST_REAL_NAME && desc], "i", viewer);
    if (!r)
        return false;
    int rows = PQntuples(r);
    if (rows > 0) {
        *out = calloc((size_t)rows, sizeof **out);
        if (!*out) {
            PQclear(r);
            return err_internal(e);
        }
    }
    for (int i = 0; i < rows; i++) {
        struct list_key *k = &(*out)[i];
        k->id = pg_col_int(r, i, 0);
        k->s = kind == LIST_ID ? NULL : pg_col_text(a, r, i, 1);
    }
    *n = rows;
    PQclear(r);
    return true;
}

/* The statements of the (key, id) orderings' pages (list_order_from). */
static const struct list_order_sql order_page_sql[LIST_KINDS][2] = {
    [LIST_REAL_NAME] = LIST_ORDER_SQL(PG_USER_COLUMNS, "real_name_fold", "real_name_fold"),
    [LIST_LOCATION] = LIST_ORDER_SQL(PG_USER_COLUMNS, "location_fold", "location_fold"),
    [LIST_JOINED] = LIST_ORDER_SQL(PG_USER_COLUMNS, "date_joined_us", "lpad(to_hex(date_joined_us), 16, '0')"),
};

/* The pages by id and username from $1 (op ">=" or "<="; after it: ">"
 * or "<"), $2 the viewer, $3 rows. */
#define PAGE_SQL(col, op, dir)                                                                                      \
    "SELECT " PG_USER_COLUMNS " FROM users WHERE status IN ('a', 'b') AND " col " " op " $1 AND id NOT IN (SELECT " \
    "hidden_id FROM hides WHERE user_id = $2) ORDER BY " col dir " LIMIT $3"
#define USERNAME_KEY "username_fold COLLATE \"C\""
static const char *const page_sql[2][2][2] = {
    /* [kind][desc][after] */
    {{PAGE_SQL("id", ">=", ""), PAGE_SQL("id", ">", "")},
     {PAGE_SQL("id", "<=", " DESC"), PAGE_SQL("id", "<", " DESC")}},
    {{PAGE_SQL(USERNAME_KEY, ">=", ""), PAGE_SQL(USERNAME_KEY, ">", "")},
     {PAGE_SQL(USERNAME_KEY, "<=", " DESC"), PAGE_SQL(USERNAME_KEY, "<", " DESC")}},
};

static bool list_page(struct store *st, struct arena *a, const struct user_filter *f, int kind, bool desc,
                      struct user_page *out, struct err *e)
{
    int64_t total = 0;
    if (pg_int(st, &total, e, "SELECT n FROM list_counts WHERE kind = 0 AND level = 0 AND key = 0 AND prefix = ''",
               "") < 0)
        return false;
    struct list_key *hidden = NULL;
    int64_t nh = 0;
    if (!hidden_keys(st, a, kind, desc, f->viewer_id, &hidden, &nh, e))
        return false;
    struct list_engine en = {.ctx = st,
                             .a = a,
                             .location_column = true,
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
    bool ok = true;
    if (kind >= LIST_REAL_NAME)
        ok = list_order_from(&en, f, kind, desc, &x, found == 2, out, e);
    else {
        PGresult *r =
            kind == LIST_ID
                ? pg_run(st, e, page_sql[kind][desc][found == 2], "iii", x.id, f->viewer_id, (int64_t)f->limit)
                : pg_run(st, e, page_sql[kind][desc][found == 2], "sii", x.s, f->viewer_id, (int64_t)f->limit);
        if (!r)
            return false;
        read_users(a, r, f->limit, out);
        PQclear(r);
    }
    return ok && list_plan_next_cursor(&en, f, kind, desc, out, e);
}

bool pg_user_list_seek(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                       bool *handled, struct err *e)
{
    int kind;
    bool desc;
    *handled = list_plan(f, &kind, &desc);
    if (!*handled)
        return true;
    bool own = false;
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    bool ok = list_page(st, a, f, kind, desc, out, e);
    pg_snapshot_end(st, own);
    return ok;
}

/* ================================================================ */
/* followers, followings, connections                                */

/* One edge list's statements: `e` the edge, `owner` and `other` its
 * columns. */
#define EDGE_FROM(table, owner, other)                                                                   \
    " FROM " table " e JOIN users ON users.id = e." other " WHERE e." owner " = $1 AND users.status IN " \
    "('a', 'b')"
#define EDGE_ORDER(other) " ORDER BY e.created_us DESC, e." other " DESC"
#define EDGE_SQL(table, owner, other)                                                                                  \
    {                                                                                                                  \
        "SELECT e.created_us, e." other EDGE_FROM(table, owner, other) " AND e.created_us >= $2 AND e.created_us < "   \
                                                                       "$3" EDGE_ORDER(other) " LIMIT 1 OFFSET $4",    \
            "SELECT e.created_us, e." other " FROM hides h JOIN " table " e ON e." other " = h.hidden_id AND e." owner \
            " = $1 JOIN users ON users.id = h.hidden_id WHERE h.user_id = $2 AND users.status IN "                     \
            "('a', 'b')" EDGE_ORDER(other),                                                                            \
            "SELECT " PG_USER_COLUMNS EDGE_FROM(table, owner, other) " AND e.created_us <= $3 AND (e.created_us < "    \
                                                                     "$3 OR e." other " <= $4) AND NOT EXISTS "        \
                                                                     "(SELECT 1 FROM hides h WHERE h.user_id = $2 "    \
                                                                     "AND h.hidden_id = e." other                      \
                                                                     ")" EDGE_ORDER(other) " LIMIT $5",                \
            "SELECT created_us FROM " table " WHERE " owner " = $1 AND " other " = $2",                                \
    }

struct edge_sql {
    const char *walk;    /* ($1 owner) the ($4)-th listed edge with created_us in [$2, $3), newest first */
    const char *hidden;  /* ($1 owner, $2 viewer) the viewer's hidden users in the list, newest edge first */
    const char *page;    /* ($1 owner, $2 viewer) $5 users from the edge ($3 created_us, $4 other id) on */
    const char *created; /* ($1 owner) the created_us of the edge to $2 */
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

static void read_edge_key(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    *(struct edge_key *)out = (struct edge_key){pg_col_int(r, row, 0), pg_col_int(r, row, 1)};
}

/* The k-th (from 0, newest first) edge to a visible user of the list.
 * Returns lookup. */
static int seek_edge(struct store *st, const struct graph_list_query *lq, int64_t k, struct edge_key *out,
                     struct err *e)
{
    int64_t lo = INT64_MIN, hi = INT64_MAX, block = 0;
    for (int level = 1; level <= 3; level++) {
        PGresult *r = pg_run(st, e,
                             "SELECT block, n FROM list_edge_counts WHERE owner = $1 AND list = $2 AND "
                             "level = $3 AND block >= $4 AND block < $5 ORDER BY block DESC",
                             "iiiii", lq->user_id, (int64_t)lq->kind, (int64_t)level, lo, hi);
        if (!r)
            return -1;
        int row = pick(r, &k);
        block = row >= 0 ? pg_col_int(r, row, 0) : 0;
        PQclear(r);
        if (row < 0)
            return 0;
        if (level < 3) { /* its ranges at the next level */
            int step = edge_shift[level - 1] - edge_shift[level];
            lo = block * ((int64_t)1 << step);
            hi = (block + 1) * ((int64_t)1 << step);
        }
    }
    return pg_row(st, NULL, read_edge_key, out, e, edge_sql[lq->kind].walk, "iiii", lq->user_id,
                  block * ((int64_t)1 << edge_shift[2]), (block + 1) * ((int64_t)1 << edge_shift[2]), k);
}

static bool edge_page(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                      struct err *e)
{
    int64_t total = 0;
    if (pg_int(st, &total, e,
               "SELECT coalesce(sum(n), 0)::bigint FROM list_edge_counts WHERE owner = $1 AND list = $2 "
               "AND level = 1",
               "ii", lq->user_id, (int64_t)lq->kind) < 0)
        return false;

    /* the viewer's hidden users in the list, newest edge first (at most 10,000) */
    struct edge_key *hidden = NULL;
    int64_t nh = 0;
    if (lq->viewer_id) {
        PGresult *r = pg_run(st, e, edge_sql[lq->kind].hidden, "ii", lq->user_id, lq->viewer_id);
        if (!r)
            return false;
        int rows = PQntuples(r);
        if (rows > 0 && !(hidden = malloc((size_t)rows * sizeof *hidden))) {
            PQclear(r);
            return err_internal(e);
        }
        for (int i = 0; i < rows; i++)
            hidden[i] = (struct edge_key){pg_col_int(r, i, 0), pg_col_int(r, i, 1)};
        nh = rows;
        PQclear(r);
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
        int64_t lo = 0, hi = nh; /* hidden[0..lo) are at or before x */
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

    PGresult *r = pg_run(st, e, edge_sql[lq->kind].page, "iiiii", lq->user_id, lq->viewer_id, x.created, x.other,
                         (int64_t)lq->limit);
    if (!r)
        return false;
    read_users(a, r, lq->limit, out);
    PQclear(r);
    /* the next page's cursor: the last row's edge */
    if (!lq->cursor || out->n < lq->limit || (int64_t)lq->offset + lq->limit >= out->count)
        return true;
    int64_t created;
    int found = pg_int(st, &created, e, edge_sql[lq->kind].created, "ii", lq->user_id, out->items[out->n - 1].id);
    if (found > 0)
        out->next_cursor = list_edge_cursor_text(a, (int)lq->kind, lq->user_id, (int64_t)lq->offset + lq->limit,
                                                 created, out->items[out->n - 1].id);
    return found >= 0;
}

bool pg_edge_list_seek(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                       bool *handled, struct err *e)
{
    *handled = false;
    if (lq->kind == GRAPH_LIST_HIDDEN || (lq->mutual && lq->viewer_id))
        return true;
    bool own = false;
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    /* only long lists are kept (migration 002); shorter ones walk */
    int kept = pg_exists(st, e, "SELECT 1 FROM list_edge_counts WHERE owner = $1 AND list = $2 AND level = 1 LIMIT 1",
                         "ii", lq->user_id, (int64_t)lq->kind);
    bool ok = kept >= 0;
    if (kept > 0) {
        *handled = true;
        out->n = 0;
        out->count = 0;
        out->next_cursor = NULL;
        out->items = arena_alloc(a, sizeof *out->items * (size_t)(lq->limit > 0 ? lq->limit : 1));
        ok = edge_page(st, a, lq, out, e);
    }
    pg_snapshot_end(st, own);
    return ok;
}

/* ================================================================ */
/* the audit                                                         */

/* list_counts as migration 002 computes it from users (with 016's levels) */
#define LIST_COUNTS_ACTUAL                                                                                        \
    "SELECT 0 AS kind, 0 AS level, 0::bigint AS key, ''::text COLLATE \"C\" AS prefix, count(*) AS n FROM users " \
    "WHERE status IN ('a', 'b') "                                                                                 \
    "UNION ALL SELECT 0, 1, id >> 16, '', count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 16 "      \
    "UNION ALL SELECT 0, 2, id >> 8, '', count(*) FROM users WHERE status IN ('a', 'b') GROUP BY id >> 8 "        \
    "UNION ALL SELECT 1, l.level, 0, substring(u.username_fold FROM 1 FOR l.level), count(*) FROM users u "       \
    "CROSS JOIN unnest(ARRAY[1, 2, 4, 6]) AS l(level) WHERE u.status IN ('a', 'b') GROUP BY 2, 4"

int64_t pg_list_counts_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    PGresult *r = pg_run(st, e,
                         "SELECT kind, level, key, coalesce(s.n, 0), coalesce(a.n, 0) FROM list_counts s "
                         "FULL JOIN (" LIST_COUNTS_ACTUAL ") a USING (kind, level, key, prefix) "
                         "WHERE coalesce(s.n, 0) <> coalesce(a.n, 0) ORDER BY kind, level, key, prefix",
                         "");
    if (!r)
        return -1;
    /* reported at the range's first id (0: every user, or a username prefix) */
    static const char *const names[] = {
        "list_counts (every visible user)", "list_counts (visible users of the 65536 ids from this one)",
        "list_counts (visible users of the 256 ids from this one)", "list_counts (visible users by username prefix)"};
    int64_t differences = 0;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        differences++;
        int64_t kind = pg_col_int(r, i, 0), level = pg_col_int(r, i, 1), first = 0;
        if (kind == LIST_ID)
            first = pg_col_int(r, i, 2) * (level == 1 ? 65536 : level == 2 ? 256 : 0);
        if (fn)
            fn(ctx, "user", first, names[kind == LIST_ID && level >= 0 && level <= 2 ? level : 3], pg_col_int(r, i, 3),
               pg_col_int(r, i, 4));
    }
    PQclear(r);

    static const char *const edge_names[] = {"list_edge_counts (followers)", "list_edge_counts (followings)",
                                             "list_edge_counts (connections)"};
    /* the kept lists' ranges (the finest level counted from their edges,
     * the coarser ones summed from it), and the long lists that are not
     * kept (0 stored: "is 0, the edges give 1000+") */
    r = pg_run(st, e,
               "WITH kept AS (SELECT owner, list FROM list_edge_counts WHERE level = 1 GROUP BY owner, list), "
               "fine AS (SELECT e.followed_id AS owner, 0 AS list, e.created_us >> 24 AS block, count(*) AS n "
               "FROM kept k JOIN follows e ON e.followed_id = k.owner JOIN users u ON u.id = e.follower_id "
               "WHERE k.list = 0 AND u.status IN ('a', 'b') GROUP BY 1, 3 "
               "UNION ALL SELECT e.follower_id, 1, e.created_us >> 24, count(*) FROM kept k JOIN follows e "
               "ON e.follower_id = k.owner JOIN users u ON u.id = e.followed_id WHERE k.list = 1 AND "
               "u.status IN ('a', 'b') GROUP BY 1, 3 "
               "UNION ALL SELECT e.user_id, 2, e.created_us >> 24, count(*) FROM kept k JOIN connections e "
               "ON e.user_id = k.owner JOIN users u ON u.id = e.other_id WHERE k.list = 2 AND "
               "u.status IN ('a', 'b') GROUP BY 1, 3), "
               "actual AS (SELECT owner, list, 3 AS level, block, n FROM fine UNION ALL SELECT owner, list, 2, "
               "block >> 8, sum(n) FROM fine GROUP BY owner, list, block >> 8 UNION ALL SELECT owner, list, 1, "
               "block >> 16, sum(n) FROM fine GROUP BY owner, list, block >> 16) "
               "SELECT owner, list, sum(s)::bigint, sum(a)::bigint FROM (SELECT owner, list, level, block, "
               "n AS s, 0 AS a FROM list_edge_counts UNION ALL SELECT owner, list, level, block, 0, n FROM actual) x "
               "GROUP BY owner, list, level, block HAVING sum(s) <> sum(a) "
               "UNION ALL SELECT u.id, l.list, 0, l.n FROM users u CROSS JOIN LATERAL (VALUES "
               "(0, u.followers_counter::bigint), (1, u.followings_counter::bigint), "
               "(2, u.connections_counter::bigint)) AS l(list, n) WHERE l.n >= 1000 AND NOT EXISTS (SELECT 1 "
               "FROM list_edge_counts c WHERE c.owner = u.id AND c.list = l.list AND c.level = 1) ORDER BY 1, 2",
               "");
    if (!r)
        return -1;
    rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        differences++;
        int64_t list = pg_col_int(r, i, 1);
        if (fn && list >= 0 && list < 3)
            fn(ctx, "user", pg_col_int(r, i, 0), edge_names[list], pg_col_int(r, i, 2), pg_col_int(r, i, 3));
    }
    PQclear(r);

    /* the orderings real_name, location, date_joined (migration 007), reported at the range's first id */
    r = pg_run(st, e,
               "SELECT kind, level, block, coalesce(s.n, 0), coalesce(a.n, 0) FROM list_order_counts s "
               "FULL JOIN (SELECT kind, level, prefix, block, count(*) AS n FROM list_order_ranges "
               "GROUP BY kind, level, prefix, block) a USING (kind, level, prefix, block) "
               "WHERE coalesce(s.n, 0) <> coalesce(a.n, 0) ORDER BY kind, level, prefix, block",
               "");
    if (!r)
        return -1;
    static const char *const order_names[] = {"list_order_counts (real_name)", "list_order_counts (location)",
                                              "list_order_counts (date_joined)"};
    rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        differences++;
        int64_t kind = pg_col_int(r, i, 0), level = pg_col_int(r, i, 1), block = pg_col_int(r, i, 2);
        if (fn && kind >= LIST_REAL_NAME && kind <= LIST_JOINED)
            fn(ctx, "user",
               level == LIST_LEVEL_IDS16  ? block << 16
               : level == LIST_LEVEL_IDS8 ? block << 8
                                          : 0,
               order_names[kind - LIST_REAL_NAME], pg_col_int(r, i, 3), pg_col_int(r, i, 4));
    }
    PQclear(r);
    return differences;
}

/* The seed's one computation of every maintained count, in its
 * transaction (the triggers off, the tables locked by it): each table is
 * emptied, filled without its primary key and the key built again once
 * (one sorted build instead of an index insert per row). The long lists'
 * ranges are counted from the edges of those lists alone (the owners' index
 * rows), at the finest level, the coarser levels summed from those rows;
 * each such list also gets its (level 1, block 0) row. */
bool pg_list_counts_rebuild(struct store *st, struct err *e)
{
    static const char edges[] =
        "INSERT INTO list_edge_counts (owner, list, level, block, n) "
        "WITH fine AS MATERIALIZED (SELECT e.followed_id AS owner, 0 AS list, e.created_us >> 24 AS block, "
        "count(*) AS n FROM users o JOIN follows e ON e.followed_id = o.id JOIN users u ON u.id = e.follower_id "
        "WHERE o.followers_counter >= 1000 AND u.status IN ('a', 'b') GROUP BY 1, 3 "
        "UNION ALL SELECT e.follower_id, 1, e.created_us >> 24, count(*) FROM users o JOIN follows e "
        "ON e.follower_id = o.id JOIN users u ON u.id = e.followed_id WHERE o.followings_counter >= 1000 "
        "AND u.status IN ('a', 'b') GROUP BY 1, 3 "
        "UNION ALL SELECT e.user_id, 2, e.created_us >> 24, count(*) FROM users o JOIN connections e "
        "ON e.user_id = o.id JOIN users u ON u.id = e.other_id WHERE o.connections_counter >= 1000 "
        "AND u.status IN ('a', 'b') GROUP BY 1, 3), "
        "level1 AS (SELECT owner, list, block >> 16 AS block, sum(n)::bigint AS n FROM fine GROUP BY 1, 2, 3) "
        "SELECT owner, list, 1, block, n FROM level1 "
        "UNION ALL SELECT owner, list, 2, block >> 8, sum(n)::bigint FROM fine GROUP BY 1, 2, 4 "
        "UNION ALL SELECT owner, list, 3, block, n FROM fine "
        "UNION ALL SELECT o.id, l.list, 1, 0, 0 FROM users o CROSS JOIN (VALUES (0), (1), (2)) AS l(list) "
        "WHERE ((l.list = 0 AND o.followers_counter >= 1000) OR (l.list = 1 AND o.followings_counter >= 1000) "
        "OR (l.list = 2 AND o.connections_counter >= 1000)) AND NOT EXISTS (SELECT 1 FROM level1 x "
        "WHERE x.owner = o.id AND x.list = l.list AND x.block = 0)";
    return pg_exec_simple(st, e,
                          "TRUNCATE list_order_counts, list_counts, list_edge_counts; "
                          "ALTER TABLE list_order_counts DROP CONSTRAINT list_order_counts_pkey; "
                          "ALTER TABLE list_edge_counts DROP CONSTRAINT list_edge_counts_pkey") &&
           pg_exec(st, e,
                   "INSERT INTO list_order_counts (kind, level, prefix, block, n) SELECT kind, level, prefix, block, "
                   "count(*) FROM list_order_ranges GROUP BY kind, level, prefix, block",
                   "") &&
           pg_exec(st, e, "INSERT INTO list_counts (kind, level, key, prefix, n) " LIST_COUNTS_ACTUAL, "") &&
           /* the planner takes the long lists for average ones (tens of
            * edges) and would look each edge's user up by its key: hash joins */
           pg_exec_simple(st, e, "SET LOCAL enable_nestloop = off") && pg_exec(st, e, edges, "") &&
           pg_exec_simple(st, e, "RESET enable_nestloop") &&
           pg_exec_simple(st, e,
                          "ALTER TABLE list_order_counts ADD CONSTRAINT list_order_counts_pkey "
                          "PRIMARY KEY (kind, level, prefix, block); "
                          "ALTER TABLE list_edge_counts ADD CONSTRAINT list_edge_counts_pkey "
                          "PRIMARY KEY (owner, list, level, block)");
}
