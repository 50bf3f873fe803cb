/* pg_search_check.c - the references for the PostgreSQL search: the same
 * query answered without the search indexes (every active user's row read,
 * word starts tested in C with utf8proc), the audit of what hearth
 * maintains for search (the folded columns and search_words against their
 * recomputation, search_count against a recount), and its rebuild. Slow
 * on purpose; for tests, audits and `hearth seed --reindex`, never for
 * requests. */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "core/text.h"
#include "model/search.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/pg_search_internal.h"
#include "store/search_words.h"
#include "store/seed.h"
#include "store/test_hooks.h"

/* ================================================================ */
/* the reference                                                    */

/* The query's rows in its order, from statements that use no search index
 * form: short terms matched as substrings here and narrowed by the C
 * word-start test, the radius tested on the distance C computes (columns
 * 5..8 are the raw coordinates), the rest counted and paged in C. */

/* Whether the row passes the short terms' word-start tests (columns 1..4
 * of r are the folded fields). */
static bool short_terms_pass(const struct pg_search_sql *s, const PGresult *r, int row)
{
    for (int i = 0; i < s->nshort; i++) {
        bool any = false;
        for (int f = 0; f < PG_SEARCH_FIELDS && !any; f++)
            if (s->short_fields[i] & (1 << f))
                any = search_word_start(PQgetvalue(r, row, 1 + f), s->short_terms[i]);
        if (!any)
            return false;
    }
    return true;
}

bool pg_search_users_naive(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                           struct err *e)
{
    memset(out, 0, sizeof *out);
    if (q->nothing)
        return true;
    struct pg_search_sql s;
    pg_search_begin(&s, a, q, true);
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT u.id, u.username_fold, u.real_name_fold, u.location_fold, u.description_fold, "
                   "u.position_lat, u.position_lng, u.location_lat, u.location_lng");
    pg_search_dist_column(&s, &sql);
    buf_puts(&sql, buf_str(&s.w.sql));
    pg_search_order(&s, &sql);
    bool own, ok = false;
    PGresult *r = NULL;
    if (!pg_snapshot_begin(st, &own, e))
        goto done;
    if (!(r = pg_query_custom(st, buf_str(&sql), &s.w, e)))
        goto end;
    size_t room = (size_t)(q->limit > 0 ? q->limit : 1);
    out->items = arena_alloc(a, sizeof *out->items * room);
    out->distance = q->has_origin ? arena_alloc(a, sizeof *out->distance * room) : NULL;
    for (int i = 0; i < PQntuples(r); i++) {
        if (!short_terms_pass(&s, r, i))
            continue;
        double dist = 0;
        if (q->has_origin) {
            /* in C, as results show it: the SQL distance is what is checked */
            bool pos = !pg_col_null(r, i, 5) && !pg_col_null(r, i, 6);
            dist = geo_round_km(geo_distance_e7(geo_e7(q->lat), geo_e7(q->lng), geo_e7(pg_col_real(r, i, pos ? 5 : 7)),
                                                geo_e7(pg_col_real(r, i, pos ? 6 : 8))));
            if (q->has_radius && !(dist <= q->radius_km))
                continue;
        }
        if (out->count++ < q->offset || out->n >= q->limit)
            continue;
        int found = store_user_get(st, a, pg_col_int(r, i, 0), &out->items[out->n], e);
        if (found != 1) {
            if (found == 0)
                err_internal(e);
            goto end;
        }
        if (out->distance)
            out->distance[out->n] = dist;
        out->n++;
    }
    ok = true;
end:
    pg_snapshot_end(st, own);
done:
    PQclear(r);
    buf_free(&sql);
    buf_free(&s.w.sql);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

/* ================================================================ */
/* audit and rebuild                                                */

/* Rows of users read per statement by the audit and the rebuild. */
enum { PG_SEARCH_BATCH = 5000 };

/* Whether the stored folds and words of row i equal their recomputation;
 * when not and `fix`, writes them. Columns: id, username, real_name,
 * location, description, then the four folds and search_words. */
static int row_drift(struct store *st, const PGresult *r, int i, bool fix, struct err *e)
{
    char *fold[PG_SEARCH_FIELDS];
    bool oom = false, same = true;
    for (int f = 0; f < PG_SEARCH_FIELDS; f++) {
        const char *raw = PQgetvalue(r, i, 1 + f);
        fold[f] = text_fold_malloc(raw, strlen(raw));
        if (!fold[f])
            fold[f] = calloc(1, 1);
        if (!fold[f])
            oom = true;
        else if (strcmp(fold[f], PQgetvalue(r, i, 5 + f)))
            same = false;
    }
    char *words = oom ? NULL : pg_search_words_dup(fold[0], fold[1], fold[2], fold[3]);
    if (words && strcmp(words, PQgetvalue(r, i, 9)))
        same = false;
    int rc = same ? 0 : 1;
    if (oom || !words) {
        err_internal(e);
        rc = -1;
    } else if (!same && fix &&
               !pg_exec(st, e,
                        "UPDATE users SET username_fold = $1, real_name_fold = $2, location_fold = $3, "
                        "description_fold = $4, search_words = $5::text[] WHERE id = $6",
                        "sssssi", fold[0], fold[1], fold[2], fold[3], words, pg_col_int(r, i, 0))) {
        rc = -1;
    }
    for (int f = 0; f < PG_SEARCH_FIELDS; f++)
        free(fold[f]);
    free(words);
    return rc;
}

/* Walks every user in id order, counting (and with `fix`, rewriting) the
 * rows whose search columns drifted. -1 on error. */
static int64_t walk_users(struct store *st, bool fix, struct err *e)
{
    int64_t drift = 0, after = 0;
    for (;;) {
        PGresult *r = pg_run(st, e,
                             "SELECT id, username, real_name, location, description, username_fold, real_name_fold, "
                             "location_fold, description_fold, search_words::text FROM users WHERE id > $1 "
                             "ORDER BY id LIMIT $2",
                             "ii", after, (int64_t)PG_SEARCH_BATCH);
        if (!r)
            return -1;
        int rows = PQntuples(r);
        for (int i = 0; i < rows; i++) {
            int d = row_drift(st, r, i, fix, e);
            if (d < 0) {
                PQclear(r);
                return -1;
            }
            drift += d;
        }
        if (rows)
            after = pg_col_int(r, rows - 1, 0);
        PQclear(r);
        if (rows < PG_SEARCH_BATCH)
            return drift;
    }
}

int64_t pg_search_check(struct store *st, struct err *e)
{
    bool own;
    if (!pg_snapshot_begin(st, &own, e))
        return -1;
    int64_t n = walk_users(st, false, e), counts = n < 0 ? -1 : pg_search_counts_check(st, e);
    pg_snapshot_end(st, own);
    return counts < 0 ? -1 : n + counts;
}

bool pg_search_reindex(struct store *st, struct err *e)
{
    if (!store_begin(st, e))
        return false;
    /* writers wait: the counts are recomputed from one state of the tables */
    if (!pg_exec_simple(
            st, e, "SET LOCAL synchronous_commit = on; LOCK TABLE users, user_tags, category_follows IN SHARE MODE") ||
        walk_users(st, true, e) < 0 || !pg_search_counts_rebuild(st, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    /* search_name's rows marked visible to all, for index-only scans, first
     * (VACUUM runs outside any transaction and marks a page once the commit
     * that wrote it is flushed, synchronous_commit above: before any commit
     * that does not wait), then the GIN and btree indexes rebuilt from the
     * rows, and fresh statistics */
    return pg_exec_simple(st, e, "VACUUM search_name") &&
           pg_exec_simple(st, e,
                          "REINDEX INDEX users_search_words; REINDEX INDEX users_search_username_trgm; "
                          "REINDEX INDEX users_search_real_name_trgm; REINDEX INDEX users_search_location_trgm; "
                          "REINDEX INDEX users_search_description_trgm; REINDEX INDEX users_search_point; "
                          "ANALYZE users");
}
