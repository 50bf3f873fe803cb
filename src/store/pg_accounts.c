/* pg_accounts.c - account codes, pending sign-ups, the admin's account
 * lookup and the mail outbox on PostgreSQL (store/account_store.h; the
 * SQLite twin is sqlite_accounts.c). */
#include <string.h>

#include "core/text.h"
#include "store/pg_internal.h"

/* ================================================================ */
/* account codes                                                    */

bool pg_code_put(struct store *st, int64_t user_id, const char *purpose, const char *code_hash, int64_t created_us,
                 int64_t expires_us, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM account_codes WHERE user_id = $1 AND purpose = $2", "is", user_id, purpose) &&
           pg_exec(st, e,
                   "INSERT INTO account_codes (code_hash, purpose, user_id, created_us, expires_us) "
                   "VALUES ($1, $2, $3, $4, $5)",
                   "ssiii", code_hash, purpose, user_id, created_us, expires_us);
}

static void read_code(struct arena *a, const PGresult *r, int row, void *out)
{
    struct account_code *c = out;
    c->id = pg_col_int(r, row, 0);
    c->user_id = pg_col_int(r, row, 1);
    c->purpose = pg_col_text(a, r, row, 2);
    c->expires_us = pg_col_int(r, row, 3);
}

int pg_code_get(struct store *st, struct arena *a, const char *code_hash, struct account_code *out, struct err *e)
{
    return pg_row(st, a, read_code, out, e,
                  "SELECT id, user_id, purpose, expires_us FROM account_codes WHERE code_hash = $1", "s", code_hash);
}

bool pg_code_delete(struct store *st, int64_t id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM account_codes WHERE id = $1", "i", id);
}

bool pg_code_delete_user(struct store *st, int64_t user_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM account_codes WHERE user_id = $1", "i", user_id);
}

/* ================================================================ */
/* sign-ups                                                         */

bool pg_signup_put(struct store *st, int64_t user_id, const char *state, int64_t now_us, struct err *e)
{
    return pg_exec(st, e,
                   "INSERT INTO account_signups (user_id, state, created_us) VALUES ($1, $2, $3) "
                   "ON CONFLICT (user_id) DO UPDATE SET state = EXCLUDED.state, created_us = EXCLUDED.created_us",
                   "isi", user_id, state, now_us);
}

static void read_state(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    const char *s = PQgetisnull(r, row, 0) ? NULL : PQgetvalue(r, row, 0);
    *(const char **)out =
        s && !strcmp(s, STORE_SIGNUP_AWAITING_APPROVAL) ? STORE_SIGNUP_AWAITING_APPROVAL : STORE_SIGNUP_UNVERIFIED;
}

int pg_signup_get(struct store *st, int64_t user_id, const char **state, struct err *e)
{
    return pg_row(st, NULL, read_state, state, e, "SELECT state FROM account_signups WHERE user_id = $1", "i", user_id);
}

bool pg_signup_delete(struct store *st, int64_t user_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM account_signups WHERE user_id = $1", "i", user_id);
}

bool pg_signup_set_status(struct store *st, int64_t user_id, enum user_status status, struct err *e)
{
    char letter[2] = {(char)status, '\0'};
    return pg_exec(st, e, "UPDATE users SET status = $1 WHERE id = $2 AND status IN ('a', 'b')", "si", letter, user_id);
}

/* ================================================================ */
/* the admin's lookup                                               */

int pg_account_find_username(struct store *st, struct arena *a, const char *username, struct user *out, struct err *e)
{
    return pg_row(st, a, pg_read_user, out, e,
                  "SELECT " PG_USER_COLUMNS " FROM users WHERE status <> 'u' AND username_fold = $1", "s",
                  text_fold(a, username));
}

int pg_account_find_email(struct store *st, struct arena *a, const char *email, struct user *out, struct err *e)
{
    return pg_row(st, a, pg_read_user, out, e,
                  "SELECT " PG_USER_COLUMNS " FROM users WHERE status <> 'u' AND email_fold = $1 "
                  "ORDER BY id LIMIT 1",
                  "s", text_fold(a, email));
}

int pg_account_find_ext_id(struct store *st, struct arena *a, int64_t ext_id, struct user *out, struct err *e)
{
    return pg_row(st, a, pg_read_user, out, e,
                  "SELECT " PG_USER_COLUMNS " FROM users WHERE status <> 'u' AND ext_id = $1", "i", ext_id);
}

static void read_client(struct arena *a, const PGresult *r, int row, void *out)
{
    struct oauth_client *c = out;
    c->id = pg_col_int(r, row, 0);
    c->client_id = pg_col_text(a, r, row, 1);
    c->secret_hash = NULL;
    c->name = pg_col_text(a, r, row, 2);
}

int pg_client_first_public(struct store *st, struct arena *a, struct oauth_client *out, struct err *e)
{
    return pg_row(st, a, read_client, out, e,
                  "SELECT id, client_id, name FROM oauth_clients WHERE secret_hash IS NULL ORDER BY id LIMIT 1", "");
}

/* ================================================================ */
/* mail outbox                                                      */

bool pg_mail_enqueue(struct store *st, const char *kind, const char *recipient, const char *params, int64_t now_us,
                     struct err *e)
{
    return pg_exec(st, e,
                   "INSERT INTO mail_outbox (kind, recipient, params, next_attempt_us, created_us) "
                   "VALUES ($1, $2, $3, $4, $4)",
                   "sssi", kind, recipient, params, now_us);
}

static void read_mail(struct arena *a, const PGresult *r, int row, void *out)
{
    struct mail_row *m = out;
    m->id = pg_col_int(r, row, 0);
    m->kind = pg_col_text(a, r, row, 1);
    m->recipient = pg_col_text(a, r, row, 2);
    m->params = pg_col_text(a, r, row, 3);
    m->attempts = (int)pg_col_int(r, row, 4);
}

int pg_mail_due(struct store *st, int64_t now_us, struct err *e)
{
    return pg_exists(st, e,
                     "SELECT 1 FROM mail_outbox WHERE state = 'pending' AND next_attempt_us <= $1 AND "
                     "claimed_until_us <= $1 LIMIT 1",
                     "i", now_us);
}

int pg_mail_claim(struct store *st, struct arena *a, int64_t now_us, int64_t lease_us, struct mail_row *out,
                  struct err *e)
{
    /* several servers may claim at once: a row another claimer holds is
     * skipped, and one it claimed and committed meanwhile fails the re-check
     * of the WHERE under the row lock, so each row goes to one claimer */
    return pg_row(st, a, read_mail, out, e,
                  "UPDATE mail_outbox SET claimed_until_us = $1 + $2, attempts = attempts + 1 "
                  "WHERE id = (SELECT id FROM mail_outbox WHERE state = 'pending' AND "
                  "next_attempt_us <= $1 AND claimed_until_us <= $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                  "RETURNING id, kind, recipient, params, attempts",
                  "ii", now_us, lease_us);
}

bool pg_mail_sent(struct store *st, int64_t id, int64_t now_us, struct err *e)
{
    return pg_exec(st, e,
                   "UPDATE mail_outbox SET state = 'sent', sent_us = $2, params = '{}', "
                   "claimed_until_us = 0, last_error = NULL WHERE id = $1",
                   "ii", id, now_us);
}

bool pg_mail_retry(struct store *st, int64_t id, int64_t next_attempt_us, bool give_up, const char *error,
                   struct err *e)
{
    return pg_exec(st, e,
                   "UPDATE mail_outbox SET state = CASE WHEN $3 <> 0 THEN 'failed' ELSE 'pending' END, "
                   "params = CASE WHEN $3 <> 0 THEN '{}' ELSE params END, next_attempt_us = $2, "
                   "claimed_until_us = 0, last_error = $4 WHERE id = $1",
                   "iiis", id, next_attempt_us, (int64_t)(give_up ? 1 : 0), error);
}

bool pg_mail_prune(struct store *st, int64_t before_us, int64_t *removed, struct err *e)
{
    *removed = 0;
    int64_t n = pg_changes(st, e, "DELETE FROM mail_outbox WHERE state IN ('sent', 'failed') AND created_us < $1", "i",
                           before_us);
    if (n < 0)
        return false;
    *removed = n;
    return true;
}
