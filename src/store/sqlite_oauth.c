/* sqlite_oauth.c - OAuth clients and tokens (stored as hashes). */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "store/sqlite_internal.h"

bool sqlite_client_insert(struct store *st, const char *client_id, const char *secret_hash, const char *name,
                          struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(
        st, "INSERT INTO oauth_clients (client_id, secret_hash, name, created_at) VALUES ($1, $2, $3, $4)", e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, client_id, -1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 2, secret_hash);
    sqlite3_bind_text(q, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 4, clock_now());
    return sqlite_exec_stmt(st, q, e, "insert client");
}

static void read_client(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct oauth_client *c = out;
    c->id = sqlite3_column_int64(q, 0);
    c->client_id = sqlite_col_text(a, q, 1);
    c->secret_hash = sqlite_col_text(a, q, 2);
    c->name = sqlite_col_text(a, q, 3);
}

int sqlite_client_get(struct store *st, struct arena *a, const char *client_id, struct oauth_client *out, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "SELECT id, client_id, secret_hash, name FROM oauth_clients WHERE client_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, client_id, -1, SQLITE_TRANSIENT);
    return sqlite_get_row(st, q, read_client, a, out, e);
}

bool sqlite_token_insert(struct store *st, const struct oauth_token *t, const char *access_hash,
                         const char *refresh_hash, int64_t *id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT INTO oauth_tokens (user_id, client_id, access_hash, refresh_hash, "
                                  "access_expires, refresh_expires, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, t->user_id);
    sqlite3_bind_int64(q, 2, t->client_id);
    sqlite3_bind_text(q, 3, access_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, refresh_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 5, t->access_expires);
    sqlite3_bind_int64(q, 6, t->refresh_expires);
    sqlite3_bind_int64(q, 7, clock_now());
    if (!sqlite_exec_stmt(st, q, e, "insert token"))
        return false;
    *id = sqlite3_last_insert_rowid(st->lite->db);
    return true;
}

static void read_token(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct oauth_token *t = out;
    (void)a;
    t->id = sqlite3_column_int64(q, 0);
    t->user_id = sqlite3_column_int64(q, 1);
    t->client_id = sqlite3_column_int64(q, 2);
    t->access_expires = sqlite3_column_int64(q, 3);
    t->refresh_expires = sqlite3_column_int64(q, 4);
}

int sqlite_token_by_access(struct store *st, const char *access_hash, struct oauth_token *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                                  "WHERE access_hash = $1",
                                  e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, access_hash, -1, SQLITE_TRANSIENT);
    return sqlite_get_row(st, q, read_token, NULL, out, e);
}

int sqlite_token_by_refresh(struct store *st, const char *refresh_hash, struct oauth_token *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                                  "WHERE refresh_hash = $1",
                                  e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, refresh_hash, -1, SQLITE_TRANSIENT);
    return sqlite_get_row(st, q, read_token, NULL, out, e);
}

bool sqlite_token_delete(struct store *st, int64_t id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM oauth_tokens WHERE id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, id);
    return sqlite_exec_stmt(st, q, e, "delete token");
}

bool sqlite_token_delete_user(struct store *st, int64_t user_id, int64_t except_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM oauth_tokens WHERE user_id = $1 AND id <> $2", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, except_id);
    return sqlite_exec_stmt(st, q, e, "delete user tokens");
}

bool sqlite_token_purge_expired(struct store *st, int64_t now, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM oauth_tokens WHERE refresh_expires < $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, now);
    return sqlite_exec_stmt(st, q, e, "purge tokens");
}
