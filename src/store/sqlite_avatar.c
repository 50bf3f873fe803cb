/* sqlite_avatar.c - the avatar gallery in SQLite (rules in
 * src/domain/avatar.c): the rows of user_avatars, and users.avatar kept
 * equal to the primary row's file. */
#include "store/store.h"

#include <sqlite3.h>
#include <string.h>

#include "store/sqlite_internal.h"

#define AVATAR_COLUMNS "id, user_id, file, is_primary, uploaded_us"

static void read_avatar(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct user_avatar *v = out;
    v->id = sqlite3_column_int64(q, 0);
    v->user_id = sqlite3_column_int64(q, 1);
    v->file = sqlite_col_text(a, q, 2);
    v->primary = sqlite3_column_int(q, 3) != 0;
    v->uploaded_us = sqlite3_column_int64(q, 4);
}

/* Runs a cached statement binding the int64 values a and b. */
static bool exec_ids(struct store *st, const char *sql, int64_t a, int64_t b, struct err *e, const char *what)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, a);
    sqlite3_bind_int64(q, 2, b);
    return sqlite_exec_stmt(st, q, e, what);
}

/* ================================================================ */
/* reads                                                            */

int64_t sqlite_avatar_count(struct store *st, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*) FROM user_avatars WHERE user_id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    int64_t n = 0;
    return sqlite_get_count(st, q, &n, e) ? n : -1;
}

static bool avatar_page(struct store *st, struct arena *a, int64_t user_id, int limit, int offset,
                        struct user_avatar **out, int *n, int64_t *count, struct err *e)
{
    *n = 0;
    if ((*count = store_avatar_count(st, user_id, e)) < 0)
        return false;
    *out = arena_alloc(a, sizeof **out * (size_t)(limit > 0 ? limit : 1));
    if (limit <= 0 || offset >= *count)
        return true;
    sqlite3_stmt *q = sqlite_stmt(
        st, "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE user_id = $1 ORDER BY id LIMIT $2 OFFSET $3", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int(q, 2, limit);
    sqlite3_bind_int(q, 3, offset);
    int rc;
    while (*n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        read_avatar(a, q, &(*out)[(*n)++]);
    if (*n >= limit)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "avatar list");
}

bool sqlite_avatar_list(struct store *st, struct arena *a, int64_t user_id, int limit, int offset,
                        struct user_avatar **out, int *n, int64_t *count, struct err *e)
{
    bool own;
    /* one read snapshot for the count and the page */
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    bool ok = avatar_page(st, a, user_id, limit, offset, out, n, count, e);
    sqlite_snapshot_end(st, own);
    return ok;
}

int sqlite_avatar_get(struct store *st, struct arena *a, int64_t user_id, int64_t avatar_id, struct user_avatar *out,
                      struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE id = $1 AND user_id = $2", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, avatar_id);
    sqlite3_bind_int64(q, 2, user_id);
    return sqlite_get_row(st, q, read_avatar, a, out, e);
}

int sqlite_avatar_primary(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE user_id = $1 AND is_primary = 1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_get_row(st, q, read_avatar, a, out, e);
}

int sqlite_avatar_newest(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE user_id = $1 ORDER BY id DESC LIMIT 1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_get_row(st, q, read_avatar, a, out, e);
}

/* ================================================================ */
/* writes                                                           */

bool sqlite_avatar_insert(struct store *st, int64_t user_id, const char *file, int64_t uploaded_us, int64_t *id,
                          struct err *e)
{
    sqlite3_stmt *q =
        sqlite_stmt(st, "INSERT INTO user_avatars (user_id, file, is_primary, uploaded_us) VALUES ($1, $2, 0, $3)", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_text(q, 2, file, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 3, uploaded_us);
    if (!sqlite_exec_stmt(st, q, e, "avatar insert"))
        return false;
    *id = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
    return true;
}

bool sqlite_avatar_set_primary(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e)
{
    /* the old primary first: the partial unique index allows one */
    return exec_ids(st, "UPDATE user_avatars SET is_primary = 0 WHERE user_id = $1 AND is_primary = 1 AND id <> $2",
                    user_id, avatar_id, e, "avatar unset primary") &&
           exec_ids(st, "UPDATE user_avatars SET is_primary = 1 WHERE user_id = $1 AND id = $2", user_id, avatar_id, e,
                    "avatar set primary") &&
           exec_ids(st,
                    "UPDATE users SET avatar = (SELECT file FROM user_avatars WHERE user_id = $1 AND id = $2) "
                    "WHERE id = $1",
                    user_id, avatar_id, e, "avatar of user");
}

bool sqlite_avatar_delete(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e)
{
    return exec_ids(st, "DELETE FROM user_avatars WHERE user_id = $1 AND id = $2", user_id, avatar_id, e,
                    "avatar delete");
}

bool sqlite_avatar_purge(struct store *st, struct arena *a, int64_t user_id, const char ***files, size_t *n,
                         struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT file FROM user_avatars WHERE user_id = $1 ORDER BY id", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    if (!sqlite_get_texts(st, a, q, files, n, e))
        return false;
    q = sqlite_stmt(st, "DELETE FROM user_avatars WHERE user_id = $1", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    return sqlite_exec_stmt(st, q, e, "avatar purge");
}
