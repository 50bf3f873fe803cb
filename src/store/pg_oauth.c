/* pg_oauth.c - OAuth clients and tokens (stored as hashes) on PostgreSQL. */
#include "store/store.h"

#include "core/clock.h"
#include "store/pg_internal.h"

bool pg_client_insert(struct store *st, const char *client_id, const char *secret_hash, const char *name, struct err *e)
{
    return pg_exec(st, e,
                   "INSERT INTO oauth_clients (client_id, secret_hash, name, created_at) VALUES ($1, $2, $3, $4)",
                   "sssi", client_id, secret_hash, name, clock_now());
}

static void read_client(struct arena *a, const PGresult *r, int row, void *out)
{
    struct oauth_client *c = out;
    c->id = pg_col_int(r, row, 0);
    c->client_id = pg_col_text(a, r, row, 1);
    c->secret_hash = pg_col_text(a, r, row, 2);
    c->name = pg_col_text(a, r, row, 3);
}

int pg_client_get(struct store *st, struct arena *a, const char *client_id, struct oauth_client *out, struct err *e)
{
    return pg_row(st, a, read_client, out, e,
                  "SELECT id, client_id, secret_hash, name FROM oauth_clients WHERE client_id = $1", "s", client_id);
}

static void read_id(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    *(int64_t *)out = pg_col_int(r, row, 0);
}

bool pg_token_insert(struct store *st, const struct oauth_token *t, const char *access_hash, const char *refresh_hash,
                     int64_t *id, struct err *e)
{
    int rc = pg_row(st, NULL, read_id, id, e,
                    "INSERT INTO oauth_tokens (user_id, client_id, access_hash, refresh_hash, access_expires, "
                    "refresh_expires, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    "iissiii", t->user_id, t->client_id, access_hash, refresh_hash, t->access_expires,
                    t->refresh_expires, clock_now());
    if (rc == 0) /* an INSERT ... RETURNING always returns its row */
        return err_internal(e);
    return rc > 0;
}

static void read_token(struct arena *a, const PGresult *r, int row, void *out)
{
    struct oauth_token *t = out;
    (void)a;
    t->id = pg_col_int(r, row, 0);
    t->user_id = pg_col_int(r, row, 1);
    t->client_id = pg_col_int(r, row, 2);
    t->access_expires = pg_col_int(r, row, 3);
    t->refresh_expires = pg_col_int(r, row, 4);
}

int pg_token_by_access(struct store *st, const char *access_hash, struct oauth_token *out, struct err *e)
{
    return pg_row(st, NULL, read_token, out, e,
                  "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                  "WHERE access_hash = $1",
                  "s", access_hash);
}

int pg_token_by_refresh(struct store *st, const char *refresh_hash, struct oauth_token *out, struct err *e)
{
    if (st->pg->tx == PG_TX_WRITE)
        /* rotation reads the token in its write transaction, then deletes
         * it: the row lock makes a second use of the same refresh token
         * wait for the first to commit, then find no row (READ COMMITTED
         * re-reads a locked row that changed), so only one use succeeds */
        return pg_row(st, NULL, read_token, out, e,
                      "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                      "WHERE refresh_hash = $1 FOR UPDATE",
                      "s", refresh_hash);
    return pg_row(st, NULL, read_token, out, e,
                  "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                  "WHERE refresh_hash = $1",
                  "s", refresh_hash);
}

bool pg_token_delete(struct store *st, int64_t id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM oauth_tokens WHERE id = $1", "i", id);
}

bool pg_token_delete_user(struct store *st, int64_t user_id, int64_t except_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM oauth_tokens WHERE user_id = $1 AND id <> $2", "ii", user_id, except_id);
}

bool pg_token_purge_expired(struct store *st, int64_t now, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM oauth_tokens WHERE refresh_expires < $1", "i", now);
}
