/* pg_post.c - posts and discussions, their categories and the counters
 * they move (model/post.h), for the PostgreSQL backend (the SQLite one is
 * sqlite_post.c). */
#include "store/store.h"

#include <string.h>

#include "model/post.h"
#include "store/pg_internal.h"

#define POST_COLUMNS "id, type, author_id, title, slug, html, summary, added_us, last_activity_us, deleted"

static void post_from_row_at(struct arena *a, const PGresult *r, int row, struct post *p)
{
    memset(p, 0, sizeof *p);
    p->id = pg_col_int(r, row, 0);
    const char *type = PQgetisnull(r, row, 1) ? NULL : PQgetvalue(r, row, 1);
    p->type = type && !strcmp(type, POST_TYPE_DISCUSSION) ? POST_TYPE_DISCUSSION : POST_TYPE_POST;
    p->author_id = pg_col_int(r, row, 2);
    p->title = pg_col_text(a, r, row, 3);
    p->slug = pg_col_text(a, r, row, 4);
    p->html = pg_col_text(a, r, row, 5);
    p->summary = pg_col_text(a, r, row, 6);
    p->added_us = pg_col_int(r, row, 7);
    p->last_activity_us = pg_col_int(r, row, 8);
    p->deleted = pg_col_int(r, row, 9) != 0;
}

static void read_post(struct arena *a, const PGresult *r, int row, void *out) { post_from_row_at(a, r, row, out); }

/* Moves the author's counter for p's type by delta. */
static bool post_counter_add(struct store *st, const struct post *p, int delta, struct err *e)
{
    return !strcmp(p->type, POST_TYPE_DISCUSSION)
               ? pg_exec(st, e, "UPDATE users SET discussions_counter = discussions_counter + $1 WHERE id = $2", "ii",
                         (int64_t)delta, p->author_id)
               : pg_exec(st, e, "UPDATE users SET posts_counter = posts_counter + $1 WHERE id = $2", "ii",
                         (int64_t)delta, p->author_id);
}

bool pg_post_insert(struct store *st, struct post *p, const int64_t *category_ids, int ncategories, struct err *e)
{
    int got = pg_int(st, &p->id, e,
                     "INSERT INTO posts (type, author_id, title, slug, html, summary, added_us, last_activity_us) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                     "sissssii", p->type, p->author_id, p->title, p->slug, p->html, p->summary, p->added_us,
                     p->last_activity_us);
    if (got <= 0)
        return got == 0 ? err_internal(e) : false;
    if (ncategories > 0 &&
        !pg_exec(st, e,
                 "INSERT INTO post_categories (post_id, category_id) SELECT $1, c FROM unnest($2::bigint[]) AS c", "ia",
                 p->id, category_ids, (size_t)ncategories))
        return false;
    return post_counter_add(st, p, 1, e);
}

int pg_post_get(struct store *st, struct arena *a, int64_t id, struct post *out, struct err *e)
{
    return pg_row(st, a, read_post, out, e, "SELECT " POST_COLUMNS " FROM posts WHERE id = $1", "i", id);
}

bool pg_post_soft_delete(struct store *st, const struct post *p, struct err *e)
{
    /* one statement decides: of two deletes racing, one changes the row */
    int64_t changed = pg_changes(st, e, "UPDATE posts SET deleted = 1 WHERE id = $1 AND deleted = 0", "i", p->id);
    if (changed < 0)
        return false;
    if (changed != 1)
        return err_set(e, ERR_INVALID, "already_deleted", "This contribution is already deleted.");
    return post_counter_add(st, p, -1, e);
}

static bool post_by_author(struct store *st, struct arena *a, int64_t author_id, int limit, int offset,
                           struct post_page *out, struct err *e)
{
    if (!pg_count(st, &out->count, e, "SELECT count(*) FROM posts WHERE author_id = $1 AND deleted = 0", "i",
                  author_id))
        return false;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    out->n = 0;
    PGresult *r = pg_run(st, e,
                         "SELECT " POST_COLUMNS " FROM posts WHERE author_id = $1 AND deleted = 0 "
                         "ORDER BY added_us DESC, id DESC LIMIT $2 OFFSET $3",
                         "iii", author_id, (int64_t)(limit > 0 ? limit : 0), (int64_t)offset);
    if (!r)
        return false;
    int rows = PQntuples(r);
    for (int i = 0; i < rows && out->n < limit; i++)
        post_from_row_at(a, r, i, &out->items[out->n++]);
    PQclear(r);
    return true;
}

bool pg_post_by_author(struct store *st, struct arena *a, int64_t author_id, int limit, int offset,
                       struct post_page *out, struct err *e)
{
    bool own;
    /* one read snapshot for the count and the page */
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    bool ok = post_by_author(st, a, author_id, limit, offset, out, e);
    pg_snapshot_end(st, own);
    return ok;
}
