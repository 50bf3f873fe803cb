/* pg_search.c - answering a search_query (model/search.h) on PostgreSQL:
 * one count and one page, both one statement over indexes the database
 * keeps itself (006_search.sql), in one snapshot.
 *
 * Each condition is written so that an index can serve it and the
 * planner combines them (BitmapAnd/BitmapOr):
 *   - a text term of 3+ characters: LIKE '%term%' on the folded column,
 *     pg_trgm GIN (the trigram match is rechecked on the row, so it is
 *     exact: both sides are folded in C, LIKE compares bytes);
 *   - a term of 1-2 characters: its word-start elements in search_words
 *     (GIN; exact, since hearth computed them with utf8proc);
 *   - age: the birth date's btree; tag and category: their link tables;
 *   - an origin: the search point's btree (lat, lng in 1e-7 degree) within
 *     geo_bbox_e7's box, and search_km, the same haversine as C, rounded
 *     to the metre, compared with the radius.
 * The order is the one contract §3 states and store_search_users_naive
 * writes: the keys given, else relevance (exact username, username
 * prefix, other) with a term, else the fallback; then id ascending. */
#include "store/store.h"

#include <stdio.h>
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
    if (q->tag_id)
        buf_printf(&b->sql, " AND EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.id AND t.tag_id = $%d)",
                   sql_int(b, q->tag_id));
    if (q->category_id)
        buf_printf(&b->sql,
                   " AND EXISTS (SELECT 1 FROM category_follows c WHERE c.user_id = u.id AND c.category_id = $%d)",
                   sql_int(b, q->category_id));
    if (q->has_origin) {
        buf_puts(&b->sql, " AND " LAT_E7 " IS NOT NULL");
        if (q->has_radius && !s->naive) {
            struct geo_box box;
            geo_bbox_e7(geo_e7(q->lat), geo_e7(q->lng), q->radius_km, &box);
            buf_printf(&b->sql, " AND " LAT_E7 " BETWEEN $%d AND $%d", sql_int(b, box.lat_min),
                       sql_int(b, box.lat_max));
            buf_puts(&b->sql, " AND (");
            for (int i = 0; i < box.nlng; i++)
                buf_printf(&b->sql, "%s" LNG_E7 " BETWEEN $%d AND $%d", i ? " OR " : "", sql_int(b, box.lng_min[i]),
                           sql_int(b, box.lng_max[i]));
            buf_printf(&b->sql, ") AND search_km($%d, $%d, " LAT_E7 ", " LNG_E7 ") <= $%d", s->lat_bind, s->lng_bind,
                       sql_real(b, q->radius_km));
        }
    }
    if (q->viewer_id)
        buf_printf(&b->sql, " AND NOT EXISTS (SELECT 1 FROM hides h WHERE h.user_id = $%d AND h.hidden_id = u.id)",
                   sql_int(b, q->viewer_id));
    if (q->exclude_id)
        buf_printf(&b->sql, " AND u.id <> $%d", sql_int(b, q->exclude_id));
}

void pg_search_begin(struct pg_search_sql *s, struct arena *a, const struct search_query *q, bool naive)
{
    memset(s, 0, sizeof *s);
    s->a = a;
    s->q = q;
    s->naive = naive;
    if (q->has_origin) {
        s->lat_bind = sql_int(&s->w, geo_e7(q->lat));
        s->lng_bind = sql_int(&s->w, geo_e7(q->lng));
    }
    pg_search_where(s);
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
        buf_printf(out, ", search_km($%d, $%d, " LAT_E7 ", " LNG_E7 ") AS dist", s->lat_bind, s->lng_bind);
    else
        buf_puts(out, ", NULL::double precision AS dist");
}

/* ================================================================ */
/* the answer                                                       */

static bool search_page(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                        struct err *e)
{
    struct pg_search_sql s;
    pg_search_begin(&s, a, q, false);
    bool ok = false;
    struct buf sql = BUF_INIT;
    PGresult *r = NULL;
    if (!pg_query_count_where(st, &s.w, &out->count, e))
        goto done;
    if (q->offset >= out->count || q->limit <= 0) {
        ok = true;
        goto done;
    }
    buf_puts(&sql, "SELECT " PG_USER_COLUMNS);
    pg_search_dist_column(&s, &sql);
    buf_puts(&sql, buf_str(&s.w.sql));
    pg_search_order(&s, &sql);
    int lim = sql_int(&s.w, q->limit), off = sql_int(&s.w, q->offset);
    buf_printf(&sql, " LIMIT $%d OFFSET $%d", lim, off);
    if (!(r = pg_query(st, buf_str(&sql), &s.w, e)))
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

bool pg_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                     struct err *e)
{
    memset(out, 0, sizeof *out);
    if (q->nothing)
        return true;
    /* one snapshot: the count and the page see the same data */
    bool own;
    if (!pg_snapshot_begin(st, &own, e))
        return false;
    bool ok = search_page(st, a, q, out, e);
    pg_snapshot_end(st, own);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}
