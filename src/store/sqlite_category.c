/* sqlite_category.c - categories, category follows and the categories of a
 * post (model/category.h), for the SQLite backend. */
#include "store/store.h"

#include <sqlite3.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "model/category.h"
#include "store/sqlite_internal.h"

/* The categories columns, in the order category_from_row reads them. */
#define CATEGORY_COLUMNS                                                                                          \
    "k.id, k.\"order\", k.name, k.name_synonyms, k.slug, k.slogan, k.html_info, k.seo_title, k.seo_description, " \
    "k.auto_follow, k.active, k.deleted, k.emotional_image_position, k.stream_order_by, k.lastmod_us, "           \
    "k.content_only_staff, k.followers_counter"

static void category_from_row(struct arena *a, sqlite3_stmt *q, int col, struct category *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(q, col + 0);
    c->order = sqlite3_column_int64(q, col + 1);
    c->name = sqlite_col_text(a, q, col + 2);
    c->name_synonyms = sqlite_col_text(a, q, col + 3);
    c->slug = sqlite_col_text(a, q, col + 4);
    c->slogan = sqlite_col_text(a, q, col + 5);
    c->html_info = sqlite_col_text(a, q, col + 6);
    c->seo_title = sqlite_col_text(a, q, col + 7);
    c->seo_description = sqlite_col_text(a, q, col + 8);
    c->auto_follow = sqlite_col_text(a, q, col + 9);
    c->active = sqlite3_column_int(q, col + 10) != 0;
    c->deleted = sqlite3_column_int(q, col + 11) != 0;
    c->emotional_image_position = sqlite3_column_int64(q, col + 12);
    c->stream_order_by = sqlite_col_text(a, q, col + 13);
    c->lastmod_us = sqlite3_column_int64(q, col + 14);
    c->content_only_staff = sqlite3_column_int(q, col + 15) != 0;
    c->followers_counter = sqlite3_column_int64(q, col + 16);
}

/* Binds the writable columns of c to $1..$15 (the order of the INSERT and
 * UPDATE below). SQLite numbers `$N` parameters by first appearance, not by
 * N: every statement here uses them in increasing order. */
static void bind_category(sqlite3_stmt *q, const struct category *c)
{
    sqlite3_bind_int64(q, 1, c->order);
    sqlite3_bind_text(q, 2, c->name, -1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 3, c->name_synonyms);
    sqlite3_bind_text(q, 4, c->slug, -1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 5, c->slogan);
    sqlite_bind_text_or_null(q, 6, c->html_info);
    sqlite_bind_text_or_null(q, 7, c->seo_title);
    sqlite_bind_text_or_null(q, 8, c->seo_description);
    sqlite3_bind_text(q, 9, c->auto_follow, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 10, c->active);
    sqlite3_bind_int(q, 11, c->deleted);
    sqlite3_bind_int64(q, 12, c->emotional_image_position);
    sqlite3_bind_text(q, 13, c->stream_order_by, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 14, c->lastmod_us);
    sqlite3_bind_int(q, 15, c->content_only_staff);
}

/* Steps a statement returning categories into a new arena array of at most
 * max entries. Resets it. */
static bool category_rows(struct store *st, struct arena *a, sqlite3_stmt *q, int max, struct category **out, int *n,
                          struct err *e, const char *what)
{
    int cap = 8;
    struct category *items = arena_alloc(a, sizeof *items * (size_t)cap);
    int count = 0, rc = SQLITE_DONE;
    while (count < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (count == cap) {
            struct category *grown = arena_alloc(a, sizeof *items * (size_t)cap * 2);
            memcpy(grown, items, sizeof *items * (size_t)cap);
            items = grown;
            cap *= 2;
        }
        category_from_row(a, q, 0, &items[count++]);
    }
    if (count < max && rc != SQLITE_DONE) {
        sqlite3_reset(q);
        return sqlite_fail(st, e, what);
    }
    sqlite3_reset(q);
    *out = items;
    *n = count;
    return true;
}

static void read_category(struct arena *a, sqlite3_stmt *q, void *out) { category_from_row(a, q, 0, out); }

int sqlite_category_get(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " CATEGORY_COLUMNS " FROM categories k WHERE k.id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return sqlite_get_row(st, q, read_category, a, out, e);
}

int sqlite_category_name_taken(struct store *st, const char *name, int64_t except_id, struct err *e)
{
    /* categories are few (administrators make them): a scan is fine */
    return sqlite_taken(st, "SELECT 1 FROM categories WHERE fold(name) = fold($1) AND id <> $2", name, except_id, e);
}

int sqlite_category_slug_taken(struct store *st, const char *slug, int64_t except_id, struct err *e)
{
    return sqlite_taken(st, "SELECT 1 FROM categories WHERE lower(slug) = lower($1) AND id <> $2", slug, except_id, e);
}

bool sqlite_category_insert(struct store *st, struct category *c, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT INTO categories (\"order\", name, name_synonyms, slug, slogan, html_info, "
                                  "seo_title, seo_description, auto_follow, active, deleted, "
                                  "emotional_image_position, stream_order_by, lastmod_us, content_only_staff) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                                  e);
    if (!q)
        return false;
    bind_category(q, c);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return err_set(e, ERR_INVALID, "unique", "A category with this name or slug already exists.");
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "insert category");
    c->id = sqlite3_last_insert_rowid(st->lite->db);
    return true;
}

bool sqlite_category_update(struct store *st, const struct category *c, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE categories SET \"order\" = $1, name = $2, name_synonyms = $3, slug = $4, "
                                  "slogan = $5, html_info = $6, seo_title = $7, seo_description = $8, "
                                  "auto_follow = $9, active = $10, deleted = $11, emotional_image_position = $12, "
                                  "stream_order_by = $13, lastmod_us = $14, content_only_staff = $15 WHERE id = $16",
                                  e);
    if (!q)
        return false;
    bind_category(q, c);
    sqlite3_bind_int64(q, 16, c->id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return err_set(e, ERR_INVALID, "unique", "A category with this name or slug already exists.");
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "update category");
}

bool sqlite_category_followers_counter_add(struct store *st, int64_t category_id, int delta, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE users SET categories_counter = categories_counter + $1 WHERE id IN "
                                  "(SELECT user_id FROM category_follows WHERE category_id = $2)",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int(q, 1, delta);
    sqlite3_bind_int64(q, 2, category_id);
    return sqlite_exec_stmt(st, q, e, "category followers counters");
}

bool sqlite_category_list(struct store *st, struct arena *a, const struct category_filter *f, struct category_page *out,
                          struct err *e)
{
    struct sql_query w = {0};
    struct buf sql = BUF_INIT;
    buf_printf(&w.sql, " FROM categories k WHERE k.deleted = $%d", sql_int(&w, f->deleted ? 1 : 0));
    if (f->active >= 0)
        buf_printf(&w.sql, " AND k.active = $%d", sql_int(&w, f->active ? 1 : 0));
    if (f->search)
        buf_printf(&w.sql, " AND instr(fold(k.name), $%d) > 0", sql_text(&w, text_fold(a, f->search)));
    bool ok = false, own = false;
    sqlite3_stmt *q = NULL;
    if (!sqlite_page_begin(st, &w, &out->count, &own, e))
        goto done;

    buf_printf(&sql, "SELECT " CATEGORY_COLUMNS "%s ORDER BY ", buf_str(&w.sql));
    if (f->norder == 0)
        buf_puts(&sql, "k.\"order\", ");
    bool id_desc = false;
    for (int i = 0; i < f->norder; i++) {
        /* columns come from the domain's allow-list, never from the request */
        if (!strcmp(f->order[i].column, "name"))
            buf_printf(&sql, "fold(k.name) %s, ", f->order[i].desc ? "DESC" : "ASC");
        else if (!strcmp(f->order[i].column, "id"))
            id_desc = f->order[i].desc;
        else
            buf_printf(&sql, "k.%s %s, ", f->order[i].column, f->order[i].desc ? "DESC" : "ASC");
    }
    int limit = sql_int(&w, f->limit), offset = sql_int(&w, f->offset);
    buf_printf(&sql, "k.id %s LIMIT $%d OFFSET $%d", id_desc ? "DESC" : "ASC", limit, offset);
    if (!(q = sqlite_query_stmt(st, buf_str(&sql), &w, e)))
        goto done;
    ok = category_rows(st, a, q, f->limit, &out->items, &out->n, e, "category list");
done:
    sqlite_snapshot_end(st, own);
    buf_free(&w.sql);
    buf_free(&sql);
    return ok;
}

int sqlite_category_follow_exists(struct store *st, int64_t user_id, int64_t category_id, struct err *e)
{
    return sqlite_exists_ids(st, "SELECT 1 FROM category_follows WHERE user_id = $1 AND category_id = $2", user_id,
                             category_id, e);
}

bool sqlite_category_follow_set(struct store *st, int64_t user_id, int64_t category_id, bool follow, struct err *e)
{
    sqlite3_stmt *q =
        follow
            ? sqlite_stmt(st, "INSERT INTO category_follows (user_id, category_id, created_us) VALUES ($1, $2, $3)", e)
            : sqlite_stmt(st, "DELETE FROM category_follows WHERE user_id = $1 AND category_id = $2", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, category_id);
    if (follow)
        sqlite3_bind_int64(q, 3, clock_now_us());
    if (!sqlite_exec_stmt(st, q, e, "category follow"))
        return false;
    q = sqlite_stmt(st, "UPDATE users SET categories_counter = categories_counter + $1 WHERE id = $2", e);
    if (!q)
        return false;
    sqlite3_bind_int(q, 1, follow ? 1 : -1);
    sqlite3_bind_int64(q, 2, user_id);
    return sqlite_exec_stmt(st, q, e, "categories counter");
}

bool sqlite_category_followed(struct store *st, struct arena *a, int64_t user_id, int max, struct category **out,
                              int *n, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT " CATEGORY_COLUMNS " FROM category_follows f "
                                  "JOIN categories k ON k.id = f.category_id "
                                  "WHERE f.user_id = $1 AND k.deleted = 0 ORDER BY k.\"order\", k.id LIMIT $2",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int(q, 2, max);
    return category_rows(st, a, q, max, out, n, e, "followed categories");
}

bool sqlite_category_of_post(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n,
                             struct err *e)
{
    enum { POST_CATEGORIES_READ_MAX = 100 }; /* more than a post can be given (domain/post.h) */
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT " CATEGORY_COLUMNS " FROM post_categories pc "
                                  "JOIN categories k ON k.id = pc.category_id "
                                  "WHERE pc.post_id = $1 ORDER BY k.\"order\", k.id",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, post_id);
    return category_rows(st, a, q, POST_CATEGORIES_READ_MAX, out, n, e, "post categories");
}

int64_t sqlite_category_counters_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    sqlite3_stmt *q = NULL;
    const char *sql = "SELECT k.id, k.followers_counter, (SELECT count(*) FROM category_follows f CROSS JOIN users u "
                      "ON u.id = f.user_id WHERE f.category_id = k.id AND u.status IN ('a', 'b')) AS actual "
                      "FROM categories k WHERE k.followers_counter <> actual ORDER BY k.id";
    if (sqlite_prepare(st, sql, false, &q) != SQLITE_OK) {
        sqlite_fail(st, e, "prepare category check");
        return -1;
    }
    int64_t differences = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        differences++;
        if (fn)
            fn(ctx, "category", sqlite3_column_int64(q, 0), "followers_counter", sqlite3_column_int64(q, 1),
               sqlite3_column_int64(q, 2));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        sqlite_fail(st, e, "check category counters");
        return -1;
    }
    return differences;
}
