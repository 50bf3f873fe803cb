/* sqlite_graph.c - the social graph in SQLite: follows, connection requests,
 * connections and hides; incremental counters; the caller's relations to a
 * set of users; and the graph's lists of users and of requests.
 *
 * Lists are driven by the edge indexes (follows_followed, follows_follower,
 * connections_user_created, hides_user_created, connection_requests_to,
 * connection_requests_from) in index order, joining users by primary key,
 * so a page costs its offset plus its length in index steps and never a
 * sort of the whole list. Counts come from the counters in the user row.
 */
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/json_write.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_list.h"

/* `$N` is parameter N (sqlite_prepare); a statement may leave some of its
 * family's parameters unused, and binding those is a harmless no-op. */
static void bind_i64(sqlite3_stmt *q, int n, int64_t v)
{
    if (n <= sqlite3_bind_parameter_count(q))
        sqlite3_bind_int64(q, n, v);
}

static void bind_null(sqlite3_stmt *q, int n)
{
    if (n <= sqlite3_bind_parameter_count(q))
        sqlite3_bind_null(q, n);
}

/* ================================================================ */
/* statuses and counters                                            */

bool sqlite_graph_statuses(struct store *st, int64_t a_id, int64_t b_id, enum user_status *a_status,
                           enum user_status *b_status, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT id, status FROM users WHERE id IN ($1, $2)", e);
    if (!q)
        return false;
    bind_i64(q, 1, a_id);
    bind_i64(q, 2, b_id);
    *a_status = *b_status = USER_NONE;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        const unsigned char *s = sqlite3_column_text(q, 1);
        enum user_status c = s ? (enum user_status)s[0] : USER_NONE;
        if (id == a_id)
            *a_status = c;
        if (id == b_id)
            *b_status = c;
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "graph statuses");
}

bool sqlite_graph_counters_add(struct store *st, int64_t user_id, const struct graph_counter_delta *d, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE users SET followers_counter = followers_counter + $2, "
                                  "followings_counter = followings_counter + $3, "
                                  "connections_counter = connections_counter + $4, "
                                  "connection_requests_sent_counter = connection_requests_sent_counter + $5, "
                                  "connection_requests_received_counter = connection_requests_received_counter + $6 "
                                  "WHERE id = $1",
                                  e);
    if (!q)
        return false;
    bind_i64(q, 1, user_id);
    bind_i64(q, 2, d->followers);
    bind_i64(q, 3, d->followings);
    bind_i64(q, 4, d->connections);
    bind_i64(q, 5, d->requests_sent);
    bind_i64(q, 6, d->requests_received);
    return sqlite_exec_stmt(st, q, e, "graph counters");
}

/* ================================================================ */
/* edges                                                            */

/* Runs a cached statement taking two ids ($1, $2) and, if with_time, a
 * time ($3); exists: as sqlite_exists, else 1 on success and -1 on error. */
static int pair_stmt(struct store *st, const char *sql, int64_t a_id, int64_t b_id, bool with_time, int64_t t,
                     bool exists, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    bind_i64(q, 1, a_id);
    bind_i64(q, 2, b_id);
    if (with_time)
        bind_i64(q, 3, t);
    if (exists)
        return sqlite_exists(st, q, e);
    return sqlite_exec_stmt(st, q, e, "graph edge") ? 1 : -1;
}

int sqlite_graph_follow_exists(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e)
{
    return pair_stmt(st, "SELECT 1 FROM follows WHERE follower_id = $1 AND followed_id = $2", follower_id, followed_id,
                     false, 0, true, e);
}

bool sqlite_graph_follow_insert(struct store *st, int64_t follower_id, int64_t followed_id, int64_t now_us,
                                struct err *e)
{
    return pair_stmt(st, "INSERT INTO follows (follower_id, followed_id, created_us) VALUES ($1, $2, $3)", follower_id,
                     followed_id, true, now_us, false, e) == 1;
}

bool sqlite_graph_follow_delete(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e)
{
    return pair_stmt(st, "DELETE FROM follows WHERE follower_id = $1 AND followed_id = $2", follower_id, followed_id,
                     false, 0, false, e) == 1;
}

int sqlite_graph_connected(struct store *st, int64_t user_id, int64_t other_id, struct err *e)
{
    return pair_stmt(st, "SELECT 1 FROM connections WHERE user_id = $1 AND other_id = $2", user_id, other_id, false, 0,
                     true, e);
}

bool sqlite_graph_connection_insert(struct store *st, int64_t a_id, int64_t b_id, int64_t now_us, struct err *e)
{
    return pair_stmt(st, "INSERT INTO connections (user_id, other_id, created_us) VALUES ($1, $2, $3), ($2, $1, $3)",
                     a_id, b_id, true, now_us, false, e) == 1;
}

bool sqlite_graph_connection_delete(struct store *st, int64_t a_id, int64_t b_id, struct err *e)
{
    return pair_stmt(st,
                     "DELETE FROM connections WHERE (user_id = $1 AND other_id = $2) OR "
                     "(user_id = $2 AND other_id = $1)",
                     a_id, b_id, false, 0, false, e) == 1;
}

/* id, created_us, rejected_us, viewed_us (the caller knows the users) */
static void read_request(struct arena *a, sqlite3_stmt *q, void *out)
{
    (void)a;
    *(struct graph_request *)out = (struct graph_request){.id = sqlite3_column_int64(q, 0),
                                                          .created_us = sqlite3_column_int64(q, 1),
                                                          .rejected_us = sqlite3_column_int64(q, 2),
                                                          .viewed_us = sqlite3_column_int64(q, 3)};
}

int sqlite_graph_request_get(struct store *st, int64_t from_id, int64_t to_id, struct graph_request *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT id, created_us, rejected_us, viewed_us FROM connection_requests "
                                  "WHERE from_user_id = $1 AND to_user_id = $2",
                                  e);
    if (!q)
        return -1;
    bind_i64(q, 1, from_id);
    bind_i64(q, 2, to_id);
    int found = sqlite_get_row(st, q, read_request, NULL, out, e);
    if (found == 1) {
        out->from_user_id = from_id;
        out->to_user_id = to_id;
    }
    return found;
}

bool sqlite_graph_request_insert(struct store *st, int64_t from_id, int64_t to_id, int64_t now_us, struct err *e)
{
    return pair_stmt(st, "INSERT INTO connection_requests (from_user_id, to_user_id, created_us) VALUES ($1, $2, $3)",
                     from_id, to_id, true, now_us, false, e) == 1;
}

bool sqlite_graph_request_delete(struct store *st, int64_t id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM connection_requests WHERE id = $1", e);
    if (!q)
        return false;
    bind_i64(q, 1, id);
    return sqlite_exec_stmt(st, q, e, "delete request");
}

bool sqlite_graph_request_set_rejected(struct store *st, int64_t id, int64_t rejected_us, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "UPDATE connection_requests SET rejected_us = $2 WHERE id = $1", e);
    if (!q)
        return false;
    bind_i64(q, 1, id);
    if (rejected_us)
        bind_i64(q, 2, rejected_us);
    else
        bind_null(q, 2);
    return sqlite_exec_stmt(st, q, e, "reject request");
}

bool sqlite_graph_request_set_viewed(struct store *st, int64_t id, int64_t now_us, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "UPDATE connection_requests SET viewed_us = coalesce(viewed_us, $2) WHERE id = $1", e);
    if (!q)
        return false;
    bind_i64(q, 1, id);
    bind_i64(q, 2, now_us);
    return sqlite_exec_stmt(st, q, e, "view request");
}

int sqlite_graph_hide_exists(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e)
{
    return pair_stmt(st, "SELECT 1 FROM hides WHERE user_id = $1 AND hidden_id = $2", user_id, hidden_id, false, 0,
                     true, e);
}

bool sqlite_graph_hide_insert(struct store *st, int64_t user_id, int64_t hidden_id, int64_t now_us, struct err *e)
{
    return pair_stmt(st, "INSERT INTO hides (user_id, hidden_id, created_us) VALUES ($1, $2, $3)", user_id, hidden_id,
                     true, now_us, false, e) == 1;
}

bool sqlite_graph_hide_delete(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e)
{
    return pair_stmt(st, "DELETE FROM hides WHERE user_id = $1 AND hidden_id = $2", user_id, hidden_id, false, 0, false,
                     e) == 1;
}

/* Steps a single-integer query (ids bound by the caller); -1 on error. */
static int64_t count_stmt(struct store *st, sqlite3_stmt *q, struct err *e)
{
    int64_t n = -1;
    return sqlite_get_count(st, q, &n, e) ? n : -1;
}

int64_t sqlite_graph_hide_count(struct store *st, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*) FROM hides WHERE user_id = $1", e);
    if (!q)
        return -1;
    bind_i64(q, 1, user_id);
    return count_stmt(st, q, e);
}

/* ================================================================ */
/* relations of a viewer to a set of users                          */

/* A viewer with few edges (most viewers): their other ends read in one
 * range each, and only the page's users among them probed, instead of a
 * probe per user of the page (a B-tree descent each). For a batch of at
 * least OWN_FROM users; a kind with more than OWN_MAX edges prunes
 * nothing. */
enum { OWN_FROM = 4, OWN_MAX = 64 };

/* The other ends of the viewer's edges of one kind (sql: $1 the viewer,
 * at most OWN_MAX + 1 rows, a second column 0 for a row that does not
 * count) into v: their number, OWN_MAX + 1 for too many, -1 on error. */
static int own_edges(struct store *st, const char *sql, int64_t viewer_id, int64_t *v, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    bind_i64(q, 1, viewer_id);
    int n = 0, rows = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && ++rows <= OWN_MAX)
        if (sqlite3_column_int(q, 1))
            v[n++] = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlite_fail(st, e, "graph relations"), -1;
    return rows > OWN_MAX ? OWN_MAX + 1 : n;
}

/* Of ids[0..n), those the viewer has an edge of the mode's kinds with
 * into kept (in their order): their number, n when the viewer has too
 * many edges to tell, -1 on error. */
static int with_edges(struct store *st, int64_t viewer_id, bool follow_mode, const int64_t *ids, int n, int64_t *kept,
                      struct err *e)
{
    static const char *const follow[] = {"SELECT followed_id, 1 FROM follows WHERE follower_id = $1 LIMIT 65"};
    static const char *const connect[] = {
        "SELECT other_id, 1 FROM connections WHERE user_id = $1 LIMIT 65",
        "SELECT to_user_id, 1 FROM connection_requests WHERE from_user_id = $1 LIMIT 65",
        "SELECT from_user_id, rejected_us IS NULL FROM connection_requests WHERE to_user_id = $1 LIMIT 65"};
    const char *const *sql = follow_mode ? follow : connect;
    int kinds = follow_mode ? 1 : 3, nedges = 0;
    int64_t edges[3 * OWN_MAX];
    for (int k = 0; k < kinds; k++) {
        int got = own_edges(st, sql[k], viewer_id, edges + nedges, e);
        if (got < 0)
            return -1;
        if (got > OWN_MAX) {
            memcpy(kept, ids, sizeof *ids * (size_t)n);
            return n;
        }
        nedges += got;
    }
    int m = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < nedges; j++)
            if (edges[j] == ids[i]) {
                kept[m++] = ids[i];
                break;
            }
    return m;
}

bool sqlite_graph_relations(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *ids,
                            int n, struct graph_relation_row **rows, int *nrows, struct err *e)
{
    *rows = NULL;
    *nrows = 0;
    if (n >= OWN_FROM) {
        int64_t *kept = arena_alloc(a, sizeof *kept * (size_t)n);
        if ((n = with_edges(st, viewer_id, follow_mode, ids, n, kept, e)) < 0)
            return false;
        ids = kept;
    }
    if (n <= 0)
        return true;
    /* the ids as one JSON array, read by json_each: one statement serves
     * any number of ids */
    struct buf list = BUF_INIT;
    buf_reserve(&list, 24 * (size_t)n + 2);
    buf_append(&list, "[", 1);
    for (int i = 0; i < n; i++) { /* without printf (vfprintf per id) */
        if (i)
            buf_append(&list, ",", 1);
        json_put_int(&list, ids[i]);
    }
    buf_append(&list, "]", 1);
    /* one pass over the ids, a primary-key probe per kind and user (a set
     * of ids per kind, built for each IN, cost several times more); in
     * follow mode the follow edge first, the user only where there is one */
    static const char follow_sql[] = "SELECT u.id, 1, 0, 0, 0 FROM json_each($2) j CROSS JOIN follows f ON "
                                     "f.follower_id = $1 AND f.followed_id = j.value CROSS JOIN users u ON u.id = "
                                     "f.followed_id WHERE u.status IN ('a', 'b')";
    static const char connect_sql[] =
        "SELECT u.id, 0, EXISTS (SELECT 1 FROM connections c WHERE c.user_id = $1 AND c.other_id = u.id), "
        "EXISTS (SELECT 1 FROM connection_requests s WHERE s.from_user_id = $1 AND s.to_user_id = u.id), "
        "EXISTS (SELECT 1 FROM connection_requests v WHERE v.from_user_id = u.id AND v.to_user_id = $1 "
        "AND v.rejected_us IS NULL) FROM json_each($2) j CROSS JOIN users u ON u.id = j.value "
        "WHERE u.status IN ('a', 'b')";
    sqlite3_stmt *q = sqlite_stmt(st, follow_mode ? follow_sql : connect_sql, e);
    if (!q) {
        buf_free(&list);
        return false;
    }
    bind_i64(q, 1, viewer_id);
    sqlite3_bind_text(q, 2, buf_str(&list), -1, SQLITE_TRANSIENT);
    buf_free(&list);
    /* at most three kinds per user */
    *rows = arena_alloc(a, sizeof **rows * (size_t)n * 3);
    static const enum graph_relation_kind kinds[] = {GRAPH_REL_FOLLOWS, GRAPH_REL_CONNECTED, GRAPH_REL_SENT,
                                                     GRAPH_REL_RECEIVED};
    int rc, users = 0;
    while (users < n && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        users++; /* each id at most once a row */
        int64_t id = sqlite3_column_int64(q, 0);
        for (int k = 0; k < 4; k++)
            if (sqlite3_column_int(q, 1 + k))
                (*rows)[(*nrows)++] = (struct graph_relation_row){id, kinds[k]};
    }
    if (users >= n)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? true : sqlite_fail(st, e, "graph relations");
}

/* ================================================================ */
/* lists of users                                                   */

/* One list's statements. $1 = the list's owner, $2 = the viewer, $3 =
 * limit, $4 = offset. `e` is the edge row, `other` the listed user's
 * column in it. CROSS JOIN keeps the edge index as the outer loop, so
 * rows come in index order (no sort) and a page stops after
 * offset + limit index steps. An anonymous viewer ($2 = 0) hides nobody:
 * no probe of hides per row. */
#define LIST_FROM(table, owner, other)                                                                         \
    " FROM " table " e CROSS JOIN users ON users.id = e." other " WHERE e." owner " = $1 AND users.status IN " \
    "('a', 'b') AND ($2 = 0 OR NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $2 AND h.hidden_id = e." other "))"
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
    const char *public_page;         /* page for an anonymous viewer (USER_PUBLIC_COLUMNS) */
    const char *public_index_page;   /* index_page for an anonymous viewer */
    /* page, index_page, public_page and public_index_page without the
     * connection counters (*_FOLLOW_COLUMNS), for a caller in follow mode */
    const char *follow_page, *follow_index_page, *follow_public_page, *follow_public_index_page;
    /* page and index_page giving the users' ids only (their rows kept) */
    const char *ids_page, *ids_index_page;
};

/* The mutual part walked from the viewer's side: `vtable v` holds the
 * viewer's relations (v.vself = $2), each probed in the owner's list by
 * primary key. */
#define VIEWER_FROM(table, owner, other, vtable, vself, vother)                                                   \
    " FROM " vtable " v CROSS JOIN " table " e ON e." owner " = $1 AND e." other " = v." vother                   \
    " CROSS JOIN users ON users.id = v." vother " WHERE v." vself " = $2 AND users.status IN ('a', 'b') AND NOT " \
    "EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $2 AND h.hidden_id = v." vother ")"

/* A page found in the index alone, then joined (after the columns). */
#define INDEX_PAGE_FROM(table, owner, other)                                                                      \
    " FROM (SELECT e." other " AS k_id, e.created_us AS k_created FROM " table " e WHERE e." owner                \
    " = $1" LIST_ORDER(other) ") k CROSS JOIN users ON users.id = k.k_id WHERE users.status IN ('a', 'b') ORDER " \
                              "BY k.k_created DESC, k.k_id DESC"

/* The mutual part is walked from whichever side is smaller: the list in
 * index order, or the viewer's relations (then sorted); the rest page
 * walks the list and skips the mutual users per row. */
#define LIST_SQL(table, owner, other, counter_col, rel, vtable, vself, vother, vcounter)                           \
    {                                                                                                              \
        counter_col,                                                                                               \
            "SELECT count(*) FROM hides h CROSS JOIN " table " e ON e." other " = h.hidden_id AND e." owner        \
            " = $1 JOIN users ON users.id = h.hidden_id WHERE h.user_id = $2 AND users.status IN ('a', 'b')",      \
            "SELECT " USER_PAGE_COLUMNS LIST_FROM(table, owner, other) LIST_ORDER(other),                          \
            "SELECT count(*)" LIST_FROM(table, owner, other) " AND " rel(other),                                   \
            "SELECT " USER_PAGE_COLUMNS LIST_FROM(table, owner, other) " AND " rel(other) LIST_ORDER(other),       \
            "SELECT " USER_PAGE_COLUMNS LIST_FROM(table, owner, other) " AND NOT " rel(other) LIST_ORDER(other),   \
            "SELECT count(*) FROM " table " e WHERE e." owner " = $1",                                             \
            "SELECT " USER_PAGE_COLUMNS INDEX_PAGE_FROM(table, owner, other), vcounter,                            \
            "SELECT count(*)" VIEWER_FROM(table, owner, other, vtable, vself, vother),                             \
            "SELECT " USER_PAGE_COLUMNS VIEWER_FROM(table, owner, other, vtable, vself, vother) LIST_ORDER(other), \
            "SELECT " USER_PUBLIC_COLUMNS LIST_FROM(table, owner, other) LIST_ORDER(other),                        \
            "SELECT " USER_PUBLIC_COLUMNS INDEX_PAGE_FROM(table, owner, other),                                    \
            "SELECT " USER_PAGE_FOLLOW_COLUMNS LIST_FROM(table, owner, other) LIST_ORDER(other),                   \
            "SELECT " USER_PAGE_FOLLOW_COLUMNS INDEX_PAGE_FROM(table, owner, other),                               \
            "SELECT " USER_PUBLIC_FOLLOW_COLUMNS LIST_FROM(table, owner, other) LIST_ORDER(other),                 \
            "SELECT " USER_PUBLIC_FOLLOW_COLUMNS INDEX_PAGE_FROM(table, owner, other),                             \
            "SELECT users.id" LIST_FROM(table, owner, other) LIST_ORDER(other),                                    \
            "SELECT users.id" INDEX_PAGE_FROM(table, owner, other),                                                \
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
 * (one index walk, no row reads) to see whether the offset can be walked
 * in the index alone: below it, walking the offset costs less than that. */
enum { GRAPH_DEEP_OFFSET = 1000 };

/* The hidden list: the owner's own hides, so no hide filter and no mutual. */
static const char hidden_count_sql[] = "SELECT count(*) FROM hides e JOIN users ON users.id = e.hidden_id "
                                       "WHERE e.user_id = $1 AND users.status IN ('a', 'b')";
static const char hidden_page_sql[] = "SELECT " USER_PAGE_COLUMNS " FROM hides e CROSS JOIN users ON users.id = "
                                      "e.hidden_id WHERE e.user_id = $1 AND users.status IN ('a', 'b')"
                                      " ORDER BY e.created_us DESC, e.hidden_id DESC LIMIT $3 OFFSET $4";

/* Binds $1..$2 (and $3..$4 when limit >= 0) of a list statement. */
static sqlite3_stmt *list_stmt(struct store *st, const char *sql, const struct graph_list_query *lq, int limit,
                               int offset, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return NULL;
    bind_i64(q, 1, lq->user_id);
    bind_i64(q, 2, lq->viewer_id);
    if (limit >= 0) {
        bind_i64(q, 3, limit);
        bind_i64(q, 4, offset);
    }
    return q;
}

/* Appends the users of a page statement to out (room for lq->limit): cols
 * says which of the page columns (sqlite_internal.h) it selects. */
static bool list_fill(struct store *st, struct arena *a, const char *sql, unsigned cols,
                      const struct graph_list_query *lq, int limit, int offset, struct user_page *out, struct err *e)
{
    sqlite3_stmt *q = list_stmt(st, sql, lq, limit, offset, e);
    if (!q)
        return false;
    int rc = SQLITE_DONE;
    while (out->n < lq->limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        sqlite_user_page_from_row(a, q, 0, &out->items[out->n++], cols);
    if (out->n >= lq->limit)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "graph list");
}

/* A plain page through the kept rows (sqlite_user_rows.c): the page's ids
 * from ids_sql, each user from its kept row or, when not kept, read by id
 * and kept. In a write transaction (no row kept), list_fill with sql. */
static bool list_fill_kept(struct store *st, struct arena *a, const char *ids_sql, const char *sql, unsigned cols,
                           const struct graph_list_query *lq, int offset, struct user_page *out, struct err *e)
{
    struct sqlite_conn *c = st->lite;
    if (!sqlite_user_rows_fresh(c)) /* the counters read before hold the read transaction */
        return list_fill(st, a, sql, cols, lq, lq->limit, offset, out, e);
    sqlite3_stmt *q = list_stmt(st, ids_sql, lq, lq->limit, offset, e);
    if (!q)
        return false;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(lq->limit > 0 ? lq->limit : 1));
    int n = 0, rc = SQLITE_DONE;
    while (n < lq->limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(q, 0);
    if (n >= lq->limit)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "graph list");
    for (int i = 0; i < n; i++) {
        struct user *u = &out->items[out->n];
        if (sqlite_user_rows_get(c, a, ids[i], u)) {
            out->n++;
            continue;
        }
        q = sqlite_stmt(st, "SELECT " USER_PAGE_COLUMNS " FROM users WHERE id = $1", e);
        if (!q)
            return false;
        bind_i64(q, 1, ids[i]);
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            sqlite_user_page_from_row(a, q, 0, u, SQLITE_USER_PAGE);
            sqlite_user_rows_put(c, u);
            out->n++;
        }
        sqlite3_reset(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) /* DONE: cannot be, in the same snapshot */
            return sqlite_fail(st, e, "graph list user");
    }
    return true;
}

static int64_t list_count(struct store *st, const char *sql, const struct graph_list_query *lq, struct err *e)
{
    sqlite3_stmt *q = list_stmt(st, sql, lq, -1, 0, e);
    return q ? count_stmt(st, q, e) : -1;
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
        sqlite3_stmt *q = sqlite_stmt(st, sql[i], e);
        if (!q)
            return -1;
        bind_i64(q, 1, user_id);
        int64_t n = 0; /* an absent user has none */
        return sqlite_get_int(st, q, &n, e) < 0 ? -1 : n;
    }
    err_internal(e);
    return -1;
}

/* A plain page's statement (found in the index alone or not): as few
 * columns as the viewer and the mode let it read. */
static const char *plain_sql(const struct list_sql *s, const struct graph_list_query *lq, bool index)
{
    if (lq->viewer_id)
        return lq->follow_mode ? (index ? s->follow_index_page : s->follow_page) : (index ? s->index_page : s->page);
    return lq->follow_mode ? (index ? s->follow_public_index_page : s->follow_public_page)
                           : (index ? s->public_index_page : s->public_page);
}

static unsigned plain_cols(const struct graph_list_query *lq)
{
    return (lq->viewer_id ? SQLITE_USER_PAGE : SQLITE_USER_PUBLIC) |
           (lq->follow_mode ? SQLITE_USER_NO_CONNECTION_COUNTERS : 0);
}

static bool graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                            struct err *e)
{
    out->n = 0;
    out->count = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(lq->limit > 0 ? lq->limit : 1));
    if (lq->kind == GRAPH_LIST_HIDDEN) {
        out->count = list_count(st, hidden_count_sql, lq, e);
        return out->count >= 0 &&
               list_fill(st, a, hidden_page_sql, SQLITE_USER_PAGE, lq, lq->limit, lq->offset, out, e);
    }
    const struct list_sql *s = &list_sql[lq->kind];
    int64_t total = owner_counter(st, s->counter, lq->user_id, e);
    int64_t hidden = lq->viewer_id ? list_count(st, s->hidden_count, lq, e) : 0;
    if (total < 0 || hidden < 0)
        return false;
    out->count = total > hidden ? total - hidden : 0;
    if (!lq->mutual || !lq->viewer_id) {
        /* Deep pages: when no edge is filtered out (every listed user
         * active, none hidden by the viewer: the counter equals the edge
         * count), the page's position in the index is exact, so the offset
         * is walked in the index alone and only the page's users are read. */
        if (lq->offset >= GRAPH_DEEP_OFFSET && hidden == 0) {
            int64_t edges = list_count(st, s->edge_count, lq, e);
            if (edges < 0)
                return false;
            if (edges == total)
                return list_fill_kept(st, a, s->ids_index_page, plain_sql(s, lq, true), plain_cols(lq), lq, lq->offset,
                                      out, e);
        }
        return list_fill_kept(st, a, s->ids_page, plain_sql(s, lq, false), plain_cols(lq), lq, lq->offset, out, e);
    }
    /* mutual: the viewer's relations first, then the rest, each newest first */
    int64_t mine = owner_counter(st, s->viewer_counter, lq->viewer_id, e);
    if (mine < 0)
        return false;
    bool by_viewer = mine < total;
    int64_t m = list_count(st, by_viewer ? s->viewer_mutual_count : s->mutual_count, lq, e);
    if (m < 0)
        return false;
    if (lq->offset < m && !list_fill(st, a, by_viewer ? s->viewer_mutual_page : s->mutual_page, SQLITE_USER_PAGE, lq,
                                     lq->limit, lq->offset, out, e))
        return false;
    if (out->n < lq->limit) {
        int64_t rest_offset = lq->offset > m ? lq->offset - m : 0;
        if (!list_fill(st, a, s->rest_page, SQLITE_USER_PAGE, lq, lq->limit - out->n, (int)rest_offset, out, e))
            return false;
    }
    return true;
}

bool sqlite_graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out,
                            struct err *e)
{
    bool handled; /* plain pages seek through the maintained counts (sqlite_list.c) */
    if (!sqlite_edge_list_seek(st, a, lq, out, &handled, e))
        return false;
    if (handled)
        return true;
    bool own;
    /* one read snapshot for the counters and the page */
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    bool ok = graph_user_list(st, a, lq, out, e);
    sqlite_snapshot_end(st, own);
    return ok;
}

bool sqlite_graph_hidden_ids(struct store *st, struct arena *a, int64_t user_id, int max, int64_t **ids, int *n,
                             struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT e.hidden_id FROM hides e CROSS JOIN users ON users.id = e.hidden_id "
                                  "WHERE e.user_id = $1 AND users.status IN ('a', 'b') "
                                  "ORDER BY e.created_us DESC, e.hidden_id DESC LIMIT $2",
                                  e);
    if (!q)
        return false;
    bind_i64(q, 1, user_id);
    bind_i64(q, 2, max);
    *ids = arena_alloc(a, sizeof **ids * (size_t)(max > 0 ? max : 1));
    *n = 0;
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    if (*n >= max)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "hidden ids");
}

/* ================================================================ */
/* lists of connection requests                                     */

static bool request_list(struct store *st, struct arena *a, int64_t user_id, bool sent, int limit, int offset,
                         struct graph_request_page *out, struct err *e)
{
    /* The request's columns are renamed in a subquery, so that
     * USER_COLUMNS (unqualified) name the users table's columns only. */
    static const char received_sql[] =
        "SELECT r.rid, r.rfrom, r.rto, r.rcreated, r.rrejected, r.rviewed, " USER_COLUMNS " FROM (SELECT id AS rid, "
        "from_user_id AS rfrom, to_user_id AS rto, created_us AS rcreated, rejected_us AS rrejected, viewed_us AS "
        "rviewed FROM connection_requests WHERE to_user_id = $1 AND rejected_us IS NULL) r CROSS JOIN users ON "
        "users.id = r.rfrom WHERE users.status IN ('a', 'b') ORDER BY r.rcreated DESC, r.rid DESC LIMIT $2 OFFSET $3";
    static const char sent_sql[] =
        "SELECT r.rid, r.rfrom, r.rto, r.rcreated, r.rrejected, r.rviewed, " USER_COLUMNS " FROM (SELECT id AS rid, "
        "from_user_id AS rfrom, to_user_id AS rto, created_us AS rcreated, rejected_us AS rrejected, viewed_us AS "
        "rviewed FROM connection_requests WHERE from_user_id = $1) r CROSS JOIN users ON users.id = r.rto "
        "WHERE users.status IN ('a', 'b') ORDER BY r.rcreated DESC, r.rid DESC LIMIT $2 OFFSET $3";
    out->n = 0;
    out->count = owner_counter(st, sent ? "connection_requests_sent_counter" : "connection_requests_received_counter",
                               user_id, e);
    if (out->count < 0)
        return false;
    sqlite3_stmt *q = sqlite_stmt(st, sent ? sent_sql : received_sql, e);
    if (!q)
        return false;
    bind_i64(q, 1, user_id);
    bind_i64(q, 2, limit);
    bind_i64(q, 3, offset);
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    enum { REQUEST_NCOLS = 6 }; /* the request's columns, before USER_COLUMNS */
    int rc = SQLITE_DONE;
    while (out->n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct graph_request_item *it = &out->items[out->n++];
        it->r = (struct graph_request){.id = sqlite3_column_int64(q, 0),
                                       .from_user_id = sqlite3_column_int64(q, 1),
                                       .to_user_id = sqlite3_column_int64(q, 2),
                                       .created_us = sqlite3_column_int64(q, 3),
                                       .rejected_us = sqlite3_column_int64(q, 4),
                                       .viewed_us = sqlite3_column_int64(q, 5)};
        sqlite_user_from_row(a, q, REQUEST_NCOLS, &it->other);
    }
    if (out->n >= limit)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "request list");
}

bool sqlite_graph_request_list(struct store *st, struct arena *a, int64_t user_id, bool sent, int limit, int offset,
                               struct graph_request_page *out, struct err *e)
{
    bool own;
    /* one read snapshot for the counter and the page */
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    bool ok = request_list(st, a, user_id, sent, limit, offset, out, e);
    sqlite_snapshot_end(st, own);
    return ok;
}
