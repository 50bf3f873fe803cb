/* sqlite_accounts.c - account codes, pending sign-ups, the admin's account
 * lookup and the mail outbox on SQLite (store/account_store.h). */
#include <string.h>

#include "store/account_store.h"
#include "store/sqlite_internal.h"

/* ================================================================ */
/* account codes                                                    */

bool sqlite_code_put(struct store *st, int64_t user_id, const char *purpose, const char *code_hash, int64_t created_us,
                     int64_t expires_us, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM account_codes WHERE user_id = $1 AND purpose = $2", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_text(q, 2, purpose, -1, SQLITE_STATIC);
    if (!sqlite_exec_stmt(st, q, e, "drop earlier codes"))
        return false;
    q = sqlite_stmt(st,
                    "INSERT INTO account_codes (code_hash, purpose, user_id, created_us, expires_us) "
                    "VALUES ($1, $2, $3, $4, $5)",
                    e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, code_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, purpose, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, user_id);
    sqlite3_bind_int64(q, 4, created_us);
    sqlite3_bind_int64(q, 5, expires_us);
    return sqlite_exec_stmt(st, q, e, "put code");
}

static void read_code(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct account_code *c = out;
    c->id = sqlite3_column_int64(q, 0);
    c->user_id = sqlite3_column_int64(q, 1);
    c->purpose = sqlite_col_text(a, q, 2);
    c->expires_us = sqlite3_column_int64(q, 3);
}

int sqlite_code_get(struct store *st, struct arena *a, const char *code_hash, struct account_code *out, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "SELECT id, user_id, purpose, expires_us FROM account_codes WHERE code_hash = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, code_hash, -1, SQLITE_TRANSIENT);
    return sqlite_get_row(st, q, read_code, a, out, e);
}

bool sqlite_code_delete(struct store *st, int64_t id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM account_codes WHERE id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, id);
    return sqlite_exec_stmt(st, q, e, "delete code");
}

bool sqlite_code_delete_user(struct store *st, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM account_codes WHERE user_id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_exec_stmt(st, q, e, "delete user codes");
}

/* ================================================================ */
/* sign-ups                                                         */

bool sqlite_signup_put(struct store *st, int64_t user_id, const char *state, int64_t now_us, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "INSERT OR REPLACE INTO account_signups (user_id, state, created_us) VALUES ($1, $2, $3)", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_text(q, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, now_us);
    return sqlite_exec_stmt(st, q, e, "put signup");
}

static void read_state(struct arena *a, sqlite3_stmt *q, void *out)
{
    (void)a;
    const char *s = (const char *)sqlite3_column_text(q, 0);
    *(const char **)out =
        s && !strcmp(s, STORE_SIGNUP_AWAITING_APPROVAL) ? STORE_SIGNUP_AWAITING_APPROVAL : STORE_SIGNUP_UNVERIFIED;
}

int sqlite_signup_get(struct store *st, int64_t user_id, const char **state, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT state FROM account_signups WHERE user_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_get_row(st, q, read_state, NULL, state, e);
}

bool sqlite_signup_delete(struct store *st, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM account_signups WHERE user_id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_exec_stmt(st, q, e, "delete signup");
}

bool sqlite_signup_set_status(struct store *st, int64_t user_id, enum user_status status, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "UPDATE users SET status = $1 WHERE id = $2 AND status IN ('a', 'b')", e);
    if (!q)
        return false;
    char letter[2] = {(char)status, '\0'};
    sqlite3_bind_text(q, 1, letter, 1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, user_id);
    return sqlite_exec_stmt(st, q, e, "set signup status");
}

/* ================================================================ */
/* the admin's lookup                                               */

static int find_text(struct store *st, struct arena *a, const char *sql, const char *value, struct user *out,
                     struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, value, -1, SQLITE_TRANSIENT);
    return sqlite_get_row(st, q, sqlite_read_user, a, out, e);
}

int sqlite_account_find_username(struct store *st, struct arena *a, const char *username, struct user *out,
                                 struct err *e)
{
    return find_text(st, a, "SELECT " USER_COLUMNS " FROM users WHERE status <> 'u' AND username_fold = fold($1)",
                     username, out, e);
}

int sqlite_account_find_email(struct store *st, struct arena *a, const char *email, struct user *out, struct err *e)
{
    return find_text(st, a,
                     "SELECT " USER_COLUMNS " FROM users WHERE status <> 'u' AND email_fold = fold($1) "
                     "ORDER BY id LIMIT 1",
                     email, out, e);
}

int sqlite_account_find_ext_id(struct store *st, struct arena *a, int64_t ext_id, struct user *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " USER_COLUMNS " FROM users WHERE status <> 'u' AND ext_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, ext_id);
    return sqlite_get_row(st, q, sqlite_read_user, a, out, e);
}

static void read_client(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct oauth_client *c = out;
    c->id = sqlite3_column_int64(q, 0);
    c->client_id = sqlite_col_text(a, q, 1);
    c->secret_hash = NULL;
    c->name = sqlite_col_text(a, q, 2);
}

int sqlite_client_first_public(struct store *st, struct arena *a, struct oauth_client *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(
        st, "SELECT id, client_id, name FROM oauth_clients WHERE secret_hash IS NULL ORDER BY id LIMIT 1", e);
    if (!q)
        return -1;
    return sqlite_get_row(st, q, read_client, a, out, e);
}

/* ================================================================ */
/* mail outbox                                                      */

bool sqlite_mail_enqueue(struct store *st, const char *kind, const char *recipient, const char *params, int64_t now_us,
                         struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT INTO mail_outbox (kind, recipient, params, next_attempt_us, created_us) "
                                  "VALUES ($1, $2, $3, $4, $4)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, recipient, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, params, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 4, now_us);
    return sqlite_exec_stmt(st, q, e, "enqueue mail");
}

static void read_mail(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct mail_row *m = out;
    m->id = sqlite3_column_int64(q, 0);
    m->kind = sqlite_col_text(a, q, 1);
    m->recipient = sqlite_col_text(a, q, 2);
    m->params = sqlite_col_text(a, q, 3);
    m->attempts = sqlite3_column_int(q, 4);
}

int sqlite_mail_due(struct store *st, int64_t now_us, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT 1 FROM mail_outbox WHERE state = 'pending' AND next_attempt_us <= $1 AND "
                                  "claimed_until_us <= $1 LIMIT 1",
                                  e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, now_us);
    return sqlite_exists(st, q, e);
}

int sqlite_mail_claim(struct store *st, struct arena *a, int64_t now_us, int64_t lease_us, struct mail_row *out,
                      struct err *e)
{
    /* SQLite has one writer: the UPDATE's own write lock serialises
     * claimers. PostgreSQL: "... WHERE id = (SELECT id FROM mail_outbox
     * WHERE ... ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING ...". */
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE mail_outbox SET claimed_until_us = $1 + $2, attempts = attempts + 1 "
                                  "WHERE id = (SELECT id FROM mail_outbox WHERE state = 'pending' AND "
                                  "next_attempt_us <= $1 AND claimed_until_us <= $1 ORDER BY id LIMIT 1) "
                                  "RETURNING id, kind, recipient, params, attempts",
                                  e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, now_us);
    sqlite3_bind_int64(q, 2, lease_us);
    return sqlite_get_row(st, q, read_mail, a, out, e);
}

bool sqlite_mail_sent(struct store *st, int64_t id, int64_t now_us, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE mail_outbox SET state = 'sent', sent_us = $2, params = '{}', "
                                  "claimed_until_us = 0, last_error = NULL WHERE id = $1",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, now_us);
    return sqlite_exec_stmt(st, q, e, "mail sent");
}

bool sqlite_mail_retry(struct store *st, int64_t id, int64_t next_attempt_us, bool give_up, const char *error,
                       struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE mail_outbox SET state = CASE WHEN $3 THEN 'failed' ELSE 'pending' END, "
                                  "params = CASE WHEN $3 THEN '{}' ELSE params END, next_attempt_us = $2, "
                                  "claimed_until_us = 0, last_error = $4 WHERE id = $1",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, next_attempt_us);
    sqlite3_bind_int(q, 3, give_up);
    sqlite_bind_text_or_null(q, 4, error);
    return sqlite_exec_stmt(st, q, e, "mail retry");
}

bool sqlite_mail_prune(struct store *st, int64_t before_us, int64_t *removed, struct err *e)
{
    *removed = 0;
    sqlite3_stmt *q =
        sqlite_stmt(st, "DELETE FROM mail_outbox WHERE state IN ('sent', 'failed') AND created_us < $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, before_us);
    if (!sqlite_exec_stmt(st, q, e, "mail prune"))
        return false;
    *removed = sqlite3_changes(st->lite->db);
    return true;
}
