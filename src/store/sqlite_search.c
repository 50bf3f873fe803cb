/* sqlite_search.c - answering a search_query (model/search.h) from the
 * 005_search indexes, with an exact count and without reading every user.
 *
 * A query is a set of conditions. Some have an index that lists their
 * users ("sources": a text term, a tag, a category, a radius, staff); the
 * others are checked per user (gender, age, staff, having coordinates).
 * Two ways to answer, chosen per query:
 *
 *  collect  The smallest source is scanned ("driver"); gender, age and staff
 *           are checked on the index rows themselves; the other sources are
 *           scanned into bitmaps or checked on the users row. The matches go
 *           into a bitmap of user ids: its population is the count, and the
 *           page is read from it (ids and relevance in order, a small result
 *           sorted in memory, a large one walked in the order's index).
 *  walk     The count is maintained (search_count): one source alone with
 *           many matches, or no source at all (any mix of gender, age, staff
 *           and "has coordinates" sums a few ranges of counts). The page is
 *           read by walking the order's index (the prefix index is already
 *           in relevance order) and checking each row: about
 *           (offset + limit) * active users / count rows. When that would
 *           be more than collecting, it collects.
 *
 * A term of the names of 3 to 5 characters is a source read from
 * search_name (023_search_attrs.sql), whose keys carry gender and birth
 * date after the term's first characters: with a gender or an age, the
 * collect reads only the matching users' rows (one range per distinct
 * head), not every suffix row of the term.
 *
 * The viewer's hidden users and `exclude` are removed in memory (from the
 * collected bitmap, or from a maintained count by checking them one by
 * one). An origin without a radius that orders by distance reads the geo
 * index in growing circles until the page is inside one.
 */
#include "store/store.h"

#include <math.h>
#include <string.h>

#include "store/sqlite_search_engine.h"

struct search_tuning sqlite_search_tuning = {
    .collect_max = 20000, .sort_max = 500, .walk_max = 60000, .bitmap_ratio = 8};

void store_search_tune(const struct search_tuning *t) { sqlite_search_tuning = *t; }

/* ================================================================ */
/* entry                                                            */

static bool load_page(struct run *r, struct search_page *out)
{
    out->n = 0;
    out->items = arena_alloc(r->a, sizeof *out->items * (size_t)(r->n ? r->n : 1));
    out->distance = r->q->has_origin ? arena_alloc(r->a, sizeof *out->distance * (size_t)(r->n ? r->n : 1)) : NULL;
    for (int i = 0; i < r->n; i++) {
        int found = store_user_get(r->st, r->a, r->ids[i], &out->items[out->n], r->e);
        if (found < 0)
            return false;
        if (!found)
            continue; /* cannot happen inside the read transaction */
        if (out->distance) {
            double d = r->dist[i];
            if (isnan(d)) {
                const struct user *u = &out->items[out->n];
                bool pos = u->has_position_ll;
                d = geo_round_km(geo_distance_e7(r->lat0, r->lng0, geo_e7(pos ? u->position_lat : u->location_lat),
                                                 geo_e7(pos ? u->position_lng : u->location_lng)));
            }
            out->distance[out->n] = d;
        }
        out->n++;
    }
    return true;
}

static bool run_search(struct run *r)
{
    const struct search_query *q = r->q;
    if (!search_prepare_run(r))
        return false;
    if (q->gender && r->gender_code == SEARCH_GENDER_OTHER)
        return true; /* no user can have an unknown gender (profile updates validate it) */
    r->active = search_count_key(r, "a");
    sqlite3_stmt *m = sqlite_stmt(r->st, "SELECT coalesce(max(id), 0) FROM users", r->e);
    if (!m || r->active < 0)
        return false;
    if (sqlite_get_int(r->st, m, &r->max_id, r->e) < 0)
        return false;
    /* sizes choose the driver; a radius alone needs none (it costs a scan) */
    for (int i = 0; i < r->nsrc; i++)
        if ((r->nsrc > 1 || r->src[i].kind != SRC_GEO) && !search_estimate(r, &r->src[i]))
            return false;

    const struct search_order *o = &r->order[0];
    int64_t lone = search_lone_count(r);
    if (lone == -1)
        return false;
    /* a lone short term's ranked page is one walk of the prefix index,
     * whatever its count: never collect it; otherwise walk when the rows a
     * walk expects cost less than collecting the matches */
    bool prefix_ranked = r->nsrc == 1 && r->src[0].kind == SRC_PREFIX && o->key == SEARCH_KEY_RELEVANCE;
    double expected = lone > 0 ? (double)((int64_t)q->offset + q->limit) * (double)r->active / (double)lone : 0;
    bool cheap_walk =
        lone > 0 && expected < sqlite_search_tuning.walk_max && expected * SEARCH_WALK_PER_COLLECT < (double)lone;
    /* a radius counted from its cells: the nearest users are the page */
    bool radius_counted = r->conds == C_GEO && q->has_radius;
    if (lone >= 0 &&
        (r->nsrc == 0 || lone > sqlite_search_tuning.collect_max || prefix_ranked || cheap_walk || radius_counted)) {
        /* walk: the count is maintained */
        int64_t hidden;
        if (!search_count_skipped(r, r->conds, &hidden))
            return false;
        r->count = lone - hidden;
        if (q->offset >= r->count)
            return true;
        const struct src *s = r->nsrc ? &r->src[0] : NULL;
        int64_t need = (int64_t)q->offset + q->limit;
        double walk_rows = (double)need * (double)(r->active > 0 ? r->active : 1) / (double)r->count;
        if (o->key == SEARCH_KEY_RELEVANCE && s && s->kind == SRC_PREFIX)
            return search_page_prefix_ranked(r, s);
        if (o->key == SEARCH_KEY_DISTANCE)
            return search_page_nearest(r);
        if (walk_rows < sqlite_search_tuning.walk_max || r->nsrc == 0) {
            if (o->key == SEARCH_KEY_RELEVANCE)
                return search_page_suffix_ranked(r, s);
            if (!search_walk(r, r->conds, NULL, r->nsrc > 0))
                return false;
            if (!r->walk_gave_up)
                return true;
        }
        /* a deep page, or matches far along the order: collect */
        r->count = 0;
    }
    if (r->nsrc > 0) {
        if (!search_collect(r))
            return false;
        return search_page_from_collected(r);
    }
    /* no indexed condition and no maintained count: cannot happen today
     * (lone_count covers every mix without a source); kept as the safe
     * answer should a condition be added without a count */
    struct sql_query b = {0};
    buf_puts(&b.sql, "SELECT count(*) FROM users u WHERE");
    search_row_conditions(r, &b, r->conds);
    if (!sqlite_query_count(r->st, &b, &r->count, r->e))
        return false;
    int64_t hidden;
    if (!search_count_skipped(r, r->conds, &hidden))
        return false;
    r->count -= hidden;
    if (q->offset >= r->count)
        return true;
    if (o->key == SEARCH_KEY_DISTANCE)
        return search_page_nearest(r);
    return search_walk(r, r->conds, NULL, false);
}

bool sqlite_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                         struct err *e)
{
    memset(out, 0, sizeof *out);
    if (q->nothing)
        return true;
    struct run r = {.st = st, .a = a, .q = q, .e = e};
    size_t room = (size_t)(q->limit > 0 ? q->limit : 1);
    r.ids = arena_alloc(a, sizeof *r.ids * room);
    r.dist = arena_alloc(a, sizeof *r.dist * room);
    /* one read snapshot: the count and the page see the same data */
    bool own;
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    bool ok = run_search(&r) && load_page(&r, out);
    sqlite_snapshot_end(st, own);
    if (!ok)
        return false;
    out->count = r.count < 0 ? 0 : r.count;
    return true;
}
