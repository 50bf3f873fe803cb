/* pg_account_purge.c - a hard delete in bounded batches on PostgreSQL (the
 * rules in src/domain/account.c; the SQLite twin is sqlite_account_purge.c):
 * the purge marker, and one batch of edge removals with every counter kept
 * equal to what the edges give, so that each batch can commit on its own.
 * The caller locks the user being deleted first (store_lock_users), so no
 * edge of it appears or goes while a batch runs. */
#include <stdlib.h>

#include "store/pg_internal.h"

/* ================================================================ */
/* the marker                                                       */

bool pg_account_purge_mark(struct store *st, int64_t user_id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e,
                   "INSERT INTO account_purges (user_id, started_us) VALUES ($1, $2) "
                   "ON CONFLICT (user_id) DO NOTHING",
                   "ii", user_id, now_us);
}

int pg_account_purge_marked(struct store *st, int64_t user_id, struct err *e)
{
    return pg_exists(st, e, "SELECT 1 FROM account_purges WHERE user_id = $1", "i", user_id);
}

bool pg_account_purge_unmark(struct store *st, int64_t user_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM account_purges WHERE user_id = $1", "i", user_id);
}

bool pg_account_purge_pending(struct store *st, struct arena *a, int64_t **ids, size_t *n, struct err *e)
{
    PGresult *r = pg_run(st, e, "SELECT user_id FROM account_purges ORDER BY started_us, user_id", "");
    if (!r)
        return false;
    int rows = PQntuples(r);
    int64_t *list = arena_alloc(a, (size_t)(rows > 0 ? rows : 1) * sizeof *list);
    for (int i = 0; i < rows; i++)
        list[i] = pg_col_int(r, i, 0);
    PQclear(r);
    *ids = list;
    *n = (size_t)rows;
    return true;
}

/* ================================================================ */
/* one batch                                                        */

/* One direction of one edge table, seen from the user being deleted ($1).
 * `select` lists up to $2 other ends, each with two flags: whether the
 * user's own counter counts the edge (contract §9: edges to active users; a
 * received request only while not rejected), and whether the other end's
 * counter does given that the user is active (a rejected request counts
 * for nobody). `delete` removes the edges ($1, other = ANY($2));
 * `user_counter` takes $2 from the user's counter ($1), `other_counter` one
 * from each other end's in $1 (locked in id order); NULL: no counter. */
struct purge_edge {
    const char *select, *delete, *user_counter, *other_counter;
};

static const struct purge_edge purge_edges[] = {
    {"SELECT e.follower_id, (u.status IN ('a', 'b'))::int, 1 FROM follows e JOIN users u ON u.id = e.follower_id "
     "WHERE e.followed_id = $1 LIMIT $2",
     "DELETE FROM follows WHERE followed_id = $1 AND follower_id = ANY($2)",
     "UPDATE users SET followers_counter = followers_counter - $2 WHERE id = $1",
     "UPDATE users SET followings_counter = followings_counter - 1 WHERE id IN "
     "(SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE)"},
    {"SELECT e.followed_id, (u.status IN ('a', 'b'))::int, 1 FROM follows e JOIN users u ON u.id = e.followed_id "
     "WHERE e.follower_id = $1 LIMIT $2",
     "DELETE FROM follows WHERE follower_id = $1 AND followed_id = ANY($2)",
     "UPDATE users SET followings_counter = followings_counter - $2 WHERE id = $1",
     "UPDATE users SET followers_counter = followers_counter - 1 WHERE id IN "
     "(SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE)"},
    {"SELECT e.other_id, (u.status IN ('a', 'b'))::int, 0 FROM connections e JOIN users u ON u.id = e.other_id "
     "WHERE e.user_id = $1 LIMIT $2",
     "DELETE FROM connections WHERE user_id = $1 AND other_id = ANY($2)",
     "UPDATE users SET connections_counter = connections_counter - $2 WHERE id = $1", NULL},
    {"SELECT e.user_id, 0, 1 FROM connections e WHERE e.other_id = $1 LIMIT $2",
     "DELETE FROM connections WHERE other_id = $1 AND user_id = ANY($2)", NULL,
     "UPDATE users SET connections_counter = connections_counter - 1 WHERE id IN "
     "(SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE)"},
    {"SELECT e.to_user_id, (u.status IN ('a', 'b'))::int, (e.rejected_us IS NULL)::int FROM connection_requests e "
     "JOIN users u ON u.id = e.to_user_id WHERE e.from_user_id = $1 LIMIT $2",
     "DELETE FROM connection_requests WHERE from_user_id = $1 AND to_user_id = ANY($2)",
     "UPDATE users SET connection_requests_sent_counter = connection_requests_sent_counter - $2 WHERE id = $1",
     "UPDATE users SET connection_requests_received_counter = connection_requests_received_counter - 1 "
     "WHERE id IN (SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE)"},
    {"SELECT e.from_user_id, (e.rejected_us IS NULL AND u.status IN ('a', 'b'))::int, 1 FROM connection_requests e "
     "JOIN users u ON u.id = e.from_user_id WHERE e.to_user_id = $1 LIMIT $2",
     "DELETE FROM connection_requests WHERE to_user_id = $1 AND from_user_id = ANY($2)",
     "UPDATE users SET connection_requests_received_counter = connection_requests_received_counter - $2 "
     "WHERE id = $1",
     "UPDATE users SET connection_requests_sent_counter = connection_requests_sent_counter - 1 WHERE id IN "
     "(SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE)"},
    {"SELECT e.hidden_id, 0, 0 FROM hides e WHERE e.user_id = $1 LIMIT $2",
     "DELETE FROM hides WHERE user_id = $1 AND hidden_id = ANY($2)", NULL, NULL},
    {"SELECT e.user_id, 0, 0 FROM hides e WHERE e.hidden_id = $1 LIMIT $2",
     "DELETE FROM hides WHERE hidden_id = $1 AND user_id = ANY($2)", NULL, NULL},
};
enum { PURGE_EDGE_KINDS = sizeof purge_edges / sizeof purge_edges[0] };

/* Removes up to `limit` edges of one direction with their counts; others
 * and counted_others are scratch space for `limit` ids each. */
static bool purge_direction(struct store *st, const struct purge_edge *pe, int64_t user_id, bool user_active, int limit,
                            int64_t *others, int64_t *counted_others, int64_t *removed, struct err *e)
{
    PGresult *r = pg_run(st, e, pe->select, "ii", user_id, (int64_t)limit);
    if (!r)
        return false;
    int n = PQntuples(r);
    if (n > limit)
        n = limit;
    size_t nother = 0;
    int64_t counted = 0;
    for (int i = 0; i < n; i++) {
        others[i] = pg_col_int(r, i, 0);
        counted += pg_col_int(r, i, 1) != 0;
        /* the other end counted the edge only while this user is active */
        if (user_active && pg_col_int(r, i, 2) != 0)
            counted_others[nother++] = others[i];
    }
    PQclear(r);
    if (!n)
        return true;
    if (!pg_exec(st, e, pe->delete, "ia", user_id, others, (size_t)n))
        return false;
    if (pe->other_counter && nother && !pg_exec(st, e, pe->other_counter, "a", counted_others, nother))
        return false;
    if (pe->user_counter && counted && !pg_exec(st, e, pe->user_counter, "ii", user_id, counted))
        return false;
    *removed += n;
    return true;
}

bool pg_account_purge_batch(struct store *st, int64_t user_id, int limit, int64_t *removed, struct err *e)
{
    *removed = 0;
    if (limit <= 0)
        return true;
    int64_t active = 0;
    if (pg_int(st, &active, e, "SELECT (status IN ('a', 'b'))::int FROM users WHERE id = $1", "i", user_id) < 0)
        return false;
    int64_t *scratch = malloc(2 * (size_t)limit * sizeof *scratch);
    if (!scratch)
        return err_internal(e);
    bool ok = true;
    for (int k = 0; ok && k < PURGE_EDGE_KINDS && *removed < limit; k++)
        ok = purge_direction(st, &purge_edges[k], user_id, active != 0, limit - (int)*removed, scratch, scratch + limit,
                             removed, e);
    free(scratch);
    return ok;
}
