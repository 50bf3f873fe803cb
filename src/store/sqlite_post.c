/* sqlite_post.c - posts and discussions, their categories, the counters
 * they move and the user feed (model/post.h), for the SQLite backend. */
#include "store/store.h"

#include <sqlite3.h>
#include <string.h>

#include "model/post.h"
#include "store/sqlite_internal.h"

#define POST_COLUMNS "id, type, author_id, title, slug, html, summary, added_us, last_activity_us, deleted"

static void post_from_row(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct post *p = out;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(q, 0);
    const char *type = (const char *)sqlite3_column_text(q, 1);
    p->type = type && !strcmp(type, POST_TYPE_DISCUSSION) ? POST_TYPE_DISCUSSION : POST_TYPE_POST;
    p->author_id = sqlite3_column_int64(q, 2);
    p->title = sqlite_col_text(a, q, 3);
    p->slug = sqlite_col_text(a, q, 4);
    p->html = sqlite_col_text(a, q, 5);
    p->summary = sqlite_col_text(a, q, 6);
    p->added_us = sqlite3_column_int64(q, 7);
    p->last_activity_us = sqlite3_column_int64(q, 8);
    p->deleted = sqlite3_column_int(q, 9) != 0;
}

/* Moves the author's counter for p's type by delta. */
static bool post_counter_add(struct store *st, const struct post *p, int delta, struct err *e)
{
    sqlite3_stmt *q =
        !strcmp(p->type, POST_TYPE_DISCUSSION)
            ? sqlite_stmt(st, "UPDATE users SET discussions_counter = discussions_counter + $1 WHERE id = $2", e)
            : sqlite_stmt(st, "UPDATE users SET posts_counter = posts_counter + $1 WHERE id = $2", e);
    if (!q)
        return false;
    /* SQLite numbers `$N` by first appearance: keep them in order */
    sqlite3_bind_int(q, 1, delta);
    sqlite3_bind_int64(q, 2, p->author_id);
    return sqlite_exec_stmt(st, q, e, "post counter");
}

bool sqlite_post_insert(struct store *st, struct post *p, const int64_t *category_ids, int ncategories, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT INTO posts (type, author_id, title, slug, html, summary, added_us, "
                                  "last_activity_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, p->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, p->author_id);
    sqlite_bind_text_or_null(q, 3, p->title);
    sqlite_bind_text_or_null(q, 4, p->slug);
    sqlite3_bind_text(q, 5, p->html, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, p->summary, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 7, p->added_us);
    sqlite3_bind_int64(q, 8, p->last_activity_us);
    if (!sqlite_exec_stmt(st, q, e, "insert post"))
        return false;
    p->id = sqlite3_last_insert_rowid(st->lite->db);
    for (int i = 0; i < ncategories; i++) {
        q = sqlite_stmt(st, "INSERT INTO post_categories (post_id, category_id) VALUES ($1, $2)", e);
        if (!q)
            return false;
        sqlite3_bind_int64(q, 1, p->id);
        sqlite3_bind_int64(q, 2, category_ids[i]);
        if (!sqlite_exec_stmt(st, q, e, "insert post category"))
            return false;
    }
    return post_counter_add(st, p, 1, e);
}

int sqlite_post_get(struct store *st, struct arena *a, int64_t id, struct post *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " POST_COLUMNS " FROM posts WHERE id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return sqlite_get_row(st, q, post_from_row, a, out, e);
}

bool sqlite_post_soft_delete(struct store *st, const struct post *p, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "UPDATE posts SET deleted = 1 WHERE id = $1 AND deleted = 0", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, p->id);
    if (!sqlite_exec_stmt(st, q, e, "delete post"))
        return false;
    if (sqlite3_changes(st->lite->db) != 1)
        return err_set(e, ERR_INVALID, "already_deleted", "This contribution is already deleted.");
    return post_counter_add(st, p, -1, e);
}

static bool post_by_author(struct store *st, struct arena *a, int64_t author_id, int limit, int offset,
                           struct post_page *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*) FROM posts WHERE author_id = $1 AND deleted = 0", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, author_id);
    if (!sqlite_get_count(st, q, &out->count, e))
        return false;

    q = sqlite_stmt(st,
                    "SELECT " POST_COLUMNS " FROM posts WHERE author_id = $1 AND deleted = 0 "
                    "ORDER BY added_us DESC, id DESC LIMIT $2 OFFSET $3",
                    e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, author_id);
    sqlite3_bind_int(q, 2, limit);
    sqlite3_bind_int(q, 3, offset);
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    out->n = 0;
    int rc = SQLITE_DONE;
    while (out->n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        post_from_row(a, q, &out->items[out->n++]);
    sqlite3_reset(q);
    if (out->n < limit && rc != SQLITE_DONE)
        return sqlite_fail(st, e, "list posts");
    return true;
}

bool sqlite_post_by_author(struct store *st, struct arena *a, int64_t author_id, int limit, int offset,
                           struct post_page *out, struct err *e)
{
    bool own;
    /* one read snapshot for the count and the page */
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    bool ok = post_by_author(st, a, author_id, limit, offset, out, e);
    sqlite_snapshot_end(st, own);
    return ok;
}
