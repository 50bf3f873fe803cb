/* pg_tag.c - tags and the tags of users (tags, user_tags), for the
 * PostgreSQL backend (the SQLite one is sqlite_tag.c). Names are compared
 * and ordered by their stored fold (tags.name_fold, written here). */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "model/tag.h"
#include "store/pg_internal.h"
#include "store/tag_ids.h"

#define TAG_COLUMNS "t.id, t.type, t.name, t.description, t.color, t.visible, t.active, t.deleted, t.created_us"

static void tag_from_row(struct arena *a, const PGresult *r, int row, int col, struct tag *t)
{
    t->id = pg_col_int(r, row, col);
    t->type = pg_col_text(a, r, row, col + 1);
    t->name = pg_col_text(a, r, row, col + 2);
    t->description = pg_col_text(a, r, row, col + 3);
    t->color = pg_col_text(a, r, row, col + 4);
    t->visible = pg_col_int(r, row, col + 5) != 0;
    t->active = pg_col_int(r, row, col + 6) != 0;
    t->deleted = pg_col_int(r, row, col + 7) != 0;
    t->created_us = pg_col_int(r, row, col + 8);
}

static void read_tag(struct arena *a, const PGresult *r, int row, void *out) { tag_from_row(a, r, row, 0, out); }

/* The stored fold of a name (malloc'd; the caller frees it). */
static char *name_fold(const char *name)
{
    char *f = text_fold_malloc(name, strlen(name));
    return f ? f : calloc(1, 1);
}

static bool unique_error(struct err *e)
{
    return err_field(e, "name", "unique", "A tag with this type and name already exists.");
}

bool pg_tag_insert(struct store *st, const struct tag *t, int64_t *id, struct err *e)
{
    char *fold = name_fold(t->name);
    if (!fold)
        return err_internal(e);
    /* a taken (type, name) inserts nothing: no row back */
    int got = pg_int(st, id, e,
                     "INSERT INTO tags (type, name, name_fold, description, color, visible, active, deleted, "
                     "created_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
                     "sssssiiii", t->type, t->name, fold, t->description, t->color, (int64_t)t->visible,
                     (int64_t)t->active, (int64_t)t->deleted, clock_now_us());
    free(fold);
    if (got < 0)
        return false;
    return got ? true : unique_error(e);
}

int pg_tag_get(struct store *st, struct arena *a, int64_t id, struct tag *out, struct err *e)
{
    return pg_row(st, a, read_tag, out, e, "SELECT " TAG_COLUMNS " FROM tags t WHERE t.id = $1", "i", id);
}

bool pg_tag_update(struct store *st, const struct tag *t, struct err *e)
{
    char *fold = name_fold(t->name);
    if (!fold)
        return err_internal(e);
    int done = pg_exec_unique(st, e,
                              "UPDATE tags SET type = $1, name = $2, name_fold = $3, description = $4, color = $5, "
                              "visible = $6, active = $7, deleted = $8 WHERE id = $9",
                              "sssssiiii", t->type, t->name, fold, t->description, t->color, (int64_t)t->visible,
                              (int64_t)t->active, (int64_t)t->deleted, t->id);
    free(fold);
    if (done < 0)
        return false;
    return done ? true : unique_error(e);
}

/* The tags table is small (an admin's vocabulary): one statement whose
 * absent filters are NULL or -1. f->search is already folded. */
#define TAG_WHERE                                                                                                \
    " FROM tags t WHERE ($1::text IS NULL OR t.type = $1) AND ($2::text IS NULL OR strpos(t.name_fold, $2) > 0)" \
    " AND ($3 < 0 OR t.visible = $3) AND ($4 < 0 OR t.active = $4) AND ($5 < 0 OR t.deleted = $5)"

static bool tag_list_read(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out,
                          struct err *e)
{
    if (!pg_count(st, &out->count, e, "SELECT count(*)" TAG_WHERE, "ssiii", f->type, f->search, (int64_t)f->visible,
                  (int64_t)f->active, (int64_t)f->deleted))
        return false;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(f->limit > 0 ? f->limit : 1));
    out->n = 0;
    PGresult *r = pg_run(st, e, "SELECT " TAG_COLUMNS TAG_WHERE " ORDER BY t.id LIMIT $6 OFFSET $7", "ssiiiii", f->type,
                         f->search, (int64_t)f->visible, (int64_t)f->active, (int64_t)f->deleted, (int64_t)f->limit,
                         (int64_t)f->offset);
    if (!r)
        return false;
    int rows = PQntuples(r);
    for (int i = 0; i < rows && out->n < f->limit; i++)
        tag_from_row(a, r, i, 0, &out->items[out->n++]);
    PQclear(r);
    return true;
}

bool pg_tag_list(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out, struct err *e)
{
    bool own;
    /* one read snapshot for the count and the page */
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    bool ok = tag_list_read(st, a, f, out, e);
    pg_snapshot_end(st, own);
    return ok;
}

bool pg_tag_assign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e)
{
    return pg_exec(st, e, "INSERT INTO user_tags (user_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", "ii",
                   user_id, tag_id);
}

bool pg_tag_unassign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e)
{
    return pg_exec(st, e, "DELETE FROM user_tags WHERE user_id = $1 AND tag_id = $2", "ii", user_id, tag_id);
}

bool pg_tag_of_users(struct store *st, struct arena *a, const int64_t *users, int n, struct user_tag **out, int *nout,
                     struct err *e)
{
    *out = NULL;
    *nout = 0;
    if (n <= 0) {
        *out = arena_alloc(a, sizeof **out);
        return true;
    }
    /* one statement for the page: the users in their given order (a user
     * given twice gets its tags twice, as one probe per user would). One
     * user (GET user, me) has a statement of its own: PostgreSQL plans the
     * array's join afresh at every execution (its generic plan guesses 100
     * elements), which costs more than running it. */
    PGresult *r =
        n == 1 ? pg_run(st, e,
                        "SELECT ut.user_id, " TAG_COLUMNS " FROM user_tags ut JOIN tags t ON t.id = ut.tag_id "
                        "WHERE ut.user_id = $1 AND t.deleted = 0 ORDER BY ut.tag_id",
                        "i", users[0])
               : pg_run(st, e,
                        "SELECT ut.user_id, " TAG_COLUMNS " FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, pos) "
                        "JOIN user_tags ut ON ut.user_id = u.id JOIN tags t ON t.id = ut.tag_id "
                        "WHERE t.deleted = 0 ORDER BY u.pos, ut.tag_id",
                        "a", users, (size_t)n);
    if (!r)
        return false;
    int rows = PQntuples(r);
    struct user_tag *v = arena_alloc(a, sizeof *v * (size_t)(rows > 0 ? rows : 1));
    for (int i = 0; i < rows; i++) {
        v[i].user_id = pg_col_int(r, i, 0);
        tag_from_row(a, r, i, 1, &v[i].tag);
    }
    PQclear(r);
    *out = v;
    *nout = rows;
    return true;
}

bool pg_tag_by_ids(struct store *st, struct arena *a, const int64_t *ids, int n, struct tag **out, int *nout,
                   struct err *e)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
    *nout = 0;
    if (n <= 0)
        return true;
    /* one statement for the page's few distinct tags; their order is
     * the caller's, restored below */
    PGresult *r =
        pg_run(st, e, "SELECT " TAG_COLUMNS " FROM tags t WHERE t.id = ANY($1::bigint[])", "a", ids, (size_t)n);
    if (!r)
        return false;
    int rows = PQntuples(r);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < rows; j++)
            if (pg_col_int(r, j, 0) == ids[i]) {
                tag_from_row(a, r, j, 0, &(*out)[(*nout)++]);
                break;
            }
    PQclear(r);
    return true;
}

bool pg_tag_addressable(struct store *st, struct arena *a, int64_t user_id, int max, struct tag **out, int *n,
                        struct err *e)
{
    *out = NULL;
    *n = 0;
    PGresult *r = pg_run(st, e,
                         "SELECT " TAG_COLUMNS " FROM tags t WHERE t.type = 'user' AND t.active = 1 "
                         "AND t.deleted = 0 AND ($1 = 0 OR (t.visible = 1 AND EXISTS (SELECT 1 FROM "
                         "user_tags ut WHERE ut.user_id = $1 AND ut.tag_id = t.id))) "
                         "ORDER BY t.name_fold COLLATE \"C\", t.id LIMIT $2",
                         "ii", user_id, (int64_t)(max > 0 ? max : 0));
    if (!r)
        return false;
    int rows = PQntuples(r);
    struct tag *v = arena_alloc(a, sizeof *v * (size_t)(max > 0 ? max : 1));
    for (int i = 0; i < rows && *n < max; i++)
        tag_from_row(a, r, i, 0, &v[(*n)++]);
    PQclear(r);
    *out = v;
    return true;
}

int64_t pg_tag_ids_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    /* the rows grouped once (a hash join), only the differing users back */
    PGresult *r = pg_run(st, e,
                         "SELECT u.id, u.tag_ids, g.ids FROM users u LEFT JOIN (SELECT user_id, "
                         "string_agg(tag_id::text, ',' ORDER BY tag_id) AS ids FROM user_tags GROUP BY user_id) g "
                         "ON g.user_id = u.id WHERE u.tag_ids IS DISTINCT FROM g.ids ORDER BY u.id",
                         "");
    if (!r)
        return -1;
    int64_t differences = PQntuples(r);
    for (int row = 0; fn && row < PQntuples(r); row++) {
        const char *stored = PQgetisnull(r, row, 1) ? NULL : PQgetvalue(r, row, 1);
        const char *actual = PQgetisnull(r, row, 2) ? NULL : PQgetvalue(r, row, 2);
        fn(ctx, "user", pg_col_int(r, row, 0), "tag_ids", tag_ids_count(stored), tag_ids_count(actual));
    }
    PQclear(r);
    return differences;
}
