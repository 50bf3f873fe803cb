/* pg_category.c - categories, category follows and the categories of a
 * post (model/category.h), for the PostgreSQL backend (the SQLite one is
 * sqlite_category.c). Names are compared and ordered by their stored fold
 * (categories.name_fold, written here).
 *
 * Under READ COMMITTED a category read inside a write transaction locks
 * the row (FOR NO KEY UPDATE): the domain decides on what it read (was it
 * deleted, is it active) and then writes the row or moves the counters
 * that depend on its deleted flag, so no other writer may change it in
 * between. */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "model/category.h"
#include "store/pg_internal.h"

/* The categories columns, in the order category_from_row reads them. */
#define CATEGORY_COLUMNS                                                                                          \
    "k.id, k.\"order\", k.name, k.name_synonyms, k.slug, k.slogan, k.html_info, k.seo_title, k.seo_description, " \
    "k.auto_follow, k.active, k.deleted, k.emotional_image_position, k.stream_order_by, k.lastmod_us, "           \
    "k.content_only_staff, k.followers_counter"

static void category_from_row(struct arena *a, const PGresult *r, int row, int col, struct category *c)
{
    memset(c, 0, sizeof *c);
    c->id = pg_col_int(r, row, col + 0);
    c->order = pg_col_int(r, row, col + 1);
    c->name = pg_col_text(a, r, row, col + 2);
    c->name_synonyms = pg_col_text(a, r, row, col + 3);
    c->slug = pg_col_text(a, r, row, col + 4);
    c->slogan = pg_col_text(a, r, row, col + 5);
    c->html_info = pg_col_text(a, r, row, col + 6);
    c->seo_title = pg_col_text(a, r, row, col + 7);
    c->seo_description = pg_col_text(a, r, row, col + 8);
    c->auto_follow = pg_col_text(a, r, row, col + 9);
    c->active = pg_col_int(r, row, col + 10) != 0;
    c->deleted = pg_col_int(r, row, col + 11) != 0;
    c->emotional_image_position = pg_col_int(r, row, col + 12);
    c->stream_order_by = pg_col_text(a, r, row, col + 13);
    c->lastmod_us = pg_col_int(r, row, col + 14);
    c->content_only_staff = pg_col_int(r, row, col + 15) != 0;
    c->followers_counter = pg_col_int(r, row, col + 16);
}

static void read_category(struct arena *a, const PGresult *r, int row, void *out)
{
    category_from_row(a, r, row, 0, out);
}

/* The rows of r (at most max) as a new arena array. Clears r. */
static void category_rows(struct arena *a, PGresult *r, int max, struct category **out, int *n)
{
    int rows = PQntuples(r);
    if (rows > max)
        rows = max > 0 ? max : 0;
    struct category *items = arena_alloc(a, sizeof *items * (size_t)(rows > 0 ? rows : 1));
    for (int i = 0; i < rows; i++)
        category_from_row(a, r, i, 0, &items[i]);
    PQclear(r);
    *out = items;
    *n = rows;
}

/* The stored fold of a name (malloc'd; the caller frees it): text_fold's,
 * "" for invalid text. NULL only when memory runs out. */
static char *name_fold(const char *name)
{
    char *f = text_fold_malloc(name, strlen(name));
    return f ? f : calloc(1, 1);
}

/* The folds categories store with c: name_fold and name_synonyms_fold (NULL
 * with name_synonyms). False when memory runs out. */
struct category_folds {
    char *name, *synonyms;
};

static bool folds_of(const struct category *c, struct category_folds *f, struct err *e)
{
    f->name = name_fold(c->name);
    f->synonyms = c->name_synonyms ? name_fold(c->name_synonyms) : NULL;
    if (f->name && (f->synonyms || !c->name_synonyms))
        return true;
    free(f->name);
    free(f->synonyms);
    return err_internal(e);
}

static void folds_free(struct category_folds *f)
{
    free(f->name);
    free(f->synonyms);
}

static bool unique_error(struct err *e)
{
    return err_set(e, ERR_INVALID, "unique", "A category with this name or slug already exists.");
}

int pg_category_get(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e)
{
    if (st->pg->tx == PG_TX_WRITE)
        return pg_row(st, a, read_category, out, e,
                      "SELECT " CATEGORY_COLUMNS " FROM categories k WHERE k.id = $1 FOR NO KEY UPDATE", "i", id);
    return pg_row(st, a, read_category, out, e, "SELECT " CATEGORY_COLUMNS " FROM categories k WHERE k.id = $1", "i",
                  id);
}

int pg_category_name_taken(struct store *st, const char *name, int64_t except_id, struct err *e)
{
    char *fold = name_fold(name);
    if (!fold)
        return err_internal(e), -1;
    /* categories are few (administrators make them): a scan is fine */
    int taken = pg_exists(st, e, "SELECT 1 FROM categories WHERE name_fold = $1 AND id <> $2", "si", fold, except_id);
    free(fold);
    return taken;
}

int pg_category_slug_taken(struct store *st, const char *slug, int64_t except_id, struct err *e)
{
    /* slugs are ASCII (domain/category.c): lower() is SQLite's */
    return pg_exists(st, e, "SELECT 1 FROM categories WHERE lower(slug) = lower($1) AND id <> $2", "si", slug,
                     except_id);
}

bool pg_category_insert(struct store *st, struct category *c, struct err *e)
{
    struct category_folds f;
    if (!folds_of(c, &f, e))
        return false;
    /* a taken name or slug inserts nothing: no row back */
    int got =
        pg_int(st, &c->id, e,
               "INSERT INTO categories (\"order\", name, name_fold, name_synonyms, name_synonyms_fold, slug, "
               "slogan, html_info, seo_title, seo_description, auto_follow, active, deleted, "
               "emotional_image_position, stream_order_by, lastmod_us, content_only_staff) VALUES ($1, $2, $3, "
               "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT DO NOTHING "
               "RETURNING id",
               "issssssssssiiisii", c->order, c->name, f.name, c->name_synonyms, f.synonyms, c->slug, c->slogan,
               c->html_info, c->seo_title, c->seo_description, c->auto_follow, (int64_t)c->active, (int64_t)c->deleted,
               c->emotional_image_position, c->stream_order_by, c->lastmod_us, (int64_t)c->content_only_staff);
    folds_free(&f);
    if (got < 0)
        return false;
    return got ? true : unique_error(e);
}

bool pg_category_update(struct store *st, const struct category *c, struct err *e)
{
    struct category_folds f;
    if (!folds_of(c, &f, e))
        return false;
    int done = pg_exec_unique(st, e,
                              "UPDATE categories SET \"order\" = $1, name = $2, name_fold = $3, name_synonyms = $4, "
                              "name_synonyms_fold = $5, slug = $6, slogan = $7, html_info = $8, seo_title = $9, "
                              "seo_description = $10, auto_follow = $11, active = $12, deleted = $13, "
                              "emotional_image_position = $14, stream_order_by = $15, lastmod_us = $16, "
                              "content_only_staff = $17 WHERE id = $18",
                              "issssssssssiiisiii", c->order, c->name, f.name, c->name_synonyms, f.synonyms, c->slug,
                              c->slogan, c->html_info, c->seo_title, c->seo_description, c->auto_follow,
                              (int64_t)c->active, (int64_t)c->deleted, c->emotional_image_position, c->stream_order_by,
                              c->lastmod_us, (int64_t)c->content_only_staff, c->id);
    folds_free(&f);
    if (done < 0)
        return false;
    return done ? true : unique_error(e);
}

bool pg_category_followers_counter_add(struct store *st, int64_t category_id, int delta, struct err *e)
{
    return pg_exec(st, e,
                   "UPDATE users SET categories_counter = categories_counter + $1 WHERE id IN "
                   "(SELECT user_id FROM category_follows WHERE category_id = $2)",
                   "ii", (int64_t)delta, category_id);
}

bool pg_category_list(struct store *st, struct arena *a, const struct category_filter *f, struct category_page *out,
                      struct err *e)
{
    struct sql_query w = {0};
    struct buf sql = BUF_INIT;
    buf_printf(&w.sql, " FROM categories k WHERE k.deleted = $%d", sql_int(&w, f->deleted ? 1 : 0));
    if (f->active >= 0)
        buf_printf(&w.sql, " AND k.active = $%d", sql_int(&w, f->active ? 1 : 0));
    if (f->search)
        buf_printf(&w.sql, " AND strpos(k.name_fold, $%d) > 0", sql_text(&w, text_fold(a, f->search)));
    bool ok = false, own = false;
    PGresult *r = NULL;
    if (!pg_page_begin(st, &w, &out->count, &own, e))
        goto done;

    buf_printf(&sql, "SELECT " CATEGORY_COLUMNS "%s ORDER BY ", buf_str(&w.sql));
    if (f->norder == 0)
        buf_puts(&sql, "k.\"order\", ");
    bool id_desc = false;
    for (int i = 0; i < f->norder; i++) {
        /* columns come from the domain's allow-list, never from the request */
        if (!strcmp(f->order[i].column, "name"))
            buf_printf(&sql, "k.name_fold COLLATE \"C\" %s, ", f->order[i].desc ? "DESC" : "ASC");
        else if (!strcmp(f->order[i].column, "id"))
            id_desc = f->order[i].desc;
        else
            buf_printf(&sql, "k.%s %s, ", f->order[i].column, f->order[i].desc ? "DESC" : "ASC");
    }
    int limit = sql_int(&w, f->limit), offset = sql_int(&w, f->offset);
    buf_printf(&sql, "k.id %s LIMIT $%d OFFSET $%d", id_desc ? "DESC" : "ASC", limit, offset);
    if (!(r = pg_query(st, buf_str(&sql), &w, e)))
        goto done;
    category_rows(a, r, f->limit, &out->items, &out->n);
    ok = true;
done:
    pg_snapshot_end(st, own);
    buf_free(&w.sql);
    buf_free(&sql);
    return ok;
}

int pg_category_follow_exists(struct store *st, int64_t user_id, int64_t category_id, struct err *e)
{
    return pg_exists(st, e, "SELECT 1 FROM category_follows WHERE user_id = $1 AND category_id = $2", "ii", user_id,
                     category_id);
}

bool pg_category_follow_set(struct store *st, int64_t user_id, int64_t category_id, bool follow, struct err *e)
{
    /* the counter moves by the rows that changed, so a follow that already
     * exists (or is already gone) changes nothing */
    int64_t changed =
        follow ? pg_changes(st, e,
                            "INSERT INTO category_follows (user_id, category_id, created_us) VALUES ($1, $2, $3) "
                            "ON CONFLICT DO NOTHING",
                            "iii", user_id, category_id, clock_now_us())
               : pg_changes(st, e, "DELETE FROM category_follows WHERE user_id = $1 AND category_id = $2", "ii",
                            user_id, category_id);
    if (changed < 0)
        return false;
    if (changed == 0)
        return true;
    return pg_exec(st, e, "UPDATE users SET categories_counter = categories_counter + $1 WHERE id = $2", "ii",
                   (int64_t)(follow ? 1 : -1), user_id);
}

bool pg_category_followed(struct store *st, struct arena *a, int64_t user_id, int max, struct category **out, int *n,
                          struct err *e)
{
    PGresult *r = pg_run(st, e,
                         "SELECT " CATEGORY_COLUMNS " FROM category_follows f "
                         "JOIN categories k ON k.id = f.category_id "
                         "WHERE f.user_id = $1 AND k.deleted = 0 ORDER BY k.\"order\", k.id LIMIT $2",
                         "ii", user_id, (int64_t)(max > 0 ? max : 0));
    if (!r)
        return false;
    category_rows(a, r, max, out, n);
    return true;
}

bool pg_category_of_post(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n,
                         struct err *e)
{
    enum { POST_CATEGORIES_READ_MAX = 100 }; /* more than a post can be given (domain/post.h) */
    PGresult *r = pg_run(st, e,
                         "SELECT " CATEGORY_COLUMNS " FROM post_categories pc "
                         "JOIN categories k ON k.id = pc.category_id "
                         "WHERE pc.post_id = $1 ORDER BY k.\"order\", k.id LIMIT $2",
                         "ii", post_id, (int64_t)POST_CATEGORIES_READ_MAX);
    if (!r)
        return false;
    category_rows(a, r, POST_CATEGORIES_READ_MAX, out, n);
    return true;
}
