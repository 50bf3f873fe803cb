/* pg_search.c - answering a search_query (model/search.h) on PostgreSQL,
 * in one snapshot: the count, then the page.
 *
 * The count comes from search_count (008_search_counts.sql, pg_search_
 * count.c) when keys answer the conditions; otherwise it is one count
 * over indexes the planner combines (BitmapAnd/BitmapOr):
 *   - a text term of 3+ characters: LIKE '%term%' on the folded column,
 *     pg_trgm GIN (the trigram match is rechecked on the row, so it is
 *     exact: both sides are folded in C, LIKE compares bytes);
 *   - a term of 1-2 characters: its word-start elements in search_words
 *     (GIN; exact, since hearth computed them with utf8proc);
 *   - age: the birth date's btree; tag and category: their link tables;
 *   - a radius: the GiST of the search point on the unit sphere (a cube
 *     around the origin), then the haversine of search_km (the same as
 *     C's, rounded to the metre; the planner writes it in line), compared
 *     with the radius.
 * The page: with few matches, all read and sorted; with many, relevance
 * and distance pages walk indexes in order and stop after offset + limit
 * rows. A distance page with nothing but an origin (a radius, hides and
 * exclude aside) takes the nearest points of search_geo_point that hold
 * it and each point's first users in id order (pg_search_geo.c), so a
 * tie at a point thousands share is not read whole; with a radius the
 * count comes with it (pg_search_radius_page). A name term with nothing
 * but gender, age, staff, hides and exclude (or alone, of 4-5
 * characters) counts and pages in one statement: of 3 to 5 characters
 * from search_name's index alone (020_search_name.sql: the term's heads,
 * each one key range of gender and birth dates), longer ones from
 * search_text's trigrams (012_search_text.sql). A lone tag in username
 * order reads its page from search_tag_member (017_search_links.sql),
 * the count and the page's ids in one statement. Any other tag or category
 * page (no text, no distance) reads the members from the link table's
 * index and sorts them when they are few, else
 * walks the order's index and probes each row's membership, whichever
 * reads fewer rows. A statement whose best plan depends on its values is
 * planned for them at every run (unnamed, pg_query_custom); one whose
 * best plan is the same for any values keeps its plan (a page's rows by
 * id, the hidden users' count, the maintained counts, and the PL/pgSQL
 * steps of distance pages and of a lone term's relevance walks), all
 * without parallel workers or JIT. The order is the one contract §3
 * states and store_search_users_naive writes: the keys
 * given, else relevance (exact username, username prefix, other) with a
 * term, else the fallback; then id ascending. */
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "core/text.h"
#include "model/search.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/pg_search_internal.h"

/* ================================================================ */
/* conditions                                                       */

static const char *const field_columns[PG_SEARCH_FIELDS] = {"u.username_fold", "u.real_name_fold", "u.location_fold",
                                                            "u.description_fold"};

/* LIKE's pattern of "contains term": its %, _ and \ escaped. */
static const char *like_contains(struct arena *a, const char *term)
{
    size_t n = strlen(term);
    char *p = arena_alloc(a, 2 * n + 3), *o = p;
    *o++ = '%';
    for (size_t i = 0; i < n; i++) {
        if (term[i] == '%' || term[i] == '_' || term[i] == '\\')
            *o++ = '\\';
        *o++ = term[i];
    }
    *o++ = '%';
    *o = 0;
    return p;
}

bool pg_search_short(const char *term) { return text_chars(term) <= PG_SEARCH_PREFIX_CHARS; }

/* One text condition on the fields in `fields` (bits 1 << k), any of them. */
static void text_condition(struct pg_search_sql *s, int fields, const char *term)
{
    struct sql_query *b = &s->w;
    bool first = true;
    buf_puts(&b->sql, " AND (");
    if (pg_search_short(term) && s->naive) {
        /* the reference: a superset here, the word start tested in C */
        int k = sql_text(b, term);
        for (int f = 0; f < PG_SEARCH_FIELDS; f++)
            if (fields & (1 << f)) {
                buf_printf(&b->sql, "%sstrpos(%s, $%d) > 0", first ? "" : " OR ", field_columns[f], k);
                first = false;
            }
        s->short_fields[s->nshort] = fields;
        s->short_terms[s->nshort++] = term;
    } else if (pg_search_short(term)) {
        /* ARRAY[...] of values, not a text[] value: the planner sees its
         * elements and estimates from the GIN's statistics */
        buf_puts(&b->sql, "u.search_words && ARRAY[");
        for (int f = 0; f < PG_SEARCH_FIELDS; f++)
            if (fields & (1 << f)) {
                size_t n = strlen(term);
                char *el = arena_alloc(s->a, n + 2);
                el[0] = (char)('1' + f);
                memcpy(el + 1, term, n + 1);
                buf_printf(&b->sql, "%s$%d", first ? "" : ", ", sql_text(b, el));
                first = false;
            }
        buf_puts(&b->sql, "]::text[]");
    } else if (s->naive) {
        int k = sql_text(b, term);
        for (int f = 0; f < PG_SEARCH_FIELDS; f++)
            if (fields & (1 << f)) {
                buf_printf(&b->sql, "%sstrpos(%s, $%d) > 0", first ? "" : " OR ", field_columns[f], k);
                first = false;
            }
    } else {
        int k = sql_text(b, like_contains(s->a, term));
        for (int f = 0; f < PG_SEARCH_FIELDS; f++)
            if (fields & (1 << f)) {
                buf_printf(&b->sql, "%s%s LIKE $%d", first ? "" : " OR ", field_columns[f], k);
                first = false;
            }
    }
    buf_puts(&b->sql, ")");
}

/* The user's search point, as 006_search.sql's index writes it. */
#define LAT_E7 "search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng)"
#define LNG_E7 "search_lng_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng)"

#define SEARCH_PI 3.14159265358979323846

/* The distance in km from the origin (binds lat, lng, in 1e-7 degree) to
 * the user's point: search_km, which the planner writes out in line
 * (011_search_inline.sql), so a radius costs no function call per row. */
static void km_expr(struct buf *out, int lat, int lng)
{
    buf_printf(out, "search_km($%d, $%d, " LAT_E7 ", " LNG_E7 ")", lat, lng);
}

/* The point the GiST indexes (008_search_counts.sql). */
#define POINT "search_point(" LAT_E7 ", " LNG_E7 ")"

/* The origin on the unit sphere, as search_point computes a user's. */
static const char *origin_cube(struct arena *a, const struct search_query *q)
{
    double p = (double)geo_e7(q->lat) / GEO_E7 * (SEARCH_PI / 180),
           l = (double)geo_e7(q->lng) / GEO_E7 * (SEARCH_PI / 180);
    return arena_printf(a, "(%.17g, %.17g, %.17g)", cos(p) * cos(l), cos(p) * sin(l), sin(p));
}

/* The chord of a great-circle distance on the unit sphere, a little
 * longer (the cube is a prefilter: it may hold more, never less). */
static double chord_of(double km)
{
    double angle = km / GEO_EARTH_RADIUS_KM;
    if (angle > SEARCH_PI)
        angle = SEARCH_PI;
    return 2 * sin(angle / 2) + 1e-9;
}

/* A birth date bound as the column spells it. */
static const char *dob_text(struct arena *a, int yyyymmdd)
{
    char *s = arena_alloc(a, 16);
    snprintf(s, 16, "%04d-%02d-%02d", yyyymmdd / 10000 % 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
    return s;
}

void pg_search_where(struct pg_search_sql *s)
{
    const struct search_query *q = s->q;
    struct sql_query *b = &s->w;
    if (s->skipped)
        /* the few users the viewer hides and the excluded one, read first
         * by primary key: the conditions below only filter them, so the
         * planner weighs no index for them (planning is most of this
         * statement's cost) */
        buf_printf(&b->sql,
                   " FROM (SELECT * FROM users WHERE id = ANY(ARRAY(SELECT h.hidden_id FROM hides h WHERE h.user_id = "
                   "$%d UNION ALL SELECT $%d::bigint)) OFFSET 0) u WHERE u.status IN ('a', 'b')",
                   sql_int(b, q->viewer_id), sql_int(b, q->exclude_id));
    else
        buf_puts(&b->sql, " FROM users u WHERE u.status IN ('a', 'b')");
    if (q->term)
        text_condition(s, 1 | 2, q->term);
    const char *terms[PG_SEARCH_FIELDS] = {q->username, q->real_name, q->location, q->description};
    for (int f = 0; f < PG_SEARCH_FIELDS; f++)
        if (terms[f])
            text_condition(s, 1 << f, terms[f]);
    if (q->gender)
        buf_printf(&b->sql, " AND u.gender = $%d", sql_text(b, q->gender));
    if (q->has_age) {
        if (s->naive) {
            buf_printf(&b->sql, " AND replace(u.date_of_birth, '-', '')::bigint > $%d", sql_int(b, q->dob_after));
            if (q->dob_upto)
                buf_printf(&b->sql, " AND replace(u.date_of_birth, '-', '')::bigint <= $%d", sql_int(b, q->dob_upto));
        } else {
            /* dates are YYYY-MM-DD: their bytes order as their numbers */
            buf_printf(&b->sql, " AND u.date_of_birth COLLATE \"C\" > $%d", sql_text(b, dob_text(s->a, q->dob_after)));
            if (q->dob_upto)
                buf_printf(&b->sql, " AND u.date_of_birth COLLATE \"C\" <= $%d",
                           sql_text(b, dob_text(s->a, q->dob_upto)));
        }
    }
    if (q->staff != SEARCH_STAFF_ANY)
        buf_puts(&b->sql, q->staff == SEARCH_STAFF_ONLY ? " AND u.role IS NOT NULL" : " AND u.role IS NULL");
    if (q->tag_id && s->members)
        buf_printf(&b->sql, " AND u.id = ANY(ARRAY(SELECT t.user_id FROM user_tags t WHERE t.tag_id = $%d))",
                   sql_int(b, q->tag_id));
    else if (q->tag_id)
        buf_printf(&b->sql, " AND EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.id AND t.tag_id = $%d)",
                   sql_int(b, q->tag_id));
    if (q->category_id && s->members)
        buf_printf(&b->sql,
                   " AND u.id = ANY(ARRAY(SELECT c.user_id FROM category_follows c WHERE c.category_id = $%d))",
                   sql_int(b, q->category_id));
    else if (q->category_id)
        buf_printf(&b->sql,
                   " AND EXISTS (SELECT 1 FROM category_follows c WHERE c.user_id = u.id AND c.category_id = $%d)",
                   sql_int(b, q->category_id));
    if (q->has_origin) {
        buf_puts(&b->sql, " AND " LAT_E7 " IS NOT NULL");
        if (q->has_radius && !s->naive) {
            /* the GiST's cube around the origin holds every point within
             * the radius's chord; the exact distance then decides */
            buf_printf(&b->sql, " AND " POINT " <@ cube_enlarge($%d::cube, $%d, 3)", sql_text(b, origin_cube(s->a, q)),
                       sql_real(b, chord_of(q->radius_km)));
            buf_puts(&b->sql, " AND ");
            km_expr(&b->sql, s->lat_bind, s->lng_bind);
            buf_printf(&b->sql, " <= $%d", sql_real(b, q->radius_km));
        }
    }
    if (s->skipped)
        return;
    if (q->viewer_id)
        buf_printf(&b->sql, " AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $%d AND h.hidden_id = u.id)",
                   sql_int(b, q->viewer_id));
    if (q->exclude_id)
        buf_printf(&b->sql, " AND u.id <> $%d", sql_int(b, q->exclude_id));
}

static void begin(struct pg_search_sql *s, struct arena *a, const struct search_query *q, bool naive, bool skipped,
                  bool members)
{
    memset(s, 0, sizeof *s);
    s->a = a;
    s->q = q;
    s->naive = naive;
    s->skipped = skipped;
    s->members = members;
    if (q->has_origin) {
        s->lat_bind = sql_int(&s->w, geo_e7(q->lat));
        s->lng_bind = sql_int(&s->w, geo_e7(q->lng));
    }
    pg_search_where(s);
}

void pg_search_begin(struct pg_search_sql *s, struct arena *a, const struct search_query *q, bool naive)
{
    begin(s, a, q, naive, false, false);
}

void pg_search_order(struct pg_search_sql *s, struct buf *out)
{
    const struct search_query *q = s->q;
    buf_puts(out, " ORDER BY ");
    int given = 0;
    for (int i = 0; i < q->norder; i++) {
        const char *expr = NULL;
        switch (q->order[i].key) {
        case SEARCH_KEY_USERNAME: expr = "u.username_fold"; break;
        case SEARCH_KEY_REAL_NAME: expr = "u.real_name_fold"; break;
        case SEARCH_KEY_LOCATION: expr = "u.location_fold"; break;
        case SEARCH_KEY_DATE_JOINED: expr = "u.date_joined_us"; break;
        case SEARCH_KEY_ID: expr = "u.id"; break;
        case SEARCH_KEY_DISTANCE: expr = q->has_origin ? "dist" : NULL; break;
        case SEARCH_KEY_RELEVANCE: break;
        }
        if (expr) {
            buf_printf(out, "%s %s, ", expr, q->order[i].desc ? "DESC" : "ASC");
            given++;
        }
    }
    if (!given) {
        if (q->term) {
            int k = sql_text(&s->w, q->term);
            buf_printf(out,
                       "CASE WHEN u.username_fold = $%d THEN 0 WHEN starts_with(u.username_fold, $%d) THEN 1 "
                       "ELSE 2 END, ",
                       k, k);
        } else if (q->fallback == SEARCH_KEY_USERNAME) {
            buf_puts(out, "u.username_fold, ");
        }
    }
    buf_puts(out, "u.id");
}

void pg_search_dist_column(const struct pg_search_sql *s, struct buf *out)
{
    if (s->q->has_origin)
        buf_puts(out, ", "), km_expr(out, s->lat_bind, s->lng_bind), buf_puts(out, " AS dist");
    else
        buf_puts(out, ", NULL::double precision AS dist");
}

/* ================================================================ */
/* the answer                                                       */

/* The exact count: from the maintained counts when keys answer the
 * conditions (less the viewer's hidden users and the excluded one that
 * pass them), else counted over the indexes. */
static bool search_count(struct store *st, struct arena *a, const struct search_query *q, struct pg_search_sql *s,
                         int64_t *out, struct err *e)
{
    int64_t n = pg_search_radius_fits(q) ? pg_search_radius_count(st, a, q, e) : pg_search_keyed_count(st, q, e);
    if (n == -1)
        return false;
    if (n < 0) {
        struct buf sql = BUF_INIT;
        buf_puts(&sql, "SELECT count(*)");
        buf_puts(&sql, buf_str(&s->w.sql));
        PGresult *r = pg_query_custom(st, buf_str(&sql), &s->w, e);
        buf_free(&sql);
        if (!r)
            return false;
        *out = pg_col_int(r, 0, 0);
        PQclear(r);
        return true;
    }
    if (q->viewer_id || q->exclude_id) {
        struct pg_search_sql k;
        begin(&k, a, q, false, true, false);
        int64_t skipped = 0;
        bool ok = pg_query_count_where(st, &k.w, &skipped, e);
        buf_free(&k.w.sql);
        if (!ok)
            return false;
        n -= skipped;
    }
    *out = n;
    return true;
}

/* ---- pages that stop after offset + limit rows ---- */

int64_t pg_search_collect_max = 2000;

/* Whether q is ordered by relevance (a term, no ordering key that
 * applies), or by distance alone (then id). */
static bool relevance_order(const struct search_query *q)
{
    if (!q->term)
        return false;
    for (int i = 0; i < q->norder; i++)
        if (q->order[i].key != SEARCH_KEY_RELEVANCE && (q->order[i].key != SEARCH_KEY_DISTANCE || q->has_origin))
            return false;
    return true;
}

static bool distance_order(const struct search_query *q)
{
    int k = 0;
    while (k < q->norder && q->order[k].key == SEARCH_KEY_RELEVANCE)
        k++;
    return q->has_origin && k < q->norder && q->order[k].key == SEARCH_KEY_DISTANCE && !q->order[k].desc &&
           (k + 1 == q->norder || (q->order[k + 1].key == SEARCH_KEY_ID && !q->order[k + 1].desc));
}

/* Fills the page's rows, in the order of ids[0..n), with their distances:
 * km[0..n) when given (search_km's, from the statement that found them),
 * else computed with the rows. */
static bool page_rows_at(struct store *st, struct arena *a, const struct search_query *q, const int64_t *ids,
                         const double *km, int n, struct search_page *out, struct err *e)
{
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(n ? n : 1));
    out->distance = q->has_origin ? arena_alloc(a, sizeof *out->distance * (size_t)(n ? n : 1)) : NULL;
    if (!n)
        return true;
    struct sql_query b = {0};
    struct buf list = BUF_INIT;
    for (int i = 0; i < n; i++)
        buf_printf(&list, "%s%lld", i ? "," : "{", (long long)ids[i]);
    buf_puts(&list, "}");
    buf_puts(&b.sql, "SELECT " PG_USER_COLUMNS);
    if (q->has_origin && !km) {
        int lat = sql_int(&b, geo_e7(q->lat)), lng = sql_int(&b, geo_e7(q->lng));
        buf_puts(&b.sql, ", ");
        km_expr(&b.sql, lat, lng);
    } else {
        buf_puts(&b.sql, ", NULL::double precision");
    }
    buf_printf(&b.sql, " FROM users u WHERE u.id = ANY($%d::bigint[])", sql_text(&b, buf_str(&list)));
    PGresult *r = pg_query(st, buf_str(&b.sql), &b, e);
    buf_free(&b.sql);
    buf_free(&list);
    if (!r)
        return false;
    int rows = PQntuples(r), dcol = PQnfields(r) - 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < rows; j++)
            if (pg_col_int(r, j, 0) == ids[i]) {
                pg_user_from_row(a, r, j, 0, &out->items[out->n]);
                if (out->distance)
                    out->distance[out->n] = km ? km[i] : pg_col_real(r, j, dcol);
                out->n++;
                break;
            }
    PQclear(r);
    return out->n == n || err_internal(e);
}

static bool page_rows(struct store *st, struct arena *a, const struct search_query *q, const int64_t *ids, int n,
                      struct search_page *out, struct err *e)
{
    return page_rows_at(st, a, q, ids, NULL, n, out, e);
}

/* The page of a statement that answers one row (count, ARRAY(ids)::text):
 * its count, then its users' rows. Clears r. */
static bool count_and_ids_page(struct store *st, struct arena *a, const struct search_query *q, PGresult *r,
                               struct search_page *out, struct err *e)
{
    out->count = pg_col_int(r, 0, 0);
    const char *p = PQgetvalue(r, 0, 1);
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(q->limit > 0 ? q->limit : 1));
    int n = 0;
    while (*p && n < q->limit) {
        char *end;
        long long id = strtoll(p + 1, &end, 10); /* past '{' or ',' */
        if (end == p + 1)
            break;
        ids[n++] = id;
        p = end;
    }
    PQclear(r);
    return page_rows(st, a, q, ids, n, out, e);
}

/* Appends to ids the ids of q's users that also pass `extra` (SQL on u,
 * $T the term), in id order, from `offset`, at most `limit`. With
 * `implied`, `extra` implies q's term, whose own condition is left out
 * (the planner would combine its trigram bitmaps rather than walk the
 * username's index in id order). */
static bool ids_where(struct store *st, struct arena *a, const struct search_query *q, const char *extra, bool implied,
                      int64_t limit, int64_t offset, int64_t *ids, int *n, struct err *e)
{
    struct pg_search_sql s;
    struct search_query without = *q;
    if (implied)
        without.term = NULL;
    begin(&s, a, &without, false, false, false);
    int t = sql_text(&s.w, q->term ? q->term : "");
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT u.id");
    buf_puts(&sql, buf_str(&s.w.sql));
    for (const char *p = extra; *p; p++) {
        if (*p == '$' && p[1] == 'T') {
            buf_printf(&sql, "$%d", t);
            p++;
        } else {
            buf_append(&sql, p, 1);
        }
    }
    int lim = sql_int(&s.w, limit), off = sql_int(&s.w, offset);
    buf_printf(&sql, " ORDER BY u.id LIMIT $%d OFFSET $%d", lim, off);
    PGresult *r = pg_query_custom(st, buf_str(&sql), &s.w, e);
    buf_free(&sql);
    buf_free(&s.w.sql);
    if (!r)
        return false;
    for (int i = 0; i < PQntuples(r); i++)
        ids[(*n)++] = pg_col_int(r, i, 0);
    PQclear(r);
    return true;
}

/* Relevance: the exact username, then the usernames that start with the
 * term, then the others, each in id order. Each part is walked in id
 * order (the username_start indexes, users_pkey) and stops once the page
 * is full, so a page costs its offset plus limit, not the matches. */
static bool ranked_page(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                        struct err *e)
{
    int64_t need = (int64_t)q->offset + q->limit;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(need + 1));
    int n = 0;
    long chars = text_chars(q->term);
    const char *prefix = chars <= 3
                             ? arena_printf(a, " AND left(u.username_fold, %ld) = $T AND u.username_fold <> $T", chars)
                             : " AND left(u.username_fold, 3) = left($T, 3) AND starts_with(u.username_fold, $T) "
                               "AND u.username_fold <> $T";
    /* a username equal to or starting with a term of three characters
     * contains it (a shorter term matches word starts, which a username's
     * first characters need not be) */
    bool implied = chars == 3;
    bool lone = !q->username && !q->real_name && !q->location && !q->description && !q->gender && !q->has_age &&
                q->staff == SEARCH_STAFF_ANY && !q->tag_id && !q->category_id && !q->has_origin;
    if (lone && chars <= 3) {
        /* a lone term: both walks in one statement with kept plans
         * (search_ranked_head, 018_ranked_walk.sql) */
        PGresult *r = chars == 3
                          ? pg_run(st, e, "SELECT * FROM search_ranked_head($1, NULL, 3, $2, $3, $4)", "siii", q->term,
                                   q->viewer_id, q->exclude_id, need)
                          : pg_run(st, e, "SELECT * FROM search_ranked_head($1, ARRAY[$2, $3], $4::int, $5, $6, $7)",
                                   "sssiiii", q->term, arena_printf(a, "1%s", q->term), arena_printf(a, "2%s", q->term),
                                   (int64_t)chars, q->viewer_id, q->exclude_id, need);
        if (!r)
            return false;
        for (int i = 0; i < PQntuples(r) && n < need; i++)
            ids[n++] = pg_col_int(r, i, 0);
        PQclear(r);
    } else if (!ids_where(st, a, q, " AND u.username_fold = $T", implied, 1, 0, ids, &n, e) ||
               !ids_where(st, a, q, prefix, implied, need - n, 0, ids, &n, e)) {
        return false;
    }
    int first = 0; /* where the page starts in ids */
    if (n < need) {
        /* the others: all of the first two parts are in ids */
        int64_t have = n, skip = q->offset > have ? q->offset - have : 0;
        if (q->offset >= have) {
            n = 0;
        } else {
            first = q->offset;
        }
        if (!ids_where(st, a, q, " AND NOT starts_with(u.username_fold, $T)", false, need - (skip ? q->offset : have),
                       skip, ids, &n, e))
            return false;
    } else {
        first = q->offset;
    }
    return page_rows(st, a, q, ids + first, n - first, out, e);
}

struct near {
    int64_t id;
    double km;
};

static int near_cmp(const void *x, const void *y)
{
    const struct near *a = x, *b = y;
    if (a->km != b->km)
        return a->km < b->km ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Rows of q (or, with `within`, of q within `within` km) as (id, km):
 * with `knn`, nearest first (the GiST), else by km then id; at most
 * `limit`. */
static struct near *near_rows(struct store *st, struct arena *a, const struct search_query *q, bool knn, int64_t limit,
                              int *rows, struct err *e)
{
    struct pg_search_sql s;
    begin(&s, a, q, false, false, false);
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT u.id, ");
    km_expr(&sql, s.lat_bind, s.lng_bind);
    buf_puts(&sql, " AS km");
    buf_puts(&sql, buf_str(&s.w.sql));
    if (knn)
        buf_printf(&sql, " ORDER BY " POINT " <-> $%d::cube", sql_text(&s.w, origin_cube(a, q)));
    else
        buf_puts(&sql, " ORDER BY km, u.id");
    buf_printf(&sql, " LIMIT $%d", sql_int(&s.w, limit));
    PGresult *r = pg_query_custom(st, buf_str(&sql), &s.w, e);
    buf_free(&sql);
    buf_free(&s.w.sql);
    if (!r)
        return NULL;
    *rows = PQntuples(r);
    struct near *v = arena_alloc(a, sizeof *v * (size_t)(*rows ? *rows : 1));
    for (int i = 0; i < *rows; i++)
        v[i] = (struct near){pg_col_int(r, i, 0), pg_col_real(r, i, 1)};
    PQclear(r);
    return v;
}

/* Distance, then id. The GiST hands rows nearest first (the chord grows
 * with the distance), so the first offset + limit of them reach the page's
 * last distance D; they are the page unless the next rows tie at D (users
 * share points). Then the rows within D are read in (distance, id) order:
 * no more rows than the page reaches. */
static bool nearest_page(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                         struct err *e)
{
    if (pg_search_near_fits(q)) {
        /* a tie at a point many users share is read in id order */
        int64_t *ids = NULL;
        int n = 0, got = pg_search_near_ids(st, a, q, &ids, &n, e);
        if (got)
            return got > 0 && page_rows(st, a, q, ids, n, out, e);
    }
    int64_t need = (int64_t)q->offset + q->limit;
    int rows = 0;
    struct near *v = near_rows(st, a, q, true, need + 1, &rows, e);
    if (!v)
        return false;
    if (rows > need) {
        double next = v[need].km; /* the first row after the page, nearest first */
        qsort(v, (size_t)need, sizeof *v, near_cmp);
        if (!(next > v[need - 1].km)) {
            struct search_query within = *q;
            within.has_radius = true;
            within.radius_km = q->has_radius && q->radius_km < v[need - 1].km ? q->radius_km : v[need - 1].km;
            if (!(v = near_rows(st, a, &within, false, need, &rows, e)))
                return false;
        } else {
            rows = (int)need;
        }
    } else {
        qsort(v, (size_t)rows, sizeof *v, near_cmp);
    }
    int from = (int)(q->offset < rows ? q->offset : rows);
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(rows - from + 1));
    for (int i = from; i < rows; i++)
        ids[i - from] = v[i].id;
    return page_rows(st, a, q, ids, rows - from, out, e);
}

/* ---- a name term with attributes: search_text ---- */

/* Whether search_text (012_search_text.sql) answers q: a term of 3+
 * characters without a newline on username or real name, with nothing
 * but gender, age, staff, hides and exclude besides, in relevance order;
 * a lone 3-character term is left to its count key and the ranked walk.
 * search_name (name_fits) takes the terms of 3 to 5 characters first. */
static bool text_fits(const struct search_query *q)
{
    return q->term && !pg_search_short(q->term) && !strchr(q->term, '\n') && !q->username && !q->real_name &&
           !q->location && !q->description && !q->tag_id && !q->category_id && !q->has_origin && relevance_order(q) &&
           (text_chars(q->term) > 3 || q->gender || q->has_age || q->staff != SEARCH_STAFF_ANY);
}

/* The count and the page's ids in one statement over search_text: the
 * term's candidates from its trigram GIN (with gender and age, ANDed with
 * the (gender, birth date) btree) rechecked on the short rows, then
 * ranked as pg_search_order ranks them (the username is the first ulen
 * bytes of names). */
static bool text_page(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                      struct err *e)
{
    struct sql_query b = {0};
    int t = sql_text(&b, q->term), like = sql_text(&b, like_contains(a, q->term));
    buf_printf(&b.sql,
               "WITH m AS MATERIALIZED (SELECT s.id, CASE WHEN s.ulen < octet_length($%d) OR NOT starts_with(s.names, "
               "$%d) THEN 2 WHEN s.ulen = octet_length($%d) THEN 0 ELSE 1 END AS r FROM search_text s "
               "WHERE s.names LIKE $%d",
               t, t, t, like);
    if (q->gender)
        buf_printf(&b.sql, " AND s.gender = $%d", sql_text(&b, q->gender));
    if (q->has_age) {
        buf_printf(&b.sql, " AND s.date_of_birth > $%d", sql_text(&b, dob_text(a, q->dob_after)));
        if (q->dob_upto)
            buf_printf(&b.sql, " AND s.date_of_birth <= $%d", sql_text(&b, dob_text(a, q->dob_upto)));
    }
    if (q->staff != SEARCH_STAFF_ANY)
        buf_puts(&b.sql, q->staff == SEARCH_STAFF_ONLY ? " AND s.staff" : " AND NOT s.staff");
    if (q->viewer_id)
        buf_printf(&b.sql, " AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $%d AND h.hidden_id = s.id)",
                   sql_int(&b, q->viewer_id));
    if (q->exclude_id)
        buf_printf(&b.sql, " AND s.id <> $%d", sql_int(&b, q->exclude_id));
    int lim = sql_int(&b, q->limit > 0 ? q->limit : 0), off = sql_int(&b, q->offset);
    buf_printf(&b.sql,
               ") SELECT (SELECT count(*) FROM m), ARRAY(SELECT id FROM m ORDER BY r, id LIMIT $%d OFFSET $%d)::text",
               lim, off);
    PGresult *r = pg_query_custom(st, buf_str(&b.sql), &b, e);
    buf_free(&b.sql);
    if (!r)
        return false;
    return count_and_ids_page(st, a, q, r, out, e);
}

/* ---- a short name term with attributes: search_name ---- */

enum { NAME_HEAD_CHARS = 5 }; /* search_name's heads (020_search_name.sql) */

/* Whether search_name answers q: a term of 3 to 5 characters without a
 * newline on username or real name, with nothing but gender, age, staff,
 * hides and exclude besides, in relevance order; a lone 3-character term
 * is left to its count key and the ranked walk. (A longer term would read
 * its first five characters' head and recheck the names on search_text's
 * rows: no faster than the trigrams there, measured at 1M.) */
static bool name_fits(const struct search_query *q)
{
    if (!q->term || pg_search_short(q->term) || text_chars(q->term) > NAME_HEAD_CHARS || strchr(q->term, '\n') ||
        q->username || q->real_name || q->location || q->description || q->tag_id || q->category_id || q->has_origin ||
        !relevance_order(q))
        return false;
    return text_chars(q->term) > 3 || q->gender || q->has_age || q->staff != SEARCH_STAFF_ANY;
}

/* The count and the page's ids in one statement over search_name's index
 * alone: the term's rows are those whose head starts with it, so the
 * distinct heads that do are walked (one seek each; a term of five
 * characters is its one head), and for each, the range of the gender (or,
 * with an age and no gender, of each gender the head has) and birth dates.
 * A user may match under several heads of a shorter term: its rows are
 * grouped, its rank the best of them (rank 0: the head is its whole
 * username and equals the term; 1: the head starts its username). */
static bool name_page(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                      struct err *e)
{
    struct sql_query b = {0};
    int t = sql_text(&b, q->term);
    bool one_head = text_chars(q->term) == NAME_HEAD_CHARS, pairs = !one_head && !q->gender && q->has_age;
    if (one_head)
        buf_printf(&b.sql,
                   "WITH m AS MATERIALIZED (SELECT n.user_id AS id, CASE WHEN n.fields & 32 <> 0 THEN 0 "
                   "WHEN n.fields & 16 <> 0 THEN 1 ELSE 2 END AS r FROM search_name n WHERE n.head = $%d",
                   t);
    else if (pairs)
        /* the distinct (head, gender) pairs, so that each reads one range
         * of birth dates */
        buf_printf(&b.sql,
                   "WITH RECURSIVE h(head, gender) AS ((SELECT n.head, n.gender FROM search_name n WHERE n.head >= $%d "
                   "ORDER BY n.head, n.gender LIMIT 1) UNION ALL SELECT x.head, x.gender FROM h, LATERAL (SELECT "
                   "n.head, n.gender FROM search_name n WHERE (n.head, n.gender) > (h.head, h.gender) ORDER BY n.head, "
                   "n.gender LIMIT 1) x WHERE starts_with(h.head, $%d)), m AS MATERIALIZED (SELECT n.user_id AS id, "
                   "min(CASE WHEN n.fields & 32 <> 0 AND n.head = $%d THEN 0 WHEN n.fields & 16 <> 0 THEN 1 ELSE 2 "
                   "END) AS r FROM h JOIN search_name n ON n.head = h.head AND n.gender = h.gender WHERE "
                   "starts_with(h.head, $%d)",
                   t, t, t, t);
    else
        buf_printf(&b.sql,
                   "WITH RECURSIVE h(head) AS (SELECT min(n.head) FROM search_name n WHERE n.head >= $%d UNION ALL "
                   "SELECT (SELECT min(n.head) FROM search_name n WHERE n.head > h.head) FROM h WHERE "
                   "starts_with(h.head, $%d)), m AS MATERIALIZED (SELECT n.user_id AS id, min(CASE WHEN n.fields & 32 "
                   "<> 0 AND n.head = $%d THEN 0 WHEN n.fields & 16 <> 0 THEN 1 ELSE 2 END) AS r FROM h JOIN "
                   "search_name n ON n.head = h.head WHERE starts_with(h.head, $%d)",
                   t, t, t, t);
    if (q->gender)
        buf_printf(&b.sql, " AND n.gender = $%d", sql_text(&b, q->gender));
    if (q->has_age) {
        buf_printf(&b.sql, " AND n.dob > $%d", sql_int(&b, q->dob_after));
        if (q->dob_upto)
            buf_printf(&b.sql, " AND n.dob <= $%d", sql_int(&b, q->dob_upto));
    }
    if (q->staff != SEARCH_STAFF_ANY)
        buf_puts(&b.sql, q->staff == SEARCH_STAFF_ONLY ? " AND n.staff" : " AND NOT n.staff");
    if (q->viewer_id)
        buf_printf(&b.sql, " AND n.user_id <> ALL(ARRAY(SELECT d.hidden_id FROM hides d WHERE d.user_id = $%d))",
                   sql_int(&b, q->viewer_id));
    if (q->exclude_id)
        buf_printf(&b.sql, " AND n.user_id <> $%d", sql_int(&b, q->exclude_id));
    if (!one_head)
        buf_puts(&b.sql, " GROUP BY n.user_id");
    int lim = sql_int(&b, q->limit > 0 ? q->limit : 0), off = sql_int(&b, q->offset);
    buf_printf(&b.sql,
               ") SELECT (SELECT count(*) FROM m), ARRAY(SELECT id FROM m ORDER BY r, id LIMIT $%d OFFSET $%d)::text",
               lim, off);
    PGresult *r = pg_query(st, buf_str(&b.sql), &b, e);
    buf_free(&b.sql);
    if (!r)
        return false;
    return count_and_ids_page(st, a, q, r, out, e);
}

/* ---- a tag or category page in username order, many members ---- */

enum { WALK_BATCH_MIN = 500, WALK_BATCH_MAX = 10000 };

static int id_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Whether q is a lone tag or category in the fallback username order. */
static bool member_walk_fits(const struct search_query *q)
{
    return !q->tag_id != !q->category_id && !q->term && !q->username && !q->real_name && !q->location &&
           !q->description && !q->gender && !q->has_age && q->staff == SEARCH_STAFF_ANY && !q->has_origin &&
           !q->norder && q->fallback == SEARCH_KEY_USERNAME;
}

/* The ids of a statement's first column, sorted; NULL on error. */
static int64_t *id_list(struct store *st, struct arena *a, const char *sql, int64_t value, int *n, struct err *e)
{
    PGresult *r = pg_run(st, e, sql, "i", value);
    if (!r)
        return NULL;
    *n = PQntuples(r);
    int64_t *v = arena_alloc(a, sizeof *v * (size_t)(*n ? *n : 1));
    for (int i = 0; i < *n; i++)
        v[i] = pg_col_int(r, i, 0);
    PQclear(r);
    qsort(v, (size_t)*n, sizeof *v, id_cmp);
    return v;
}

/* The members' ids read first (the link table's index), then the active
 * users walked in username order from users_search_by_username (the index
 * alone) in batches, the members kept, until the page is full: the walk
 * reads about (offset + limit) * active / members entries, each tested in
 * memory, not probed in the link table. */
static bool member_walk(struct store *st, struct arena *a, const struct search_query *q, int64_t active,
                        int64_t members, struct search_page *out, struct err *e)
{
    int nm = 0, nh = 0;
    int64_t *m = q->tag_id ? id_list(st, a, "SELECT user_id FROM user_tags WHERE tag_id = $1", q->tag_id, &nm, e)
                           : id_list(st, a, "SELECT user_id FROM category_follows WHERE category_id = $1",
                                     q->category_id, &nm, e);
    int64_t *hidden = m ? id_list(st, a, "SELECT hidden_id FROM hides WHERE user_id = $1", q->viewer_id, &nh, e) : NULL;
    if (!hidden)
        return false;
    int64_t need = (int64_t)q->offset + q->limit, batch = need * active / (members ? members : 1) * 3 / 2;
    batch = batch < WALK_BATCH_MIN ? WALK_BATCH_MIN : batch > WALK_BATCH_MAX ? WALK_BATCH_MAX : batch;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(q->limit > 0 ? q->limit : 1));
    int64_t seen = 0, last_id = 0;
    int n = 0;
    const char *last_name = NULL;
    for (;;) {
        PGresult *r = last_name ? pg_run(st, e,
                                         "SELECT id, username_fold FROM users WHERE status IN ('a', 'b') AND "
                                         "(username_fold, id) > ($1, $2) ORDER BY username_fold, id LIMIT $3",
                                         "sii", last_name, last_id, batch)
                                : pg_run(st, e,
                                         "SELECT id, username_fold FROM users WHERE status IN ('a', 'b') "
                                         "ORDER BY username_fold, id LIMIT $1",
                                         "i", batch);
        if (!r)
            return false;
        int rows = PQntuples(r);
        for (int i = 0; i < rows && seen < need; i++) {
            int64_t id = pg_col_int(r, i, 0);
            if (!bsearch(&id, m, (size_t)nm, sizeof *m, id_cmp) ||
                bsearch(&id, hidden, (size_t)nh, sizeof *hidden, id_cmp) || id == q->exclude_id)
                continue;
            if (seen++ >= q->offset)
                ids[n++] = id;
        }
        if (rows) {
            last_id = pg_col_int(r, rows - 1, 0);
            last_name = arena_strndup(a, PQgetvalue(r, rows - 1, 1), (size_t)PQgetlength(r, rows - 1, 1));
        }
        PQclear(r);
        if (seen >= need || rows < batch)
            break;
        batch = batch * 2 > WALK_BATCH_MAX ? WALK_BATCH_MAX : batch * 2;
    }
    return page_rows(st, a, q, ids, n, out, e);
}

/* A lone tag in username order: the count (search_count's key less the
 * viewer's hidden users and the excluded one among the members) and the
 * page's ids from search_tag_member (017_search_links.sql) in one
 * statement, reading offset + limit entries of its index; then the
 * page's rows. */
static bool tag_page(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                     struct err *e)
{
    char key[48];
    snprintf(key, sizeof key, "m1:%lld", (long long)q->tag_id);
    PGresult *r =
        pg_run(st, e,
               "SELECT (SELECT coalesce(sum(n), 0) FROM search_count WHERE key = $1) - (SELECT count(*) FROM "
               "search_tag_member m WHERE m.user_id = ANY(ARRAY(SELECT h.hidden_id FROM hides h WHERE h.user_id = $3 "
               "UNION ALL SELECT $4::bigint)) AND m.tag_id = $2), ARRAY(SELECT m.user_id FROM search_tag_member m "
               "WHERE m.tag_id = $2 AND m.user_id <> $4 AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $3 AND "
               "h.hidden_id = m.user_id) ORDER BY m.username_fold, m.user_id LIMIT $5 OFFSET $6)::text",
               "siiiii", key, q->tag_id, q->viewer_id, q->exclude_id, (int64_t)(q->limit > 0 ? q->limit : 0),
               (int64_t)q->offset);
    if (!r)
        return false;
    return count_and_ids_page(st, a, q, r, out, e);
}

/* How a tag or category page (no text, no distance) reads its rows, by
 * the rows each way visits, a table row counted as LINK_ROW_COST index
 * entries (a random page each): its L members' rows, then sorted; the
 * order's index walked, each row's membership probed (a table row per
 * step), about need * active / count steps; or, for a lone tag or
 * category in username order, the L member ids read, then that walk on
 * the index alone, each membership tested in memory. */
enum link_way { LINK_MEMBERS, LINK_WALK, LINK_MEMBER_WALK };
enum { LINK_ROW_COST = 25 };

static bool link_way(struct store *st, const struct search_query *q, int64_t count, enum link_way *way, int64_t *active,
                     int64_t *size, struct err *e)
{
    if ((*size = pg_search_link_size(st, q, active, e)) < 0)
        return false;
    double need = (double)q->offset + q->limit, steps = need * (double)*active / (double)(count ? count : 1);
    double members = LINK_ROW_COST * (double)*size, walk = LINK_ROW_COST * steps;
    double member_walk = member_walk_fits(q) ? (double)*size + steps : walk + 1;
    *way = members <= walk && members <= member_walk ? LINK_MEMBERS : member_walk < walk ? LINK_MEMBER_WALK : LINK_WALK;
    return true;
}

static bool search_page(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                        struct err *e)
{
    struct pg_search_sql s;
    pg_search_begin(&s, a, q, false);
    bool ok = false;
    struct buf sql = BUF_INIT;
    PGresult *r = NULL;
    if (name_fits(q)) {
        ok = name_page(st, a, q, out, e);
        goto done;
    }
    if (text_fits(q)) {
        ok = text_page(st, a, q, out, e);
        goto done;
    }
    if (q->tag_id && member_walk_fits(q)) {
        ok = tag_page(st, a, q, out, e);
        goto done;
    }
    if (pg_search_radius_fits(q) && distance_order(q)) {
        /* a radius in distance order: the count and the rings of points */
        int64_t *ids = NULL;
        double *km = NULL;
        int n = 0, got = pg_search_radius_page(st, a, q, &out->count, &ids, &km, &n, e);
        if (got) {
            ok = got > 0 && page_rows_at(st, a, q, ids, km, n, out, e);
            goto done;
        }
    }
    if (!search_count(st, a, q, &s, &out->count, e))
        goto done;
    if (q->offset >= out->count || q->limit <= 0) {
        ok = true;
        goto done;
    }
    /* many matches: walks that stop once the page is full */
    if (out->count > pg_search_collect_max && relevance_order(q)) {
        ok = ranked_page(st, a, q, out, e);
        goto done;
    }
    if (distance_order(q)) {
        ok = nearest_page(st, a, q, out, e);
        goto done;
    }
    bool link = (q->tag_id || q->category_id) && !q->term && !q->username && !q->real_name && !q->location &&
                !q->description && !q->has_origin;
    enum link_way way = LINK_WALK;
    int64_t active = 0, size = 0;
    if (link && !link_way(st, q, out->count, &way, &active, &size, e))
        goto done;
    if (link && way == LINK_MEMBER_WALK) {
        ok = member_walk(st, a, q, active, size, out, e);
        goto done;
    }
    if (link && way == LINK_MEMBERS) {
        /* few members: their ids read from the link table's index first,
         * then their rows by primary key, then sorted (the planner, left
         * to itself, may read every user to join them) */
        buf_free(&s.w.sql);
        begin(&s, a, q, false, false, true);
        buf_puts(&sql, "SELECT " PG_USER_COLUMNS ", dist FROM (SELECT u.*");
        pg_search_dist_column(&s, &sql);
        buf_puts(&sql, buf_str(&s.w.sql));
        buf_puts(&sql, " OFFSET 0) u");
    } else if (link) {
        /* many members: the order's index walked, each row's membership
         * probed, stopping once the page is full */
        buf_puts(&sql, "SELECT " PG_USER_COLUMNS);
        pg_search_dist_column(&s, &sql);
        buf_puts(&sql, buf_str(&s.w.sql));
    } else if (out->count <= pg_search_collect_max) {
        /* few matches: read them all through the filters' indexes, then
         * sort (the fence keeps the planner from walking an ordering
         * index that would pass over every other user to find them) */
        buf_puts(&sql, "SELECT " PG_USER_COLUMNS ", dist FROM (SELECT u.*");
        pg_search_dist_column(&s, &sql);
        buf_puts(&sql, buf_str(&s.w.sql));
        buf_puts(&sql, " OFFSET 0) u");
    } else {
        buf_puts(&sql, "SELECT " PG_USER_COLUMNS);
        pg_search_dist_column(&s, &sql);
        buf_puts(&sql, buf_str(&s.w.sql));
    }
    pg_search_order(&s, &sql);
    int lim = sql_int(&s.w, q->limit), off = sql_int(&s.w, q->offset);
    buf_printf(&sql, " LIMIT $%d OFFSET $%d", lim, off);
    if (!(r = pg_query_custom(st, buf_str(&sql), &s.w, e)))
        goto done;
    int rows = PQntuples(r), dcol = PQnfields(r) - 1;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(rows ? rows : 1));
    out->distance = q->has_origin ? arena_alloc(a, sizeof *out->distance * (size_t)(rows ? rows : 1)) : NULL;
    for (int i = 0; i < rows && out->n < q->limit; i++) {
        pg_user_from_row(a, r, i, 0, &out->items[out->n]);
        if (out->distance)
            out->distance[out->n] = pg_col_real(r, i, dcol);
        out->n++;
    }
    ok = true;
done:
    PQclear(r);
    buf_free(&sql);
    buf_free(&s.w.sql);
    return ok;
}

/* A statement whose best plan depends on its values runs unnamed
 * (pg_query_custom), planned for them at every run: a statement's text is
 * the same for every tag or term, and a generic plan (chosen after five
 * runs of a cached statement) walks an order for a rare tag as for a
 * common one. The others (a page's rows by id, the hidden users' count,
 * the maintained counts) are cached with their plans (a lone term's exact
 * and prefix walks: search_ranked_head, 018_ranked_walk.sql), as the request's later statements (relations, tags)
 * are: planning them cost more than running them. Every connection runs
 * without parallel workers and without JIT (pg.c, connect_url). */

/* The search's snapshot: one of its own, or the caller's transaction (a
 * request's read transaction). */
static bool search_begin(struct store *st, bool *own, struct err *e)
{
    *own = false;
    if (st->pg->tx != PG_TX_NONE)
        return true;
    if (!pg_connection_ok(st, e))
        return false;
    PGresult *r = PQexec(st->pg->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        pg_fail(st, r, e, "begin search snapshot");
        if (PQtransactionStatus(st->pg->conn) != PQTRANS_IDLE)
            PQclear(PQexec(st->pg->conn, "ROLLBACK"));
    }
    PQclear(r);
    if (ok)
        st->pg->tx = PG_TX_SNAPSHOT;
    *own = ok;
    return ok;
}

bool pg_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                     struct err *e)
{
    memset(out, 0, sizeof *out);
    if (q->nothing)
        return true;
    /* one snapshot: the count and the page see the same data */
    bool own;
    if (!search_begin(st, &own, e))
        return false;
    bool ok = search_page(st, a, q, out, e);
    pg_snapshot_end(st, own);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}
