/* sqlite_ratelimit.c - what several servers would share, on SQLite: one
 * server owns a database file, so the failed-attempt counters stay in the
 * process's memory (auth/ratelimit.c), the secrets in the data directory
 * (auth/jwt_secret.c), and the first start needs no lock. What is left
 * here is the health check's query. */
#include "store/sqlite_internal.h"

bool sqlite_ping(struct store *st, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT 1", e);
    int64_t one = 0;
    return q && sqlite_get_int(st, q, &one, e) == 1 && one == 1;
}

bool sqlite_ratelimit_shared(struct store *st)
{
    (void)st;
    return false;
}

/* Not called on SQLite (sqlite_ratelimit_shared is false): a caller that
 * did is a bug. */
int sqlite_ratelimit_get(struct store *st, const char *key_hex, int64_t live_after, int *count, int64_t *window_start,
                         struct err *e)
{
    (void)st, (void)key_hex, (void)live_after, (void)count, (void)window_start;
    err_internal(e);
    return -1;
}

bool sqlite_ratelimit_fail(struct store *st, const char *key_hex, int64_t now, int64_t live_after, struct err *e)
{
    (void)st, (void)key_hex, (void)now, (void)live_after;
    return err_internal(e);
}

bool sqlite_ratelimit_reset(struct store *st, const char *key_hex, struct err *e)
{
    (void)st, (void)key_hex;
    return err_internal(e);
}

int sqlite_server_secret(struct store *st, const char *name, const char *candidate, char *out, size_t size,
                         struct err *e)
{
    (void)st, (void)name, (void)candidate, (void)out, (void)size, (void)e;
    return 0;
}

bool sqlite_bootstrap_lock(struct store *st, struct err *e)
{
    (void)st, (void)e;
    return true;
}

void sqlite_bootstrap_unlock(struct store *st) { (void)st; }
