/* pg_account.c - account lifecycle in PostgreSQL: profile writes, soft and
 * hard delete, email and password changes, pending email changes and
 * notification settings (rules in src/domain/account.c; the SQLite twin is
 * sqlite_account.c). The callers lock the user (store_lock_users) before
 * the reads these writes depend on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/portable_sql.h"

/* SQL's fold() of SQLite, in C: NULL stays NULL, a string that is not
 * valid UTF-8 folds to "". The result is malloc'd (free it). *oom is set
 * when memory ran out. */
static char *fold_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *f = text_fold_malloc(s, strlen(s));
    if (!f)
        f = calloc(1, 1);
    if (!f)
        *oom = true;
    return f;
}

/* ================================================================ */
/* profile                                                          */

/* The username's elements of search_words (pg_search.h), in order. */
#define USERNAME_WORDS                                                                             \
    "ARRAY(SELECT w FROM unnest(search_words) WITH ORDINALITY AS x (w, n) WHERE left(w, 1) = '1' " \
    "ORDER BY n)"

bool pg_account_profile_write(struct store *st, const struct user *u, struct err *e)
{
    const char *real_name = u->real_name ? u->real_name : "";
    const char *location = u->location ? u->location : "";
    const char *description = u->description ? u->description : "";
    /* the *_fold columns SQLite's triggers and fold() fill */
    bool oom = false;
    char *real_name_fold = fold_or_null(real_name, &oom), *location_fold = fold_or_null(location, &oom),
         *description_fold = fold_or_null(description, &oom);
    /* search_words: the username's words kept (they lead, field 1), the
     * others recomputed */
    char *words = oom ? NULL : pg_search_words_dup(NULL, real_name_fold, location_fold, description_fold);
    /* coordinates in pairs: NULL unless set; "%.17g" reads back exactly */
    const char *ll[4] = {NULL, NULL, NULL, NULL};
    char b[4][32];
    if (u->has_location_ll) {
        snprintf(b[0], sizeof b[0], "%.17g", u->location_lat);
        snprintf(b[1], sizeof b[1], "%.17g", u->location_lng);
        ll[0] = b[0], ll[1] = b[1];
    }
    if (u->has_position_ll) {
        snprintf(b[2], sizeof b[2], "%.17g", u->position_lat);
        snprintf(b[3], sizeof b[3], "%.17g", u->position_lng);
        ll[2] = b[2], ll[3] = b[3];
    }
    bool ok = !oom ? pg_exec(st, e,
                             "UPDATE users SET real_name = $1, real_name_fold = $2, bio = $3, location = $4, "
                             "location_fold = $5, location_lat = $6::double precision, "
                             "location_lng = $7::double precision, position_lat = $8::double precision, "
                             "position_lng = $9::double precision, date_of_birth = $10, description = $11, "
                             "description_fold = $12, gender = $13, website = $14, avatar = $15, cover = $16, "
                             "search_words = " USERNAME_WORDS " || $18::text[] WHERE id = $17",
                             "ssssssssssssssssis", real_name, real_name_fold, u->bio ? u->bio : "", location,
                             location_fold, ll[0], ll[1], ll[2], ll[3], u->date_of_birth, description, description_fold,
                             u->gender ? u->gender : "Unspecified", u->website ? u->website : "", u->avatar, u->cover,
                             u->id, words)
                   : err_internal(e);
    free(words);
    free(real_name_fold);
    free(location_fold);
    free(description_fold);
    return ok;
}

/* ================================================================ */
/* delete                                                           */

bool pg_account_related_users(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, size_t *n,
                              struct err *e)
{
    /* UNION removes duplicates (a user both following and connected); in
     * id order, the order store_lock_users takes them in */
    PGresult *r = pg_run(st, e,
                         "SELECT followed_id FROM follows WHERE follower_id = $1 "
                         "UNION SELECT follower_id FROM follows WHERE followed_id = $1 "
                         "UNION SELECT other_id FROM connections WHERE user_id = $1 "
                         "UNION SELECT user_id FROM connections WHERE other_id = $1 "
                         "UNION SELECT to_user_id FROM connection_requests WHERE from_user_id = $1 "
                         "UNION SELECT from_user_id FROM connection_requests WHERE to_user_id = $1 "
                         "ORDER BY 1",
                         "i", user_id);
    if (!r)
        return false;
    int rows = PQntuples(r);
    int64_t *list = arena_alloc(a, (size_t)(rows > 0 ? rows : 1) * sizeof *list);
    size_t count = 0;
    for (int i = 0; i < rows; i++) {
        int64_t id = pg_col_int(r, i, 0);
        if (id != user_id) /* a self-edge would not be "another user" */
            list[count++] = id;
    }
    PQclear(r);
    *ids = list;
    *n = count;
    return true;
}

bool pg_account_soft_delete(struct store *st, int64_t user_id, int64_t now, struct err *e)
{
    return pg_exec(st, e,
                   "UPDATE users SET status = 'd', tokens_valid_after = GREATEST(tokens_valid_after, $1) "
                   "WHERE id = $2",
                   "ii", now, user_id) &&
           pg_exec(st, e, "DELETE FROM oauth_tokens WHERE user_id = $1", "i", user_id) &&
           pg_exec(st, e, "DELETE FROM email_changes WHERE user_id = $1", "i", user_id);
}

bool pg_account_hard_delete(struct store *st, int64_t user_id, int64_t now, struct err *e)
{
    /* every table of the core schema that names a user (portable_sql.h).
     * The avatar gallery, provider
     * associations and sign-up rows go elsewhere (store_avatar_purge, the
     * tombstone trigger of 003_accounts, the codes' caller). */
    static const char *const deletes[] = {USER_ROW_DELETES};
    for (size_t i = 0; i < sizeof deletes / sizeof deletes[0]; i++)
        if (!pg_exec(st, e, deletes[i], "i", user_id))
            return false;
    return pg_exec(st, e,
                   "UPDATE users SET status = 'u', email = NULL, email_fold = NULL, "
                   "email_isvalid = 0, password_hash = NULL, real_name = '', real_name_fold = '', "
                   "bio = '', location = '', location_fold = '', location_lat = NULL, location_lng = NULL, "
                   "position_lat = NULL, position_lng = NULL, date_of_birth = NULL, "
                   "description = '', description_fold = '', search_words = " USERNAME_WORDS ", "
                   "gender = 'Unspecified', website = '', avatar = NULL, "
                   "cover = NULL, ext_id = NULL, reputation = 0, role = NULL, "
                   "tokens_valid_after = GREATEST(tokens_valid_after, $1), followers_counter = 0, "
                   "followings_counter = 0, connections_counter = 0, "
                   "connection_requests_sent_counter = 0, connection_requests_received_counter = 0, "
                   "posts_counter = 0, discussions_counter = 0, categories_counter = 0 "
                   "WHERE id = $2",
                   "ii", now, user_id);
}

/* ================================================================ */
/* email and password                                               */

bool pg_account_set_email(struct store *st, int64_t user_id, const char *email, bool valid, struct err *e)
{
    bool oom = false;
    char *fold = fold_or_null(email, &oom);
    if (oom)
        return err_internal(e);
    int rc = pg_exec_unique(st, e, "UPDATE users SET email = $1, email_fold = $2, email_isvalid = $3 WHERE id = $4",
                            "ssii", email, fold, (int64_t)(valid ? 1 : 0), user_id);
    free(fold);
    if (rc == 0) /* the partial unique index on email_fold */
        return err_field(e, "new_email", "unique", "A user with that email already exists.");
    return rc > 0;
}

bool pg_account_set_password(struct store *st, int64_t user_id, const char *hash, int64_t valid_after, struct err *e)
{
    return pg_exec(st, e, "UPDATE users SET password_hash = $1, tokens_valid_after = $2 WHERE id = $3", "sii", hash,
                   valid_after, user_id);
}

static void read_email_change(struct arena *a, const PGresult *r, int row, void *out)
{
    struct email_change *c = out;
    c->new_email = pg_col_text(a, r, row, 0);
    c->code_hash = pg_col_text(a, r, row, 1);
    c->expires_us = pg_col_int(r, row, 2);
    c->attempts = (int)pg_col_int(r, row, 3);
}

int pg_email_change_get(struct store *st, struct arena *a, int64_t user_id, struct email_change *out, struct err *e)
{
    return pg_row(st, a, read_email_change, out, e,
                  "SELECT new_email, code_hash, expires_us, attempts FROM email_changes WHERE user_id = $1", "i",
                  user_id);
}

bool pg_email_change_put(struct store *st, int64_t user_id, const struct email_change *c, struct err *e)
{
    return pg_exec(st, e,
                   "INSERT INTO email_changes (user_id, new_email, code_hash, expires_us, attempts) "
                   "VALUES ($1, $2, $3, $4, 0) ON CONFLICT (user_id) DO UPDATE SET new_email = EXCLUDED.new_email, "
                   "code_hash = EXCLUDED.code_hash, expires_us = EXCLUDED.expires_us, attempts = 0",
                   "issi", user_id, c->new_email, c->code_hash, c->expires_us);
}

bool pg_email_change_count_attempt(struct store *st, int64_t user_id, struct err *e)
{
    return pg_exec(st, e, "UPDATE email_changes SET attempts = attempts + 1 WHERE user_id = $1", "i", user_id);
}

bool pg_email_change_delete(struct store *st, int64_t user_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM email_changes WHERE user_id = $1", "i", user_id);
}

/* ================================================================ */
/* settings                                                         */

static void read_settings(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    for (int i = 0; i < STORE_SETTINGS_COUNT; i++)
        ((int *)out)[i] = (int)pg_col_int(r, row, i);
}

int pg_settings_get(struct store *st, int64_t user_id, int out[STORE_SETTINGS_COUNT], struct err *e)
{
    return pg_row(st, NULL, read_settings, out, e,
                  "SELECT qa_frequency, email_notification_not_qa, interests_frequency, "
                  "engagement_frequency, mobile_notifications_scmty, toast_notifications_emit_sound, "
                  "show_toast_notifications FROM user_settings WHERE user_id = $1",
                  "i", user_id);
}

bool pg_settings_put(struct store *st, int64_t user_id, const int values[STORE_SETTINGS_COUNT], struct err *e)
{
    _Static_assert(STORE_SETTINGS_COUNT == 7, "the statement below lists 7 settings");
    return pg_exec(st, e,
                   "INSERT INTO user_settings (user_id, qa_frequency, email_notification_not_qa, "
                   "interests_frequency, engagement_frequency, mobile_notifications_scmty, "
                   "toast_notifications_emit_sound, show_toast_notifications) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id) DO UPDATE SET "
                   "qa_frequency = EXCLUDED.qa_frequency, "
                   "email_notification_not_qa = EXCLUDED.email_notification_not_qa, "
                   "interests_frequency = EXCLUDED.interests_frequency, "
                   "engagement_frequency = EXCLUDED.engagement_frequency, "
                   "mobile_notifications_scmty = EXCLUDED.mobile_notifications_scmty, "
                   "toast_notifications_emit_sound = EXCLUDED.toast_notifications_emit_sound, "
                   "show_toast_notifications = EXCLUDED.show_toast_notifications",
                   "iiiiiiii", user_id, (int64_t)values[0], (int64_t)values[1], (int64_t)values[2], (int64_t)values[3],
                   (int64_t)values[4], (int64_t)values[5], (int64_t)values[6]);
}
