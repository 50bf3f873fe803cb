/* pg_avatar.c - the avatar gallery in PostgreSQL (rules in
 * src/domain/avatar.c; the SQLite twin is sqlite_avatar.c): the rows of
 * user_avatars, and users.avatar kept equal to the primary row's file. */
#include "store/pg_internal.h"

#define AVATAR_COLUMNS "id, user_id, file, is_primary, uploaded_us"

static void read_avatar(struct arena *a, const PGresult *r, int row, void *out)
{
    struct user_avatar *v = out;
    v->id = pg_col_int(r, row, 0);
    v->user_id = pg_col_int(r, row, 1);
    v->file = pg_col_text(a, r, row, 2);
    v->primary = pg_col_int(r, row, 3) != 0;
    v->uploaded_us = pg_col_int(r, row, 4);
}

/* ================================================================ */
/* reads                                                            */

int64_t pg_avatar_count(struct store *st, int64_t user_id, struct err *e)
{
    int64_t n = 0;
    return pg_count(st, &n, e, "SELECT count(*) FROM user_avatars WHERE user_id = $1", "i", user_id) ? n : -1;
}

static bool avatar_page(struct store *st, struct arena *a, int64_t user_id, int limit, int offset,
                        struct user_avatar **out, int *n, int64_t *count, struct err *e)
{
    *n = 0;
    if ((*count = pg_avatar_count(st, user_id, e)) < 0)
        return false;
    *out = arena_alloc(a, sizeof **out * (size_t)(limit > 0 ? limit : 1));
    if (limit <= 0 || offset >= *count)
        return true;
    PGresult *r = pg_run(st, e,
                         "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE user_id = $1 ORDER BY id "
                         "LIMIT $2 OFFSET $3",
                         "iii", user_id, (int64_t)limit, (int64_t)(offset > 0 ? offset : 0));
    if (!r)
        return false;
    int rows = PQntuples(r);
    for (int i = 0; i < rows && *n < limit; i++)
        read_avatar(a, r, i, &(*out)[(*n)++]);
    PQclear(r);
    return true;
}

bool pg_avatar_list(struct store *st, struct arena *a, int64_t user_id, int limit, int offset, struct user_avatar **out,
                    int *n, int64_t *count, struct err *e)
{
    bool own;
    /* one read snapshot for the count and the page */
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    bool ok = avatar_page(st, a, user_id, limit, offset, out, n, count, e);
    pg_snapshot_end(st, own);
    return ok;
}

int pg_avatar_get(struct store *st, struct arena *a, int64_t user_id, int64_t avatar_id, struct user_avatar *out,
                  struct err *e)
{
    return pg_row(st, a, read_avatar, out, e,
                  "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE id = $1 AND user_id = $2", "ii", avatar_id,
                  user_id);
}

int pg_avatar_primary(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e)
{
    return pg_row(st, a, read_avatar, out, e,
                  "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE user_id = $1 AND is_primary = 1", "i", user_id);
}

int pg_avatar_newest(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e)
{
    return pg_row(st, a, read_avatar, out, e,
                  "SELECT " AVATAR_COLUMNS " FROM user_avatars WHERE user_id = $1 ORDER BY id DESC LIMIT 1", "i",
                  user_id);
}

/* ================================================================ */
/* writes                                                           */

bool pg_avatar_insert(struct store *st, int64_t user_id, const char *file, int64_t uploaded_us, int64_t *id,
                      struct err *e)
{
    int got = pg_int(st, id, e,
                     "INSERT INTO user_avatars (user_id, file, is_primary, uploaded_us) VALUES ($1, $2, 0, $3) "
                     "RETURNING id",
                     "isi", user_id, file, uploaded_us);
    if (got == 0) /* RETURNING always gives the row */
        return err_internal(e);
    return got > 0;
}

bool pg_avatar_set_primary(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e)
{
    /* the old primary first: the partial unique index allows one */
    return pg_exec(st, e, "UPDATE user_avatars SET is_primary = 0 WHERE user_id = $1 AND is_primary = 1 AND id <> $2",
                   "ii", user_id, avatar_id) &&
           pg_exec(st, e, "UPDATE user_avatars SET is_primary = 1 WHERE user_id = $1 AND id = $2", "ii", user_id,
                   avatar_id) &&
           pg_exec(st, e,
                   "UPDATE users SET avatar = (SELECT file FROM user_avatars WHERE user_id = $1 AND id = $2) "
                   "WHERE id = $1",
                   "ii", user_id, avatar_id);
}

bool pg_avatar_delete(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM user_avatars WHERE user_id = $1 AND id = $2", "ii", user_id, avatar_id);
}

bool pg_avatar_purge(struct store *st, struct arena *a, int64_t user_id, const char ***files, size_t *n, struct err *e)
{
    /* one statement: the files of exactly the rows it removes */
    return pg_texts(st, a, files, n, e,
                    "WITH gone AS (DELETE FROM user_avatars WHERE user_id = $1 RETURNING id, file) "
                    "SELECT file FROM gone ORDER BY id",
                    "i", user_id);
}
