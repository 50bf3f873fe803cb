/* sqlite_account_purge.c - a hard delete in bounded batches (the rules in
 * src/domain/account.c): the purge marker, and one batch of edge removals
 * with every counter kept equal to what the edges give, so that each batch
 * can commit on its own and other writers wait for one batch at most. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* ================================================================ */
/* the marker                                                       */

bool sqlite_account_purge_mark(struct store *st, int64_t user_id, int64_t now_us, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "INSERT OR IGNORE INTO account_purges (user_id, started_us) VALUES ($1, $2)", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, now_us);
    return sqlite_exec_stmt(st, q, e, "mark purge");
}

int sqlite_account_purge_marked(struct store *st, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT 1 FROM account_purges WHERE user_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_exists(st, q, e);
}

bool sqlite_account_purge_unmark(struct store *st, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM account_purges WHERE user_id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_exec_stmt(st, q, e, "unmark purge");
}

bool sqlite_account_purge_pending(struct store *st, struct arena *a, int64_t **ids, size_t *n, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT user_id FROM account_purges ORDER BY started_us, user_id", e);
    if (!q)
        return false;
    size_t cap = 8, count = 0;
    int64_t *list = arena_alloc(a, cap * sizeof *list);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (count == cap) {
            int64_t *bigger = arena_alloc(a, 2 * cap * sizeof *bigger);
            memcpy(bigger, list, cap * sizeof *list);
            list = bigger;
            cap *= 2;
        }
        list[count++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "pending purges");
    *ids = list;
    *n = count;
    return true;
}

/* ================================================================ */
/* one batch                                                        */

/* One direction of one edge table, seen from the user being deleted ($1).
 * `select` lists up to $2 other ends, each with two flags: whether the
 * user's own counter counts the edge (contract §9: edges to active users; a
 * received request only while not rejected), and whether the other end's
 * counter does given that the user is active (a rejected request counts
 * for nobody). `delete` removes the edge ($1, other = $2); `user_counter`
 * takes $2 from the user's counter, `other_counter` one from the other
 * end's ($1); NULL: no counter. */
struct purge_edge {
    const char *select, *delete, *user_counter, *other_counter;
};

static const struct purge_edge purge_edges[] = {
    {"SELECT e.follower_id, u.status IN ('a', 'b'), 1 FROM follows e JOIN users u ON u.id = e.follower_id "
     "WHERE e.followed_id = $1 LIMIT $2",
     "DELETE FROM follows WHERE followed_id = $1 AND follower_id = $2",
     "UPDATE users SET followers_counter = followers_counter - $2 WHERE id = $1",
     "UPDATE users SET followings_counter = followings_counter - 1 WHERE id = $1"},
    {"SELECT e.followed_id, u.status IN ('a', 'b'), 1 FROM follows e JOIN users u ON u.id = e.followed_id "
     "WHERE e.follower_id = $1 LIMIT $2",
     "DELETE FROM follows WHERE follower_id = $1 AND followed_id = $2",
     "UPDATE users SET followings_counter = followings_counter - $2 WHERE id = $1",
     "UPDATE users SET followers_counter = followers_counter - 1 WHERE id = $1"},
    {"SELECT e.other_id, u.status IN ('a', 'b'), 0 FROM connections e JOIN users u ON u.id = e.other_id "
     "WHERE e.user_id = $1 LIMIT $2",
     "DELETE FROM connections WHERE user_id = $1 AND other_id = $2",
     "UPDATE users SET connections_counter = connections_counter - $2 WHERE id = $1", NULL},
    {"SELECT e.user_id, 0, 1 FROM connections e WHERE e.other_id = $1 LIMIT $2",
     "DELETE FROM connections WHERE other_id = $1 AND user_id = $2", NULL,
     "UPDATE users SET connections_counter = connections_counter - 1 WHERE id = $1"},
    {"SELECT e.to_user_id, u.status IN ('a', 'b'), e.rejected_us IS NULL FROM connection_requests e "
     "JOIN users u ON u.id = e.to_user_id WHERE e.from_user_id = $1 LIMIT $2",
     "DELETE FROM connection_requests WHERE from_user_id = $1 AND to_user_id = $2",
     "UPDATE users SET connection_requests_sent_counter = connection_requests_sent_counter - $2 WHERE id = $1",
     "UPDATE users SET connection_requests_received_counter = connection_requests_received_counter - 1 "
     "WHERE id = $1"},
    {"SELECT e.from_user_id, e.rejected_us IS NULL AND u.status IN ('a', 'b'), 1 FROM connection_requests e "
     "JOIN users u ON u.id = e.from_user_id WHERE e.to_user_id = $1 LIMIT $2",
     "DELETE FROM connection_requests WHERE to_user_id = $1 AND from_user_id = $2",
     "UPDATE users SET connection_requests_received_counter = connection_requests_received_counter - $2 "
     "WHERE id = $1",
     "UPDATE users SET connection_requests_sent_counter = connection_requests_sent_counter - 1 WHERE id = $1"},
    {"SELECT e.hidden_id, 0, 0 FROM hides e WHERE e.user_id = $1 LIMIT $2",
     "DELETE FROM hides WHERE user_id = $1 AND hidden_id = $2", NULL, NULL},
    {"SELECT e.user_id, 0, 0 FROM hides e WHERE e.hidden_id = $1 LIMIT $2",
     "DELETE FROM hides WHERE hidden_id = $1 AND user_id = $2", NULL, NULL},
};
enum { PURGE_EDGE_KINDS = sizeof purge_edges / sizeof purge_edges[0] };

struct purge_row {
    int64_t other;
    bool counts_for_other;
};

/* Runs a cached statement binding the int64 values a (and b unless 0). */
static bool exec_ids(struct store *st, const char *sql, int64_t a, int64_t b, struct err *e, const char *what)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, a);
    if (b)
        sqlite3_bind_int64(q, 2, b);
    return sqlite_exec_stmt(st, q, e, what);
}

/* Removes up to `limit` edges of one direction with their counts; rows is
 * scratch space for `limit` rows. */
static bool purge_direction(struct store *st, const struct purge_edge *pe, int64_t user_id, bool user_active, int limit,
                            struct purge_row *rows, int64_t *removed, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, pe->select, e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int(q, 2, limit);
    int n = 0;
    int64_t counted = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < limit) {
        rows[n].other = sqlite3_column_int64(q, 0);
        counted += sqlite3_column_int(q, 1) != 0;
        rows[n].counts_for_other = sqlite3_column_int(q, 2) != 0;
        n++;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sqlite_fail(st, e, "purge: list edges");
    for (int i = 0; i < n; i++) {
        if (!exec_ids(st, pe->delete, user_id, rows[i].other, e, "purge: delete edge"))
            return false;
        /* the other end counted the edge only while this user is active */
        if (pe->other_counter && user_active && rows[i].counts_for_other &&
            !exec_ids(st, pe->other_counter, rows[i].other, 0, e, "purge: other counter"))
            return false;
    }
    if (pe->user_counter && counted && !exec_ids(st, pe->user_counter, user_id, counted, e, "purge: counter"))
        return false;
    *removed += n;
    return true;
}

bool sqlite_account_purge_batch(struct store *st, int64_t user_id, int limit, int64_t *removed, struct err *e)
{
    *removed = 0;
    if (limit <= 0)
        return true;
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT status IN ('a', 'b') FROM users WHERE id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    int rc = sqlite3_step(q);
    bool user_active = rc == SQLITE_ROW && sqlite3_column_int(q, 0) != 0;
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlite_fail(st, e, "purge: status");
    struct purge_row *rows = malloc((size_t)limit * sizeof *rows);
    if (!rows)
        return err_internal(e);
    bool ok = true;
    for (int k = 0; ok && k < PURGE_EDGE_KINDS && *removed < limit; k++)
        ok = purge_direction(st, &purge_edges[k], user_id, user_active, limit - (int)*removed, rows, removed, e);
    free(rows);
    return ok;
}
