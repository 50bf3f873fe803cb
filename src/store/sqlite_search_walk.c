/* sqlite_search_walk.c - the search engine's walks: an order's index read
 * in order with each row checked, the ranked pages of a lone term, and
 * the nearest users by growing circles of the geo index. */
#include <math.h>
#include <string.h>

#include "store/sqlite_search_engine.h"

/* ================================================================ */
/* walking an order's index                                         */

bool search_walk_key(enum search_key k, const char **expr, const char **index)
{
    switch (k) {
    case SEARCH_KEY_USERNAME:
        *expr = "u.username_fold";
        *index = "list_by_username";
        return true;
    case SEARCH_KEY_REAL_NAME:
        *expr = "u.real_name_fold";
        *index = "search_by_real_name";
        return true;
    case SEARCH_KEY_LOCATION:
        *expr = "fold(u.location)";
        *index = "search_by_location";
        return true;
    case SEARCH_KEY_DATE_JOINED:
        *expr = "u.date_joined_us";
        *index = "search_by_joined";
        return true;
    case SEARCH_KEY_ID:
        *expr = "u.id";
        *index = NULL;
        return true;
    default: return false;
    }
}

/* The distance of a users row read with the coordinates at column `col`;
 * NAN without coordinates. */
static double row_distance(const struct run *r, sqlite3_stmt *q, int col)
{
    int64_t lat, lng;
    if (!r->q->has_origin ||
        !sqlite_search_user_e7(sqlite3_column_value(q, col), sqlite3_column_value(q, col + 1),
                               sqlite3_column_value(q, col + 2), sqlite3_column_value(q, col + 3), &lat, &lng))
        return NAN;
    return geo_round_km(geo_distance_e7(r->lat0, r->lng0, lat, lng));
}

/* Whether a walk's conditions are a tag or a category (or both) and no
 * origin: the order's index carries the status and the id, the link
 * tables are probed by the id, so the walk reads no users row. */
static bool member_walk_covering(const struct run *r, unsigned conds)
{
    return (conds & (C_TAG | C_CATEGORY)) && !(conds & ~(C_TAG | C_CATEGORY)) && !r->q->has_origin;
}

bool search_walk(struct run *r, unsigned conds, const struct bits *in, bool budget)
{
    const char *expr, *index;
    enum search_key k = r->order[0].key;
    if (!search_walk_key(k, &expr, &index))
        return err_internal(r->e);
    bool desc = r->order[0].desc;
    struct sql_query b = {0};
    /* with the membership in a bitmap or a link table, the index alone
     * answers (distances come later, from the page's users rows) */
    bool covering = conds == 0 || member_walk_covering(r, conds);
    if (covering)
        buf_printf(&b.sql, "SELECT u.id, %s, NULL, NULL, NULL, NULL FROM users u", expr);
    else
        buf_printf(&b.sql,
                   "SELECT u.id, %s, u.position_lat, u.position_lng, u.location_lat, u.location_lng FROM users u",
                   expr);
    if (index)
        buf_printf(&b.sql, " INDEXED BY %s", index);
    buf_puts(&b.sql, " WHERE");
    search_row_conditions(r, &b, conds);
    if (k == SEARCH_KEY_ID)
        buf_printf(&b.sql, " ORDER BY u.id %s", desc ? "DESC" : "ASC");
    else if (k == SEARCH_KEY_USERNAME) /* unique among active users: no ties to order by id */
        buf_printf(&b.sql, " ORDER BY %s %s", expr, desc ? "DESC" : "ASC");
    else
        buf_printf(&b.sql, " ORDER BY %s %s, u.id %s", expr, desc ? "DESC" : "ASC", desc ? "DESC" : "ASC");
    /* a few dozen shapes (values are bound): parsed once per connection */
    sqlite3_stmt *q = sqlite_query_stmt(r->st, buf_str(&b.sql), &b, r->e);
    buf_free(&b.sql);
    if (!q)
        return false;
    struct window w = {.r = r};
    const char *prev_text = NULL;
    int64_t prev_int = 0;
    bool first = true, ok = true;
    int rc = SQLITE_DONE;
    int64_t visited = 0;
    while (ok && !search_page_full(r) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (budget && ++visited > sqlite_search_tuning.walk_max) {
            sqlite3_reset(q);
            r->walk_gave_up = true;
            r->n = 0;
            return true;
        }
        int64_t id = sqlite3_column_int64(q, 0);
        if (search_skipped(r, id) || (in && !search_bits_test(in, id)))
            continue;
        bool same = false;
        if (k == SEARCH_KEY_DATE_JOINED) {
            int64_t v = sqlite3_column_int64(q, 1);
            same = !first && v == prev_int;
            prev_int = v;
        } else if (k != SEARCH_KEY_ID && k != SEARCH_KEY_USERNAME) {
            const char *v = (const char *)sqlite3_column_text(q, 1);
            same = !first && !search_cmp_str(v, prev_text);
            prev_text = arena_strdup(r->a, v ? v : "");
        }
        first = false;
        ok = search_window_push(&w, id, row_distance(r, q, 2), same);
    }
    sqlite3_reset(q);
    if (ok && rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sqlite_fail(r->st, r->e, "search walk");
    /* the last group: complete, as the stream ended or moved past it */
    return ok && search_window_flush(&w);
}

/* ================================================================ */
/* counts of lone conditions, and their pages                       */

/* Puts id on the page unless it is one of the first *skip (the offset). */
static void page_offer(struct run *r, int64_t id, int64_t *skip)
{
    if (*skip > 0)
        (*skip)--;
    else
        search_page_put(r, id, NAN);
}

/* Offers the ids q returns (column 0), in order, leaving out skipped users,
 * until the page is full. Returns the last step's result code. */
static int page_ids(struct run *r, sqlite3_stmt *q, int64_t *skip)
{
    int rc = SQLITE_DONE;
    while (!search_page_full(r) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        if (!search_skipped(r, id))
            page_offer(r, id, skip);
    }
    return rc;
}

bool search_page_prefix_ranked(struct run *r, const struct src *s)
{
    sqlite3_stmt *q = sqlite_stmt(r->st,
                                  "SELECT user_id FROM search_prefix WHERE pfx = $1 AND (fields & $2) <> 0 "
                                  "ORDER BY rank, user_id",
                                  r->e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, s->text, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, s->mask);
    int64_t skip = r->q->offset;
    page_ids(r, q, &skip);
    sqlite3_reset(q);
    return true;
}

bool search_page_suffix_ranked(struct run *r, const struct src *s)
{
    int64_t skip = r->q->offset;
    /* rank 0 */
    sqlite3_stmt *x =
        sqlite_stmt(r->st, "SELECT id FROM users WHERE username_fold = $1 AND status IN ('a', 'b')", r->e);
    if (!x)
        return false;
    sqlite3_bind_text(x, 1, s->text, -1, SQLITE_STATIC);
    int64_t t0 = 0;
    if (sqlite_get_int(r->st, x, &t0, r->e) < 0)
        return false;
    if (t0 && !search_skipped(r, t0))
        page_offer(r, t0, &skip);
    /* rank 1 */
    sqlite3_stmt *q =
        sqlite_stmt(r->st, "SELECT user_id FROM search_prefix WHERE pfx = $1 AND rank = 1 ORDER BY user_id", r->e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, s->text, -1, SQLITE_STATIC);
    int rc = page_ids(r, q, &skip);
    sqlite3_reset(q);
    if (search_page_full(r))
        return true;
    if (rc != SQLITE_DONE)
        return sqlite_fail(r->st, r->e, "search rank 1");
    /* rank 2: walk by id, skipping the username prefixes */
    struct sql_query b = {0};
    buf_puts(&b.sql, "SELECT u.id FROM users u WHERE");
    search_row_conditions(r, &b, r->conds);
    buf_printf(&b.sql, " AND NOT search_starts_with(u.username_fold, $%d) ORDER BY u.id", sql_text(&b, s->text));
    sqlite3_stmt *w = sqlite_query_prepare(r->st, &b, r->e);
    if (!w)
        return false;
    page_ids(r, w, &skip);
    sqlite3_finalize(w);
    return true;
}

/* Whether the users row `id` passes `conds` (a probe per candidate). */
static int passes(struct run *r, sqlite3_stmt *check, int64_t id)
{
    if (!check)
        return 1;
    sqlite3_reset(check);
    sqlite3_bind_int64(check, 1, id);
    return sqlite_exists(r->st, check, r->e);
}

bool search_page_nearest(struct run *r)
{
    int by_points = search_page_nearest_points(r);
    if (by_points)
        return by_points > 0;
    const struct search_query *q = r->q;
    size_t need = (size_t)q->offset + (size_t)q->limit;
    /* within a radius, r->count users at most (the count is exact) */
    if (q->has_radius && r->count >= 0 && need > (size_t)r->count)
        need = (size_t)r->count;
    unsigned conds = r->conds & ~C_GEO;
    bool far = r->order[0].desc;
    const int64_t half_turn = 180LL * GEO_E7;
    int64_t clat = far ? -r->lat0 : r->lat0,
            clng = far ? (r->lng0 > 0 ? r->lng0 - half_turn : r->lng0 + half_turn) : r->lng0;
    sqlite3_stmt *check = NULL;
    if (conds) {
        struct sql_query b = {0};
        buf_printf(&b.sql, "SELECT 1 FROM users u WHERE u.id = $%d AND", sql_int(&b, 0));
        search_row_conditions(r, &b, conds);
        if (!(check = sqlite_query_prepare(r->st, &b, r->e)))
            return false;
    }
    bool ok = true;
    for (double km = SEARCH_KNN_FIRST_KM; ok; km *= SEARCH_KNN_GROWTH) {
        bool all = km >= GEO_MAX_DISTANCE_KM;
        struct geo_box box;
        geo_bbox_e7(clat, clng, all ? GEO_MAX_DISTANCE_KM * 2 : km, &box);
        struct sql_query b = {0};
        for (int i = 0; i < box.nlng; i++) {
            buf_printf(&b.sql, "%sSELECT d.id, d.lat_min, d.lng_min FROM search_geo d", i ? " UNION ALL " : "");
            buf_printf(&b.sql, " WHERE d.lat_min >= $%d AND d.lat_max <= $%d", sql_int(&b, box.lat_min),
                       sql_int(&b, box.lat_max));
            buf_printf(&b.sql, " AND d.lng_min >= $%d AND d.lng_max <= $%d", sql_int(&b, box.lng_min[i]),
                       sql_int(&b, box.lng_max[i]));
        }
        sqlite3_stmt *st = sqlite_query_prepare(r->st, &b, r->e);
        if (!st) {
            ok = false;
            break;
        }
        r->ncands = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0), lat = sqlite3_column_int64(st, 1),
                    lng = sqlite3_column_int64(st, 2);
            if (!all && geo_distance_e7(clat, clng, lat, lng) > km + 0.001)
                continue; /* outside the circle (with the bounding box's margin) */
            double dist = geo_round_km(geo_distance_e7(r->lat0, r->lng0, lat, lng));
            if (!search_skipped(r, id) && (!q->has_radius || dist <= q->radius_km))
                search_cand_add(r, id, dist);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            ok = sqlite_fail(r->st, r->e, "search nearest");
            break;
        }
        /* the candidates in page order; those passing the conditions, up to
         * the page and the end of its last group of equal distances */
        search_sort_cands(r->cands, r->ncands, far);
        size_t kept = 0;
        for (size_t i = 0; i < r->ncands; i++) {
            if (kept >= need && (kept == 0 || r->cands[i].dist != r->cands[kept - 1].dist))
                break;
            int pass = passes(r, check, r->cands[i].id);
            if (pass < 0) {
                ok = false;
                break;
            }
            if (pass)
                r->cands[kept++] = r->cands[i];
        }
        if (!ok)
            break;
        /* complete when every user outside the circle comes after the last
         * kept one: nearer than (far) or beyond (near) its distance, with a
         * metre of margin for rounding */
        bool complete = all || (kept >= need && (far ? r->cands[kept - 1].dist > GEO_MAX_DISTANCE_KM - km + 0.002
                                                     : r->cands[kept - 1].dist < km - 0.002));
        if (complete) {
            ok = search_place_by_distance(r, r->cands, kept, false);
            break;
        }
    }
    sqlite3_finalize(check);
    return ok;
}
