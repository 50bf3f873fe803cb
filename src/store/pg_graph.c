/* pg_graph.c - the social graph on PostgreSQL: follows, connection
 * requests, connections and hides; incremental counters; the caller's
 * relations to a set of users; and the graph's lists of users and of
 * requests. The same statements, order and pages as sqlite_graph.c.
 *
 * Lists are driven by the edge indexes in index order, joining users by
 * primary key, so a page costs its offset plus its length in index steps;
 * plain pages of lists of 1000+ edges seek through the maintained counts
 * of 002_list_counts.sql (pg_list.c). Counts come from the counters in
 * the user row.
 *
 * Writes: the domain locks both users (store_lock_users) right after
 * store_begin, so the reads a write depends on (statuses, whether an edge
 * exists, the hide count) and the write itself run as one step per pair
 * under READ COMMITTED, as under SQLite's single writer.
 */
#include "store/store.h"

#include <string.h>

#include "store/pg_internal.h"
#include "store/pg_list.h"

/* ================================================================ */
/* statuses and counters                                            */

bool pg_graph_statuses(struct store *st, int64_t a_id, int64_t b_id, enum user_status *a_status,
                       enum user_status *b_status, struct err *e)
{
    PGresult *r = pg_run(st, e, "SELECT id, status FROM users WHERE id IN ($1, $2)", "ii", a_id, b_id);
    if (!r)
        return false;
    *a_status = *b_status = USER_NONE;
    for (int i = 0, n = PQntuples(r); i < n; i++) {
        int64_t id = pg_col_int(r, i, 0);
        const char *s = pg_col_null(r, i, 1) ? NULL : PQgetvalue(r, i, 1);
        enum user_status c = s ? (enum user_status)s[0] : USER_NONE;
        if (id == a_id)
            *a_status = c;
        if (id == b_id)
            *b_status = c;
    }
    PQclear(r);
    return true;
}

bool pg_graph_counters_add(struct store *st, int64_t user_id, const struct graph_counter_delta *d, struct err *e)
{
    return pg_exec(st, e,
                   "UPDATE users SET followers_counter = followers_counter + $2, "
                   "followings_counter = followings_counter + $3, "
                   "connections_counter = connections_counter + $4, "
                   "connection_requests_sent_counter = connection_requests_sent_counter + $5, "
                   "connection_requests_received_counter = connection_requests_received_counter + $6 "
                   "WHERE id = $1",
                   "iiiiii", user_id, d->followers, d->followings, d->connections, d->requests_sent,
                   d->requests_received);
}

/* ================================================================ */
/* edges                                                            */

int pg_graph_follow_exists(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e)
{
    return pg_exists(st, e, "SELECT 1 FROM follows WHERE follower_id = $1 AND followed_id = $2", "ii", follower_id,
                     followed_id);
}

bool pg_graph_follow_insert(struct store *st, int64_t follower_id, int64_t followed_id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e, "INSERT INTO follows (follower_id, followed_id, created_us) VALUES ($1, $2, $3)", "iii",
                   follower_id, followed_id, now_us);
}

bool pg_graph_follow_delete(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM follows WHERE follower_id = $1 AND followed_id = $2", "ii", follower_id,
                   followed_id);
}

int pg_graph_connected(struct store *st, int64_t user_id, int64_t other_id, struct err *e)
{
    return pg_exists(st, e, "SELECT 1 FROM connections WHERE user_id = $1 AND other_id = $2", "ii", user_id, other_id);
}

bool pg_graph_connection_insert(struct store *st, int64_t a_id, int64_t b_id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e, "INSERT INTO connections (user_id, other_id, created_us) VALUES ($1, $2, $3), ($2, $1, $3)",
                   "iii", a_id, b_id, now_us);
}

bool pg_graph_connection_delete(struct store *st, int64_t a_id, int64_t b_id, struct err *e)
{
    return pg_exec(st, e,
                   "DELETE FROM connections WHERE (user_id = $1 AND other_id = $2) OR "
                   "(user_id = $2 AND other_id = $1)",
                   "ii", a_id, b_id);
}

/* id, created_us, rejected_us, viewed_us (the caller knows the users);
 * NULL times read as 0 */
static void read_request(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    *(struct graph_request *)out = (struct graph_request){.id = pg_col_int(r, row, 0),
                                                          .created_us = pg_col_int(r, row, 1),
                                                          .rejected_us = pg_col_int(r, row, 2),
                                                          .viewed_us = pg_col_int(r, row, 3)};
}

int pg_graph_request_get(struct store *st, int64_t from_id, int64_t to_id, struct graph_request *out, struct err *e)
{
    int found = pg_row(st, NULL, read_request, out, e,
                       "SELECT id, created_us, rejected_us, viewed_us FROM connection_requests "
                       "WHERE from_user_id = $1 AND to_user_id = $2",
                       "ii", from_id, to_id);
    if (found == 1) {
        out->from_user_id = from_id;
        out->to_user_id = to_id;
    }
    return found;
}

bool pg_graph_request_insert(struct store *st, int64_t from_id, int64_t to_id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e, "INSERT INTO connection_requests (from_user_id, to_user_id, created_us) VALUES ($1, $2, $3)",
                   "iii", from_id, to_id, now_us);
}

bool pg_graph_request_delete(struct store *st, int64_t id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM connection_requests WHERE id = $1", "i", id);
}

bool pg_graph_request_set_rejected(struct store *st, int64_t id, int64_t rejected_us, struct err *e)
{
    /* 0 clears it (NULL) */
    return pg_exec(st, e, "UPDATE connection_requests SET rejected_us = NULLIF($2, 0) WHERE id = $1", "ii", id,
                   rejected_us);
}

bool pg_graph_request_set_viewed(struct store *st, int64_t id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e, "UPDATE connection_requests SET viewed_us = coalesce(viewed_us, $2) WHERE id = $1", "ii", id,
                   now_us);
}

int pg_graph_hide_exists(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e)
{
    return pg_exists(st, e, "SELECT 1 FROM hides WHERE user_id = $1 AND hidden_id = $2", "ii", user_id, hidden_id);
}

bool pg_graph_hide_insert(struct store *st, int64_t user_id, int64_t hidden_id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e, "INSERT INTO hides (user_id, hidden_id, created_us) VALUES ($1, $2, $3)", "iii", user_id,
                   hidden_id, now_us);
}

bool pg_graph_hide_delete(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM hides WHERE user_id = $1 AND hidden_id = $2", "ii", user_id, hidden_id);
}

int64_t pg_graph_hide_count(struct store *st, int64_t user_id, struct err *e)
{
    int64_t n = -1;
    return pg_count(st, &n, e, "SELECT count(*) FROM hides WHERE user_id = $1", "i", user_id) ? n : -1;
}

/* ================================================================ */
/* relations of a viewer to a set of users                          */

bool pg_graph_relations(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *ids,
                        int n, struct graph_relation_row **rows, int *nrows, struct err *e)
{
    *rows = NULL;
    *nrows = 0;
    if (n <= 0)
        return true;
    /* the ids as one bigint[]: one statement serves any number of ids; the
     * kinds the community's mode shows */
    PGresult *r = pg_run(st, e,
                         follow_mode ? "SELECT f.followed_id, 1 FROM follows f JOIN users u ON u.id = f.followed_id "
                                       "WHERE f.follower_id = $1 AND f.followed_id = ANY($2) AND u.status IN ('a', 'b')"
                                     : "SELECT r.uid, r.kind FROM ("
                                       "SELECT c.other_id AS uid, 2 AS kind FROM connections c "
                                       "WHERE c.user_id = $1 AND c.other_id = ANY($2) "
                                       "UNION ALL SELECT s.to_user_id, 3 FROM connection_requests s "
                                       "WHERE s.from_user_id = $1 AND s.to_user_id = ANY($2) "
                                       "UNION ALL SELECT v.from_user_id, 4 FROM connection_requests v "
                                       "WHERE v.to_user_id = $1 AND v.rejected_us IS NULL AND v.from_user_id = ANY($2)"
                                       ") r JOIN users u ON u.id = r.uid WHERE u.status IN ('a', 'b')",
                         "ia", viewer_id, ids, (size_t)n);
    if (!r)
        return false;
    /* at most three kinds per user */
    *rows = arena_alloc(a, sizeof **rows * (size_t)n * 3);
    for (int i = 0, nt = PQntuples(r); i < nt && *nrows < n * 3; i++)
        (*rows)[(*nrows)++] =
            (struct graph_relation_row){pg_col_int(r, i, 0), (enum graph_relation_kind)pg_col_int(r, i, 1)};
    PQclear(r);
    return true;
}

/* ================================================================ */
/* lists of users                                                   */

/* One list's statements. $1 = the list's owner, $2 = the viewer, $3 =
 * limit, $4 = offset; every statement of the family is run with all four
 * (typed: the unused ones too). `e` is the edge row, `other` the listed
 * user's column in it. Rows come in the edge index's order, and a page
 * stops after offset + limit index steps. */
#define LIST_FROM(table, owner, other)                                                                   \
    " FROM " table " e JOIN users ON users.id = e." other " WHERE e." owner " = $1 AND users.status IN " \
    "('a', 'b') AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $2 AND h.hidden_id = e." other ")"
#define LIST_ORDER(other) " ORDER BY e.created_us DESC, e." other " DESC LIMIT $3 OFFSET $4"
#define FOLLOWS_VIEWER(other) \
    "EXISTS (SELECT 1 FROM follows m WHERE m.follower_id = $2 AND m.followed_id = e." other ")"
#define CONNECTED_VIEWER(other) "EXISTS (SELECT 1 FROM connections m WHERE m.user_id = $2 AND m.other_id = e." other ")"

struct list_sql {
    const char *counter;             /* the owner's counter column */
    const char *hidden_count;        /* the viewer's hidden users in the list ($1 owner, $2 viewer) */
    const char *page;                /* a plain page */
    const char *mutual_count;        /* how many listed users the viewer relates to, walking the list */
    const char *mutual_page;         /* those users ($3 limit, $4 offset), walking the list */
    const char *rest_page;           /* the others ($3 limit, $4 offset) */
    const char *edge_count;          /* the owner's edges, any status (index only) */
    const char *index_page;          /* a page found in the index alone, then joined */
    const char *viewer_counter;      /* the viewer's counter of the relation mutual means */
    const char *viewer_mutual_count; /* mutual_count, walking the viewer's relations instead */
    const char *viewer_mutual_page;  /* mutual_page, walking the viewer's relations (sorts them) */
};

/* The mutual part walked from the viewer's side: `vtable v` holds the
 * viewer's relations (v.vself = $2), each probed in the owner's list by
 * primary key. */
#define VIEWER_FROM(table, owner, other, vtable, vself, vother)                                             \
    " FROM " vtable " v JOIN " table " e ON e." owner " = $1 AND e." other " = v." vother                   \
    " JOIN users ON users.id = v." vother " WHERE v." vself " = $2 AND users.status IN ('a', 'b') AND NOT " \
    "EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $2 AND h.hidden_id = v." vother ")"

#define LIST_SQL(table, owner, other, counter_col, rel, vtable, vself, vother, vcounter)                            \
    {                                                                                                               \
        counter_col,                                                                                                \
            "SELECT count(*) FROM hides h JOIN " table " e ON e." other " = h.hidden_id AND e." owner               \
            " = $1 JOIN users ON users.id = h.hidden_id WHERE h.user_id = $2 AND users.status IN ('a', 'b')",       \
            "SELECT " PG_USER_COLUMNS LIST_FROM(table, owner, other) LIST_ORDER(other),                             \
            "SELECT count(*)" LIST_FROM(table, owner, other) " AND " rel(other),                                    \
            "SELECT " PG_USER_COLUMNS LIST_FROM(table, owner, other) " AND " rel(other) LIST_ORDER(other),          \
            "SELECT " PG_USER_COLUMNS LIST_FROM(table, owner, other) " AND NOT " rel(other) LIST_ORDER(other),      \
            "SELECT count(*) FROM " table " e WHERE e." owner " = $1",                                              \
            "SELECT " PG_USER_COLUMNS " FROM (SELECT e." other " AS k_id, e.created_us AS k_created FROM " table    \
            " e WHERE e." owner " = $1" LIST_ORDER(other) ") k JOIN users ON users.id = k.k_id WHERE users.status " \
                                                          "IN ('a', 'b') ORDER BY k.k_created DESC, k.k_id DESC",   \
            vcounter, "SELECT count(*)" VIEWER_FROM(table, owner, other, vtable, vself, vother),                    \
            "SELECT " PG_USER_COLUMNS VIEWER_FROM(table, owner, other, vtable, vself, vother) LIST_ORDER(other),    \
    }

static const struct list_sql list_sql[] = {
    [GRAPH_LIST_FOLLOWERS] = LIST_SQL("follows", "followed_id", "follower_id", "followers_counter", FOLLOWS_VIEWER,
                                      "follows", "follower_id", "followed_id", "followings_counter"),
    [GRAPH_LIST_FOLLOWINGS] = LIST_SQL("follows", "follower_id", "followed_id", "followings_counter", FOLLOWS_VIEWER,
                                       "follows", "follower_id", "followed_id", "followings_counter"),
    [GRAPH_LIST_CONNECTIONS] = LIST_SQL("connections", "user_id", "other_id", "connections_counter", CONNECTED_VIEWER,
                                        "connections", "user_id", "other_id", "connections_counter"),
};

/* From this offset on, a page first counts the owner's edges in the index
 * to see whether the offset can be walked in the index alone (as SQLite). */
enum { GRAPH_DEEP_OFFSET = 1000 };

/* The hidden list: the owner's own hides, so no hide filter and no mutual. */
static const char hidden_count_sql[] = "SELECT count(*) FROM hides e JOIN users ON users.id = e.hidden_id "
                                       "WHERE e.user_id = $1 AND users.status IN ('a', 'b')";
static const char hidden_page_sql[] = "SELECT " PG_USER_COLUMNS " FROM hides e JOIN users ON users.id = "
                                      "e.hidden_id WHERE e.user_id = $1 AND users.status IN ('a', 'b')"
                                      " ORDER BY e.created_us DESC, e.hidden_id DESC LIMIT $3 OFFSET $4";

/* Runs a list statement with its family's four parameters. */
static PGresult *list_run(struct store *st, const char *sql, const struct graph_list_query *lq, int limit, int offset,
                          struct err *e)
{
    return pg_run(st, e, sql, "iiii", lq->user_id, lq->viewer_id, (int64_t)(limit > 0 ? limit : 0),
                  (int64_t)(offset > 0 ? offset : 0));
}

/* Appends the users of a page statement to out (room for lq->limit). */
static bool list_fill(struct store *st, struct arena *a, const char *sql, const struct graph_list_query *lq, int limit,
                      int offset, struct user_page *out, struct err *e)
{
    PGresult *r = list_run(st, sql, lq, limit, offset, e);
    if (!r)
        return false;
    for (int i = 0, n = PQntuples(r); i < n && out->n < lq->limit; i++)
        pg_user_from_row(a, r, i, 0, &out->items[out->n++]);
    PQclear(r);
    return true;
}

static int64_t list_count(struct store *st, const char *sql, const struct graph_list_query *lq, struct err *e)
{
    int64_t n = -1;
    return pg_count(st, &n, e, sql, "iiii", lq->user_id, lq->viewer_id, (int64_t)0, (int64_t)0) ? n : -1;
}

/* The owner's counter named by a literal column. */
static int64_t owner_counter(struct store *st, const char *column, int64_t user_id, struct err *e)
{
    static const char *const sql[] = {
        "SELECT followers_counter FROM users WHERE id = $1",
        "SELECT followings_counter FROM users WHERE id = $1",
        "SELECT connections_counter FROM users WHERE id = $1",
        "SELECT connection_requests_sent_counter FROM users WHERE id = $1",
        "SELECT connection_requests_received_counter FROM users WHERE id = $1",
    };
    static const char *const columns[] = {"followers_counter", "followings_counter", "connections_counter",
                                          "connection_requests_sent_counter", "connection_requests_received_counter"};
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        if (strcmp(columns[i], column))
            continue;
        int64_t n = 0; /* an absent user has none */
        return pg_int(st, &n, e, sql[i], "i", user_id) < 0 ? -1 : n;
    }
    err_internal(e);
    return -1;
}

static bool graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                            struct err *e)
{
    out->n = 0;
    out->count = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(lq->limit > 0 ? lq->limit : 1));
    if (lq->kind == GRAPH_LIST_HIDDEN) {
        out->count = list_count(st, hidden_count_sql, lq, e);
        return out->count >= 0 && list_fill(st, a, hidden_page_sql, lq, lq->limit, lq->offset, out, e);
    }
    const struct list_sql *s = &list_sql[lq->kind];
    int64_t total = owner_counter(st, s->counter, lq->user_id, e);
    int64_t hidden = lq->viewer_id ? list_count(st, s->hidden_count, lq, e) : 0;
    if (total < 0 || hidden < 0)
        return false;
    out->count = total > hidden ? total - hidden : 0;
    if (!lq->mutual || !lq->viewer_id) {
        /* Deep pages: when no edge is filtered out (the counter equals the
         * edge count, none hidden by the viewer), the page's position in
         * the index is exact, so the offset is walked in the index alone
         * and only the page's users are read. */
        if (lq->offset >= GRAPH_DEEP_OFFSET && hidden == 0) {
            int64_t edges = list_count(st, s->edge_count, lq, e);
            if (edges < 0)
                return false;
            if (edges == total)
                return list_fill(st, a, s->index_page, lq, lq->limit, lq->offset, out, e);
        }
        return list_fill(st, a, s->page, lq, lq->limit, lq->offset, out, e);
    }
    /* mutual: the viewer's relations first, then the rest, each newest first */
    int64_t mine = owner_counter(st, s->viewer_counter, lq->viewer_id, e);
    if (mine < 0)
        return false;
    bool by_viewer = mine < total;
    int64_t m = list_count(st, by_viewer ? s->viewer_mutual_count : s->mutual_count, lq, e);
    if (m < 0)
        return false;
    if (lq->offset < m &&
        !list_fill(st, a, by_viewer ? s->viewer_mutual_page : s->mutual_page, lq, lq->limit, lq->offset, out, e))
        return false;
    if (out->n < lq->limit) {
        int64_t rest_offset = lq->offset > m ? lq->offset - m : 0;
        if (!list_fill(st, a, s->rest_page, lq, lq->limit - out->n, (int)rest_offset, out, e))
            return false;
    }
    return true;
}

bool pg_graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                        struct err *e)
{
    bool handled; /* plain pages of long lists seek through the maintained counts (pg_list.c) */
    if (!pg_edge_list_seek(st, a, lq, out, &handled, e))
        return false;
    if (handled)
        return true;
    bool own;
    /* one read snapshot for the counters and the page */
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    bool ok = graph_user_list(st, a, lq, out, e);
    pg_snapshot_end(st, own);
    return ok;
}

bool pg_graph_hidden_ids(struct store *st, struct arena *a, int64_t user_id, int max, int64_t **ids, int *n,
                         struct err *e)
{
    *ids = arena_alloc(a, sizeof **ids * (size_t)(max > 0 ? max : 1));
    *n = 0;
    PGresult *r = pg_run(st, e,
                         "SELECT e.hidden_id FROM hides e JOIN users ON users.id = e.hidden_id "
                         "WHERE e.user_id = $1 AND users.status IN ('a', 'b') "
                         "ORDER BY e.created_us DESC, e.hidden_id DESC LIMIT $2",
                         "ii", user_id, (int64_t)(max > 0 ? max : 0));
    if (!r)
        return false;
    for (int i = 0, nt = PQntuples(r); i < nt && *n < max; i++)
        (*ids)[(*n)++] = pg_col_int(r, i, 0);
    PQclear(r);
    return true;
}

/* ================================================================ */
/* lists of connection requests                                     */

static bool request_list(struct store *st, struct arena *a, int64_t user_id, bool sent, int limit, int offset,
                         struct graph_request_page *out, struct err *e)
{
    /* The request's columns are renamed in a subquery, so that
     * PG_USER_COLUMNS (unqualified) name the users table's columns only. */
    static const char received_sql[] =
        "SELECT r.rid, r.rfrom, r.rto, r.rcreated, r.rrejected, r.rviewed, " PG_USER_COLUMNS " FROM (SELECT id AS "
        "rid, from_user_id AS rfrom, to_user_id AS rto, created_us AS rcreated, rejected_us AS rrejected, viewed_us AS "
        "rviewed FROM connection_requests WHERE to_user_id = $1 AND rejected_us IS NULL) r JOIN users ON "
        "users.id = r.rfrom WHERE users.status IN ('a', 'b') ORDER BY r.rcreated DESC, r.rid DESC LIMIT $2 OFFSET $3";
    static const char sent_sql[] =
        "SELECT r.rid, r.rfrom, r.rto, r.rcreated, r.rrejected, r.rviewed, " PG_USER_COLUMNS " FROM (SELECT id AS "
        "rid, from_user_id AS rfrom, to_user_id AS rto, created_us AS rcreated, rejected_us AS rrejected, viewed_us AS "
        "rviewed FROM connection_requests WHERE from_user_id = $1) r JOIN users ON users.id = r.rto "
        "WHERE users.status IN ('a', 'b') ORDER BY r.rcreated DESC, r.rid DESC LIMIT $2 OFFSET $3";
    out->n = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    out->count = owner_counter(st, sent ? "connection_requests_sent_counter" : "connection_requests_received_counter",
                               user_id, e);
    if (out->count < 0)
        return false;
    PGresult *r = pg_run(st, e, sent ? sent_sql : received_sql, "iii", user_id, (int64_t)(limit > 0 ? limit : 0),
                         (int64_t)(offset > 0 ? offset : 0));
    if (!r)
        return false;
    enum { REQUEST_NCOLS = 6 }; /* the request's columns, before PG_USER_COLUMNS */
    for (int i = 0, n = PQntuples(r); i < n && out->n < limit; i++) {
        struct graph_request_item *it = &out->items[out->n++];
        it->r = (struct graph_request){.id = pg_col_int(r, i, 0),
                                       .from_user_id = pg_col_int(r, i, 1),
                                       .to_user_id = pg_col_int(r, i, 2),
                                       .created_us = pg_col_int(r, i, 3),
                                       .rejected_us = pg_col_int(r, i, 4),
                                       .viewed_us = pg_col_int(r, i, 5)};
        pg_user_from_row(a, r, i, REQUEST_NCOLS, &it->other);
    }
    PQclear(r);
    return true;
}

bool pg_graph_request_list(struct store *st, struct arena *a, int64_t user_id, bool sent, int limit, int offset,
                           struct graph_request_page *out, struct err *e)
{
    bool own;
    /* one read snapshot for the counter and the page */
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    bool ok = request_list(st, a, user_id, sent, limit, offset, out, e);
    pg_snapshot_end(st, own);
    return ok;
}
