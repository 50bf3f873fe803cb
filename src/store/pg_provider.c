/* pg_provider.c - users' accounts at external sign-in providers on
 * PostgreSQL (user_providers, 003_accounts; the SQLite twin is
 * sqlite_provider.c). */
#include "core/clock.h"
#include "model/provider.h"
#include "store/pg_internal.h"

static void provider_from_row(struct arena *a, const PGresult *r, int row, struct provider_assoc *p)
{
    p->user_id = pg_col_int(r, row, 0);
    p->provider = pg_col_text(a, r, row, 1);
    p->ext_id = pg_col_text(a, r, row, 2);
    p->profile_url = pg_col_text(a, r, row, 3);
    p->show_in_profile = pg_col_int(r, row, 4) != 0;
    p->metadata = pg_col_text(a, r, row, 5);
}

bool pg_provider_list(struct store *st, struct arena *a, int64_t user_id, int max, struct provider_assoc **out, int *n,
                      struct err *e)
{
    *out = NULL;
    *n = 0;
    PGresult *r = pg_run(st, e,
                         "SELECT user_id, provider, ext_id, profile_url, show_in_profile, metadata "
                         "FROM user_providers WHERE user_id = $1 ORDER BY id LIMIT $2",
                         "ii", user_id, (int64_t)(max > 0 ? max : 0));
    if (!r)
        return false;
    struct provider_assoc *v = arena_alloc(a, sizeof *v * (size_t)(max > 0 ? max : 1));
    int rows = PQntuples(r);
    for (int i = 0; i < rows && *n < max; i++)
        provider_from_row(a, r, i, &v[(*n)++]);
    PQclear(r);
    *out = v;
    return true;
}

bool pg_provider_insert(struct store *st, const struct provider_assoc *p, struct err *e)
{
    /* the two unique rules, told apart for the error; the caller holds the
     * user's lock (store_lock_users), so the first check stays true until
     * the insert, and a violation is another user's (provider, ext_id) */
    int has = pg_exists(st, e, "SELECT 1 FROM user_providers WHERE user_id = $1 AND provider = $2", "is", p->user_id,
                        p->provider);
    if (has < 0)
        return false;
    if (has)
        return err_field(e, "provider", "unique", "This user already has an account of this provider associated.");
    int rc = pg_exec_unique(st, e,
                            "INSERT INTO user_providers (user_id, provider, ext_id, profile_url, show_in_profile, "
                            "metadata, created_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                            "isssisi", p->user_id, p->provider, p->ext_id, p->profile_url,
                            (int64_t)(p->show_in_profile ? 1 : 0), p->metadata ? p->metadata : "{}", clock_now_us());
    if (rc == 0)
        return err_field(e, "ext_id", "unique", "This account of this provider is already associated with a user.");
    return rc > 0;
}

int pg_provider_delete(struct store *st, int64_t user_id, const char *provider, const char *ext_id, struct err *e)
{
    int64_t n = pg_changes(st, e, "DELETE FROM user_providers WHERE user_id = $1 AND provider = $2 AND ext_id = $3",
                           "iss", user_id, provider, ext_id);
    return n < 0 ? -1 : n > 0 ? 1 : 0;
}
