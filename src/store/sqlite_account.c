/* sqlite_account.c - account lifecycle in SQLite: profile writes, soft and
 * hard delete, email and password changes, pending email changes and
 * notification settings (rules in src/domain/account.c). */
#include "store/store.h"

#include <sqlite3.h>
#include <string.h>

#include "store/portable_sql.h"
#include "store/sqlite_internal.h"

/* SQLite numbers `$N` parameters in order of first appearance, not by N:
 * every statement here mentions $1, $2, ... in that order. */

/* ================================================================ */
/* profile                                                          */

static void bind_latlng(sqlite3_stmt *q, int i, bool has, double lat, double lng)
{
    if (has) {
        sqlite3_bind_double(q, i, lat);
        sqlite3_bind_double(q, i + 1, lng);
    } else {
        sqlite3_bind_null(q, i);
        sqlite3_bind_null(q, i + 1);
    }
}

bool sqlite_account_profile_write(struct store *st, const struct user *u, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE users SET real_name = $1, real_name_fold = fold($1), bio = $2, "
                                  "location = $3, location_lat = $4, location_lng = $5, position_lat = $6, "
                                  "position_lng = $7, date_of_birth = $8, description = $9, gender = $10, "
                                  "website = $11, avatar = $12, cover = $13 WHERE id = $14",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, u->real_name ? u->real_name : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, u->bio ? u->bio : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, u->location ? u->location : "", -1, SQLITE_TRANSIENT);
    bind_latlng(q, 4, u->has_location_ll, u->location_lat, u->location_lng);
    bind_latlng(q, 6, u->has_position_ll, u->position_lat, u->position_lng);
    sqlite_bind_text_or_null(q, 8, u->date_of_birth);
    sqlite3_bind_text(q, 9, u->description ? u->description : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 10, u->gender ? u->gender : "Unspecified", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 11, u->website ? u->website : "", -1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 12, u->avatar);
    sqlite_bind_text_or_null(q, 13, u->cover);
    sqlite3_bind_int64(q, 14, u->id);
    return sqlite_exec_stmt(st, q, e, "write profile");
}

/* ================================================================ */
/* delete                                                           */

bool sqlite_account_related_users(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, size_t *n,
                                  struct err *e)
{
    /* UNION removes duplicates (a user both following and connected) */
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT followed_id FROM follows WHERE follower_id = $1 "
                                  "UNION SELECT follower_id FROM follows WHERE followed_id = $1 "
                                  "UNION SELECT other_id FROM connections WHERE user_id = $1 "
                                  "UNION SELECT user_id FROM connections WHERE other_id = $1 "
                                  "UNION SELECT to_user_id FROM connection_requests WHERE from_user_id = $1 "
                                  "UNION SELECT from_user_id FROM connection_requests WHERE to_user_id = $1",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    size_t cap = 16, count = 0;
    int64_t *list = arena_alloc(a, cap * sizeof *list);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        if (id == user_id)
            continue; /* a self-edge would not be "another user" */
        if (count == cap) {
            int64_t *bigger = arena_alloc(a, 2 * cap * sizeof *bigger);
            memcpy(bigger, list, cap * sizeof *list);
            list = bigger;
            cap *= 2;
        }
        list[count++] = id;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "related users");
    *ids = list;
    *n = count;
    return true;
}

/* Runs a cached statement whose only parameter is the user id. */
static bool exec_for_user(struct store *st, const char *sql, int64_t user_id, struct err *e, const char *what)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_exec_stmt(st, q, e, what);
}

bool sqlite_account_soft_delete(struct store *st, int64_t user_id, int64_t now, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(
        st, "UPDATE users SET status = 'd', tokens_valid_after = max(tokens_valid_after, $1) WHERE id = $2", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, now);
    sqlite3_bind_int64(q, 2, user_id);
    return sqlite_exec_stmt(st, q, e, "soft delete") &&
           exec_for_user(st, "DELETE FROM oauth_tokens WHERE user_id = $1", user_id, e, "soft delete tokens") &&
           exec_for_user(st, "DELETE FROM email_changes WHERE user_id = $1", user_id, e, "soft delete email change");
}

bool sqlite_account_hard_delete(struct store *st, int64_t user_id, int64_t now, struct err *e)
{
    /* every table of 001/002 that names a user (portable_sql.h) */
    static const char *const deletes[] = {USER_ROW_DELETES};
    for (size_t i = 0; i < sizeof deletes / sizeof deletes[0]; i++)
        if (!exec_for_user(st, deletes[i], user_id, e, "hard delete"))
            return false;
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE users SET status = 'u', email = NULL, email_fold = NULL, "
                                  "email_isvalid = 0, password_hash = NULL, real_name = '', real_name_fold = '', "
                                  "bio = '', location = '', location_lat = NULL, location_lng = NULL, "
                                  "position_lat = NULL, position_lng = NULL, date_of_birth = NULL, "
                                  "description = '', gender = 'Unspecified', website = '', avatar = NULL, "
                                  "cover = NULL, ext_id = NULL, reputation = 0, role = NULL, "
                                  "tokens_valid_after = max(tokens_valid_after, $1), followers_counter = 0, "
                                  "followings_counter = 0, connections_counter = 0, "
                                  "connection_requests_sent_counter = 0, connection_requests_received_counter = 0, "
                                  "posts_counter = 0, discussions_counter = 0, categories_counter = 0 "
                                  "WHERE id = $2",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, now);
    sqlite3_bind_int64(q, 2, user_id);
    return sqlite_exec_stmt(st, q, e, "hard delete tombstone");
}

/* ================================================================ */
/* email and password                                               */

bool sqlite_account_set_email(struct store *st, int64_t user_id, const char *email, bool valid, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "UPDATE users SET email = $1, email_fold = fold($1), email_isvalid = $2 WHERE id = $3", e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 2, valid ? 1 : 0);
    sqlite3_bind_int64(q, 3, user_id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT) /* the partial unique index on email_fold */
        return err_field(e, "new_email", "unique", "A user with that email already exists.");
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "set email");
}

bool sqlite_account_set_password(struct store *st, int64_t user_id, const char *hash, int64_t valid_after,
                                 struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "UPDATE users SET password_hash = $1, tokens_valid_after = $2 WHERE id = $3", e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, valid_after);
    sqlite3_bind_int64(q, 3, user_id);
    return sqlite_exec_stmt(st, q, e, "set password");
}

static void read_email_change(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct email_change *c = out;
    c->new_email = sqlite_col_text(a, q, 0);
    c->code_hash = sqlite_col_text(a, q, 1);
    c->expires_us = sqlite3_column_int64(q, 2);
    c->attempts = sqlite3_column_int(q, 3);
}

int sqlite_email_change_get(struct store *st, struct arena *a, int64_t user_id, struct email_change *out, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "SELECT new_email, code_hash, expires_us, attempts FROM email_changes WHERE user_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_get_row(st, q, read_email_change, a, out, e);
}

bool sqlite_email_change_put(struct store *st, int64_t user_id, const struct email_change *c, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT OR REPLACE INTO email_changes (user_id, new_email, code_hash, expires_us, "
                                  "attempts) VALUES ($1, $2, $3, $4, 0)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_text(q, 2, c->new_email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, c->code_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 4, c->expires_us);
    return sqlite_exec_stmt(st, q, e, "put email change");
}

bool sqlite_email_change_count_attempt(struct store *st, int64_t user_id, struct err *e)
{
    return exec_for_user(st, "UPDATE email_changes SET attempts = attempts + 1 WHERE user_id = $1", user_id, e,
                         "count email change attempt");
}

bool sqlite_email_change_delete(struct store *st, int64_t user_id, struct err *e)
{
    return exec_for_user(st, "DELETE FROM email_changes WHERE user_id = $1", user_id, e, "delete email change");
}

/* ================================================================ */
/* settings                                                         */

static void read_settings(struct arena *a, sqlite3_stmt *q, void *out)
{
    (void)a;
    for (int i = 0; i < STORE_SETTINGS_COUNT; i++)
        ((int *)out)[i] = sqlite3_column_int(q, i);
}

int sqlite_settings_get(struct store *st, int64_t user_id, int out[STORE_SETTINGS_COUNT], struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT qa_frequency, email_notification_not_qa, interests_frequency, "
                                  "engagement_frequency, mobile_notifications_scmty, toast_notifications_emit_sound, "
                                  "show_toast_notifications FROM user_settings WHERE user_id = $1",
                                  e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_get_row(st, q, read_settings, NULL, out, e);
}

bool sqlite_settings_put(struct store *st, int64_t user_id, const int values[STORE_SETTINGS_COUNT], struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT OR REPLACE INTO user_settings (user_id, qa_frequency, "
                                  "email_notification_not_qa, interests_frequency, engagement_frequency, "
                                  "mobile_notifications_scmty, toast_notifications_emit_sound, "
                                  "show_toast_notifications) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    for (int i = 0; i < STORE_SETTINGS_COUNT; i++)
        sqlite3_bind_int(q, 2 + i, values[i]);
    return sqlite_exec_stmt(st, q, e, "put settings");
}
