/* sqlite_oauth.c - OAuth clients and tokens (stored as hashes). */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "store/sqlite_internal.h"

bool store_client_insert(struct store *st, const char *client_id, const char *secret_hash, const char *name,
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
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "insert client");
}

int store_client_get(struct store *st, struct arena *a, const char *client_id, struct oauth_client *out,
                     struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT id, client_id, secret_hash, name FROM oauth_clients WHERE client_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, client_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->client_id = sqlite_col_text(a, q, 1);
        out->secret_hash = sqlite_col_text(a, q, 2);
        out->name = sqlite_col_text(a, q, 3);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite_fail(st, e, "client lookup");
    return -1;
}

bool store_token_insert(struct store *st, const struct oauth_token *t, const char *access_hash,
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
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "insert token");
    *id = sqlite3_last_insert_rowid(st->db);
    return true;
}

static int token_step(struct store *st, sqlite3_stmt *q, struct oauth_token *out, struct err *e)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->user_id = sqlite3_column_int64(q, 1);
        out->client_id = sqlite3_column_int64(q, 2);
        out->access_expires = sqlite3_column_int64(q, 3);
        out->refresh_expires = sqlite3_column_int64(q, 4);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite_fail(st, e, "token lookup");
    return -1;
}

int store_token_by_access(struct store *st, const char *access_hash, struct oauth_token *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                               "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                               "WHERE access_hash = $1",
                               e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, access_hash, -1, SQLITE_TRANSIENT);
    return token_step(st, q, out, e);
}

int store_token_by_refresh(struct store *st, const char *refresh_hash, struct oauth_token *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                               "SELECT id, user_id, client_id, access_expires, refresh_expires FROM oauth_tokens "
                               "WHERE refresh_hash = $1",
                               e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, refresh_hash, -1, SQLITE_TRANSIENT);
    return token_step(st, q, out, e);
}

bool store_token_delete(struct store *st, int64_t id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM oauth_tokens WHERE id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "delete token");
}

bool store_token_delete_user(struct store *st, int64_t user_id, int64_t except_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM oauth_tokens WHERE user_id = $1 AND id <> $2", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, except_id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "delete user tokens");
}


bool store_token_purge_expired(struct store *st, int64_t now, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM oauth_tokens WHERE refresh_expires < $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, now);
    return sqlite_exec_stmt(st, q, e, "purge tokens");
}
