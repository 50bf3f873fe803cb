/* sqlite_provider.c - users' accounts at external sign-in providers
 * (user_providers, migration 011). */
#include "store/store.h"

#include <sqlite3.h>
#include <string.h>

#include "core/clock.h"
#include "model/provider.h"
#include "store/sqlite_internal.h"

static void provider_from_row(struct arena *a, sqlite3_stmt *q, struct provider_assoc *p)
{
    p->user_id = sqlite3_column_int64(q, 0);
    p->provider = sqlite_col_text(a, q, 1);
    p->ext_id = sqlite_col_text(a, q, 2);
    p->profile_url = sqlite_col_text(a, q, 3);
    p->show_in_profile = sqlite3_column_int(q, 4) != 0;
    p->metadata = sqlite_col_text(a, q, 5);
}

bool sqlite_provider_list(struct store *st, struct arena *a, int64_t user_id, int max, struct provider_assoc **out,
                          int *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT user_id, provider, ext_id, profile_url, show_in_profile, metadata "
                                  "FROM user_providers WHERE user_id = $1 ORDER BY id LIMIT $2",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int(q, 2, max);
    struct provider_assoc *v = arena_alloc(a, sizeof *v * (size_t)(max > 0 ? max : 1));
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
        provider_from_row(a, q, &v[(*n)++]);
    if (rc == SQLITE_ROW) /* stopped at max */
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "list providers");
    *out = v;
    return true;
}

bool sqlite_provider_insert(struct store *st, const struct provider_assoc *p, struct err *e)
{
    /* the two UNIQUE rules, told apart for the error; the caller's write
     * transaction keeps the check true until the insert */
    sqlite3_stmt *c = sqlite_stmt(st, "SELECT 1 FROM user_providers WHERE user_id = $1 AND provider = $2", e);
    if (!c)
        return false;
    sqlite3_bind_int64(c, 1, p->user_id);
    sqlite3_bind_text(c, 2, p->provider, -1, SQLITE_TRANSIENT);
    int has = sqlite_exists(st, c, e);
    if (has < 0)
        return false;
    if (has)
        return err_field(e, "provider", "unique", "This user already has an account of this provider associated.");
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT INTO user_providers (user_id, provider, ext_id, profile_url, "
                                  "show_in_profile, metadata, created_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, p->user_id);
    sqlite3_bind_text(q, 2, p->provider, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, p->ext_id, -1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 4, p->profile_url);
    sqlite3_bind_int(q, 5, p->show_in_profile);
    sqlite3_bind_text(q, 6, p->metadata ? p->metadata : "{}", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 7, clock_now_us());
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return err_field(e, "ext_id", "unique", "This account of this provider is already associated with a user.");
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "insert provider");
}

int sqlite_provider_delete(struct store *st, int64_t user_id, const char *provider, const char *ext_id, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "DELETE FROM user_providers WHERE user_id = $1 AND provider = $2 AND ext_id = $3", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_text(q, 2, provider, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, ext_id, -1, SQLITE_TRANSIENT);
    if (!sqlite_exec_stmt(st, q, e, "delete provider"))
        return -1;
    return sqlite3_changes(st->lite->db) > 0 ? 1 : 0;
}
