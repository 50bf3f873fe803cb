/* sqlite_search_collect.c - the search engine's collecting: the smallest
 * source is scanned, the others intersected as bitmaps or checked on the
 * users row, and the matches gathered into a bitmap (and, with an origin,
 * candidates with their distances). */
#include <assert.h>
#include <string.h>

#include "store/sqlite_search_engine.h"

/* ================================================================ */
/* collecting                                                       */

/* Scans a source into a bitmap (used to intersect with the driver); with
 * `t1`, also the users whose username starts with the source's term (the
 * term's rank 1, read from the same index rows). */
static bool scan_into(struct run *r, const struct src *s, struct bits *out, struct bits *t1)
{
    struct sql_query b = {0};
    const char *rank = !t1 ? "0" : s->kind == SRC_PREFIX ? "d.rank < 2" : "(d.fields & 16) <> 0";
    buf_printf(&b.sql, "SELECT %s, %s", search_source_id(s), rank);
    search_source_rows(r, &b, s, false);
    sqlite3_stmt *q = sqlite_query_stmt(r->st, buf_str(&b.sql), &b, r->e);
    buf_free(&b.sql);
    if (!q)
        return false;
    search_bits_init(r->a, out, r->max_id);
    if (t1)
        search_bits_init(r->a, t1, r->max_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        search_bits_set(out, id);
        if (t1 && sqlite3_column_int(q, 1))
            search_bits_set(t1, id);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(r->st, r->e, "search scan");
}

/* Does the source carry gender, age and staff on its rows? */
static bool carries_attrs(const struct src *s)
{
    return s->kind == SRC_PREFIX || s->kind == SRC_SUFFIX || s->kind == SRC_TAG || s->kind == SRC_CATEGORY ||
           s->kind == SRC_NAME;
}

/* How one collect runs: its driver, the other sources scanned into
 * bitmaps, and what must still be read from the users row. */
struct collect_plan {
    const struct src *d; /* the driver: the smallest source */
    struct bits others[SEARCH_MAX_SOURCES];
    int nothers;
    struct bits scanned_t1; /* rank 1 of the term, when its source was scanned */
    bool relevance;         /* ordered by relevance */
    bool native_rank;       /* rank 1 comes from index rows, not from the users row */
    bool need_row;          /* the driver's rows join the users row */
    unsigned row_conds;     /* conditions checked on the users row */
};

/* Chooses the driver and scans the other sources into bitmaps when that is
 * cheaper than checking the driver's rows against the users table. */
static bool collect_plan(struct run *r, struct collect_plan *p)
{
    int di = 0;
    for (int i = 1; i < r->nsrc; i++)
        if (r->src[i].est < r->src[di].est)
            di = i;
    const struct src *d = p->d = &r->src[di];
    p->relevance = r->order[0].key == SEARCH_KEY_RELEVANCE;
    p->native_rank = p->relevance && d->cond == C_TERM && !d->long_term;
    p->row_conds = r->conds & ~d->cond & ~C_GEO;
    if (carries_attrs(d))
        p->row_conds &= ~C_ATTRS;
    for (int i = 0; i < r->nsrc; i++) {
        const struct src *s = &r->src[i];
        if (i == di || s->kind == SRC_GEO || s->kind == SRC_STAFF)
            continue;
        if (s->est <= (int64_t)sqlite_search_tuning.bitmap_ratio * d->est && !s->long_term) {
            bool term = p->relevance && s->cond == C_TERM;
            assert(p->nothers < SEARCH_MAX_SOURCES);
            if (!scan_into(r, s, &p->others[p->nothers++], term ? &p->scanned_t1 : NULL))
                return false;
            p->native_rank |= term; /* rank 1 came with the bitmap */
            p->row_conds &= ~s->cond;
        }
    }
    if (d->long_term)
        p->row_conds |= d->cond; /* the index matched the first characters only */
    p->need_row = p->row_conds || (r->q->has_origin && d->kind != SRC_GEO) || (p->relevance && !p->native_rank);
    return true;
}

/* The driver's SELECT for a radius: one per longitude range of the box.
 * Columns: id, rank 1, lat, lng, then the users row's coordinates. */
static void collect_geo_sql(const struct run *r, const struct collect_plan *p, struct sql_query *b)
{
    for (int i = 0; i < r->box.nlng; i++) {
        buf_printf(&b->sql, "%sSELECT d.id, ", i ? " UNION ALL " : "");
        if (p->relevance && !p->native_rank)
            buf_printf(&b->sql, "search_starts_with(u.username_fold, $%d)", sql_text(b, r->q->term));
        else
            buf_puts(&b->sql, "0");
        buf_puts(&b->sql, ", d.lat_min, d.lng_min");
        if (p->need_row)
            buf_puts(&b->sql, ", u.position_lat, u.position_lng, u.location_lat, u.location_lng");
        buf_puts(&b->sql, " FROM search_geo d");
        if (p->need_row)
            buf_puts(&b->sql, " JOIN users u ON u.id = d.id");
        buf_printf(&b->sql, " WHERE d.lat_min >= $%d AND d.lat_max <= $%d", sql_int(b, r->box.lat_min),
                   sql_int(b, r->box.lat_max));
        buf_printf(&b->sql, " AND d.lng_min >= $%d AND d.lng_max <= $%d", sql_int(b, r->box.lng_min[i]),
                   sql_int(b, r->box.lng_max[i]));
        if (p->need_row) {
            buf_puts(&b->sql, " AND");
            search_row_conditions(r, b, p->row_conds);
        }
    }
}

/* The driver's SELECT for an indexed source, same columns as
 * collect_geo_sql (lat and lng NULL). */
static void collect_index_sql(const struct run *r, const struct collect_plan *p, struct sql_query *b)
{
    const struct src *d = p->d;
    const char *id = search_source_id(d);
    const char *rank = "0";
    if (p->relevance && p->native_rank && !p->scanned_t1.w)
        rank = d->kind == SRC_PREFIX ? "d.rank < 2" : "(d.fields & 16) <> 0";
    buf_printf(&b->sql, "SELECT %s, ", id);
    if (p->relevance && !p->native_rank)
        buf_printf(&b->sql, "search_starts_with(u.username_fold, $%d)", sql_text(b, r->q->term));
    else
        buf_puts(&b->sql, rank);
    buf_puts(&b->sql, ", NULL, NULL");
    if (p->need_row)
        buf_puts(&b->sql, ", u.position_lat, u.position_lng, u.location_lat, u.location_lng");
    search_source_rows(r, b, d, true);
    if (p->need_row && d->kind == SRC_STAFF) {
        buf_puts(&b->sql, " AND");
        search_row_conditions(r, b, p->row_conds);
    } else if (p->need_row) {
        /* source_rows ended with its WHERE: splice the join before it */
        const char *where = strstr(buf_str(&b->sql), " WHERE ");
        size_t at = (size_t)(where - buf_str(&b->sql));
        struct buf joined = BUF_INIT;
        buf_append(&joined, b->sql.data, at);
        buf_printf(&joined, " JOIN users u ON u.id = %s", id);
        buf_puts(&joined, b->sql.data + at);
        buf_free(&b->sql);
        b->sql = joined;
        buf_puts(&b->sql, " AND");
        search_row_conditions(r, b, p->row_conds);
    }
}

/* Reads the driver's rows into r->S (and r->T1, r->cands): those in every
 * scanned bitmap and, with an origin, inside the radius. */
static bool collect_rows(struct run *r, const struct collect_plan *p, sqlite3_stmt *st)
{
    const struct search_query *q = r->q;
    search_bits_init(r->a, &r->S, r->max_id);
    if (p->scanned_t1.w)
        r->T1 = p->scanned_t1;
    else if (p->relevance)
        search_bits_init(r->a, &r->T1, r->max_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t uid = sqlite3_column_int64(st, 0);
        bool in = true;
        for (int i = 0; i < p->nothers && in; i++)
            in = search_bits_test(&p->others[i], uid);
        if (!in)
            continue;
        double dist = 0;
        if (q->has_origin) {
            int64_t lat, lng;
            if (p->d->kind == SRC_GEO) {
                lat = sqlite3_column_int64(st, 2);
                lng = sqlite3_column_int64(st, 3);
            } else if (!sqlite_search_user_e7(sqlite3_column_value(st, 4), sqlite3_column_value(st, 5),
                                              sqlite3_column_value(st, 6), sqlite3_column_value(st, 7), &lat, &lng)) {
                continue;
            }
            dist = geo_round_km(geo_distance_e7(r->lat0, r->lng0, lat, lng));
            if (q->has_radius && dist > q->radius_km)
                continue;
        }
        if (p->relevance && !p->scanned_t1.w && sqlite3_column_int(st, 1))
            search_bits_set(&r->T1, uid);
        if (search_bits_set(&r->S, uid)) {
            r->count++;
            if (q->has_origin)
                search_cand_add(r, uid, dist);
        }
    }
    return rc == SQLITE_DONE ? true : sqlite_fail(r->st, r->e, "search collect");
}

/* Takes the hidden and excluded users out of the matches. */
static void collect_unskip(struct run *r)
{
    for (int i = 0; i < r->nskip; i++)
        if (search_bits_test(&r->S, r->skip[i])) {
            search_bits_clear(&r->S, r->skip[i]);
            r->count--;
        }
}

/* Sets r->t0: the user whose username is the term, if a match (rank 0). */
static bool collect_exact_username(struct run *r)
{
    sqlite3_stmt *x =
        sqlite_stmt(r->st, "SELECT id FROM users WHERE username_fold = $1 AND status IN ('a', 'b')", r->e);
    if (!x)
        return false;
    sqlite3_bind_text(x, 1, r->q->term, -1, SQLITE_STATIC);
    int64_t t0 = 0;
    if (sqlite_get_int(r->st, x, &t0, r->e) < 0)
        return false;
    if (t0 && search_bits_test(&r->S, t0))
        r->t0 = t0;
    return true;
}

bool search_collect(struct run *r)
{
    struct collect_plan p = {0};
    if (!collect_plan(r, &p))
        return false;
    struct sql_query b = {0};
    if (p.d->kind == SRC_GEO)
        collect_geo_sql(r, &p, &b);
    else
        collect_index_sql(r, &p, &b);
    /* a few dozen shapes (values are bound): parsed once per connection */
    sqlite3_stmt *st = sqlite_query_stmt(r->st, buf_str(&b.sql), &b, r->e);
    buf_free(&b.sql);
    if (!st)
        return false;
    bool ok = collect_rows(r, &p, st);
    sqlite3_reset(st);
    if (!ok)
        return false;
    collect_unskip(r);
    return !p.relevance || collect_exact_username(r);
}
