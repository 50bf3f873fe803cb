/* pg_ratelimit.c - what several servers on one PostgreSQL database share
 * beyond the data: the health check's query, the failed-attempt counters
 * of auth/ratelimit.h (the UNLOGGED table auth_failures: a crash empties
 * it, which only forgives a few failures of a 15-minute window), server
 * secrets (server_secrets: the JWT secret when none is configured, the
 * counters' hash key), and the lock around the first-start bootstrap.
 * Tables: sql/postgres/005_shared.sql. */
#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "store/pg_internal.h"

/* The advisory lock the first-start bootstrap is made under: "hearth.b"
 * as a big-endian integer (the migrations hold "hearth.m"). */
#define PG_BOOTSTRAP_LOCK 0x6865617274682e62LL

enum {
    /* one failure in this many also deletes the expired counters: the
     * table stays about as large as the failures of one window */
    PG_RATELIMIT_PURGE_EVERY = 64,
};

bool pg_ping(struct store *st, struct err *e)
{
    int64_t one = 0;
    return pg_int(st, &one, e, "SELECT 1", "") == 1 && one == 1;
}

bool pg_ratelimit_shared(struct store *st)
{
    (void)st;
    return true;
}

int pg_ratelimit_get(struct store *st, const char *key_hex, int64_t live_after, int *count, int64_t *window_start,
                     struct err *e)
{
    PGresult *r = pg_run(st, e,
                         "SELECT count, window_start FROM auth_failures WHERE key_hash = decode($1, 'hex') "
                         "AND window_start > $2",
                         "si", key_hex, live_after);
    if (!r)
        return -1;
    int found = PQntuples(r) > 0;
    if (found) {
        *count = (int)pg_col_int(r, 0, 0);
        *window_start = pg_col_int(r, 0, 1);
    }
    PQclear(r);
    return found;
}

bool pg_ratelimit_fail(struct store *st, const char *key_hex, int64_t now, int64_t live_after, struct err *e)
{
    /* one statement: servers counting the same key at once queue on its
     * row, and none of their failures is lost */
    if (!pg_exec(st, e,
                 "INSERT INTO auth_failures (key_hash, window_start, count) VALUES (decode($1, 'hex'), $2, 1) "
                 "ON CONFLICT (key_hash) DO UPDATE SET "
                 "count = CASE WHEN auth_failures.window_start <= $3 THEN 1 ELSE auth_failures.count + 1 END, "
                 "window_start = CASE WHEN auth_failures.window_start <= $3 THEN $2 "
                 "ELSE auth_failures.window_start END",
                 "sii", key_hex, now, live_after))
        return false;
    if (randombytes_uniform(PG_RATELIMIT_PURGE_EVERY) == 0) {
        struct err ignored = {0}; /* the next purge tries again */
        pg_exec(st, &ignored, "DELETE FROM auth_failures WHERE window_start <= $1", "i", live_after);
    }
    return true;
}

bool pg_ratelimit_reset(struct store *st, const char *key_hex, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM auth_failures WHERE key_hash = decode($1, 'hex')", "s", key_hex);
}

/* The secret stored under name: 1 copied to out, 0 none yet, -1 error. */
static int read_secret(struct store *st, const char *name, char *out, size_t size, struct err *e)
{
    PGresult *r = pg_run(st, e, "SELECT value FROM server_secrets WHERE name = $1", "s", name);
    if (!r)
        return -1;
    const char *value = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : NULL;
    int found = value ? 1 : 0;
    if (value && strlen(value) < size)
        strcpy(out, value);
    else if (value)
        found = -1;
    PQclear(r);
    if (found < 0)
        err_internal(e);
    return found;
}

int pg_server_secret(struct store *st, const char *name, const char *candidate, char *out, size_t size, struct err *e)
{
    /* read first, so a start writes nothing once the secret exists (a
     * database whose disk is full still starts); otherwise the first
     * server to insert wins and every server then reads the winner */
    int found = read_secret(st, name, out, size, e);
    if (found != 0)
        return found;
    if (!pg_exec(st, e,
                 "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) "
                 "ON CONFLICT (name) DO NOTHING",
                 "ssi", name, candidate, clock_now()))
        return -1;
    found = read_secret(st, name, out, size, e);
    if (found == 0)
        err_internal(e);
    return found == 1 ? 1 : -1;
}

bool pg_bootstrap_lock(struct store *st, struct err *e)
{
    store_rollback(st);
    PGresult *r = pg_run(st, e, "SELECT pg_advisory_lock($1)", "i", (int64_t)PG_BOOTSTRAP_LOCK);
    PQclear(r);
    return r != NULL;
}

void pg_bootstrap_unlock(struct store *st)
{
    struct err ignored = {0}; /* the lock ends with the session anyway */
    PGresult *r = pg_run(st, &ignored, "SELECT pg_advisory_unlock($1)", "i", (int64_t)PG_BOOTSTRAP_LOCK);
    PQclear(r);
}
