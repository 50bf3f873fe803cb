/* sqlite_search_cells.c - the exact count of a radius from the maintained
 * geo cells of search_count (020_search_cells.sql).
 *
 * The level 0 cells that cover the radius's bounding box are read row by
 * row (one range of keys a row; empty cells are absent). A cell whose
 * farthest corner is inside the circle is counted whole, one whose nearest
 * point is outside is skipped, and one the circle's edge crosses is read
 * again as its 16 cells of the next level (one range), or, when it holds
 * few users or is of the finest level, as its distinct points (one range),
 * each measured as results are (the distance rounded to the metre, at most
 * the radius). With a metre of margin on both cell tests, floating point
 * never decides a point: the count is the one a scan of search_geo gives,
 * from a few hundred keys instead of every point of a city.
 *
 * On a sphere, within a cell the distance from the origin grows with the
 * difference of longitude at any latitude, and along a meridian it has a
 * single minimum; so the farthest point of a cell is a corner, and the
 * nearest is on the meridian of the origin (inside the cell's longitudes)
 * or on the cell's nearer edge, at the latitude closest to that minimum.
 * Both hold while a cell is well under 90 degrees of longitude from the
 * origin: boxes across the antimeridian, near a pole or over 60 degrees
 * wide are left to the scan (-2). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_search_engine.h"

#define CELL_MARGIN_KM 0.001

enum {
    CELL_INSIDE,
    CELL_OUTSIDE,
    CELL_EDGE,
    /* an edge cell of at most this many users is read as its points */
    CELL_POINTS_MAX = 48,
};

/* A distinct point and its users. */
struct cell_point {
    int64_t lat, lng, n;
    double dist; /* rounded to the metre, as results show it */
};

struct cell_count {
    struct run *r;
    sqlite3_stmt *keys; /* SELECT key, n FROM search_count WHERE key >= $1 AND key < $2 */
    double radius;      /* km */
    int64_t n;
    /* listing: every point within the radius, none counted whole */
    bool list;
    struct cell_point *pts;
    size_t npts, cap;
};

struct cell {
    int64_t row, col, n;
};

static const int64_t lat_half = 90LL * GEO_E7, lng_half = 180LL * GEO_E7;

static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* The distance (km) from the origin to the nearest point of the cell
 * [la, lb] x [ga, gb] (1e-7 degree). */
static double nearest_km(const struct run *r, int64_t la, int64_t lb, int64_t ga, int64_t gb)
{
    if (r->lng0 >= ga && r->lng0 <= gb)
        return geo_distance_e7(r->lat0, r->lng0, clamp(r->lat0, la, lb), r->lng0);
    int64_t lng = r->lng0 < ga ? ga : gb;
    const double rad = 3.14159265358979323846 / 180 / GEO_E7;
    double phi0 = (double)r->lat0 * rad, dl = (double)(lng - r->lng0) * rad;
    /* the latitude of the meridian's point nearest to the origin */
    double lat = atan2(sin(phi0), cos(phi0) * cos(dl)) / rad;
    return geo_distance_e7(r->lat0, r->lng0, clamp(llround(lat), la, lb), lng);
}

static int classify(const struct run *r, double radius, int level, const struct cell *c)
{
    int64_t side = sqlite_search_cell_side(level);
    int64_t la = c->row * side - lat_half, lb = la + side - 1, ga = c->col * side - lng_half, gb = ga + side - 1;
    double far = 0;
    const int64_t corners[4][2] = {{la, ga}, {la, gb}, {lb, ga}, {lb, gb}};
    for (int i = 0; i < 4; i++) {
        double d = geo_distance_e7(r->lat0, r->lng0, corners[i][0], corners[i][1]);
        far = d > far ? d : far;
    }
    if (far <= radius - CELL_MARGIN_KM)
        return CELL_INSIDE;
    if (nearest_km(r, la, lb, ga, gb) >= radius + CELL_MARGIN_KM)
        return CELL_OUTSIDE;
    return CELL_EDGE;
}

/* Steps the key statement over [lo, lo + nlo) .. [hi, hi + nhi). */
static void bind_range(struct cell_count *c, const char *lo, int nlo, const char *hi, int nhi)
{
    sqlite3_reset(c->keys);
    sqlite3_bind_text(c->keys, 1, lo, nlo, SQLITE_TRANSIENT);
    sqlite3_bind_text(c->keys, 2, hi, nhi, SQLITE_TRANSIENT);
}

static bool keys_done(struct cell_count *c, int rc)
{
    sqlite3_reset(c->keys);
    return rc == SQLITE_DONE ? true : sqlite_fail(c->r->st, c->r->e, "search cells");
}

/* Adds the users of the points under the key prefix that are inside the
 * radius. */
static bool count_points(struct cell_count *c, const char *prefix, int n)
{
    char hi[SEARCH_CELL_KEY_MAX + 1];
    memcpy(hi, prefix, (size_t)n);
    hi[n] = '~'; /* after ':' and the path letters */
    bind_range(c, prefix, n, hi, n + 1);
    int rc;
    while ((rc = sqlite3_step(c->keys)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(c->keys, 0);
        const char *at = key ? strchr(key, ':') : NULL;
        if (!at || strlen(at) != 21)
            continue;
        char lat[11], lng[11];
        memcpy(lat, at + 1, 10);
        memcpy(lng, at + 11, 10);
        lat[10] = lng[10] = '\0';
        int64_t la = strtoll(lat, NULL, 10) - lat_half, ga = strtoll(lng, NULL, 10) - lng_half,
                users = sqlite3_column_int64(c->keys, 1);
        double d = geo_round_km(geo_distance_e7(c->r->lat0, c->r->lng0, la, ga));
        if (d > c->radius || users <= 0)
            continue;
        c->n += users;
        if (c->list) {
            if (c->npts == c->cap) {
                size_t cap = c->cap ? 2 * c->cap : 64;
                struct cell_point *p = arena_alloc(c->r->a, cap * sizeof *p);
                if (c->npts)
                    memcpy(p, c->pts, c->npts * sizeof *p);
                c->pts = p;
                c->cap = cap;
            }
            c->pts[c->npts++] = (struct cell_point){la, ga, users, d};
        }
    }
    return keys_done(c, rc);
}

static bool count_cells(struct cell_count *c, int level, const struct cell *cells, int k);

/* An edge cell: its 16 children, or its points; a cell inside the circle
 * whose points are listed: its points. */
static bool count_edge(struct cell_count *c, int level, const struct cell *cell, bool inside)
{
    char lo[SEARCH_CELL_KEY_MAX + 1];
    if (level + 1 == SEARCH_CELL_LEVELS || cell->n <= CELL_POINTS_MAX || inside) {
        /* the points of the first level 3 cell under this one, their path
         * cut to this level */
        int64_t scale = 1;
        for (int i = level + 1; i < SEARCH_CELL_LEVELS; i++)
            scale *= SEARCH_CELL_SPLIT;
        int n = sqlite_search_cell_key(lo, SEARCH_CELL_LEVELS, cell->row * scale, cell->col * scale);
        return count_points(c, lo, n - (SEARCH_CELL_LEVELS - 1 - level));
    }
    int n = sqlite_search_cell_key(lo, level + 1, cell->row * SEARCH_CELL_SPLIT, cell->col * SEARCH_CELL_SPLIT);
    n--; /* the parent's path: the first child's letter off */
    char hi[SEARCH_CELL_KEY_MAX + 1];
    memcpy(hi, lo, (size_t)n);
    hi[n] = '~';
    bind_range(c, lo, n, hi, n + 1);
    struct cell kids[SEARCH_CELL_SPLIT * SEARCH_CELL_SPLIT];
    int k = 0, rc;
    while ((rc = sqlite3_step(c->keys)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(c->keys, 0);
        int64_t users = sqlite3_column_int64(c->keys, 1);
        if (!key || users <= 0 || (int)strlen(key) != n + 1 || k == SEARCH_CELL_SPLIT * SEARCH_CELL_SPLIT)
            continue;
        int at = key[n] - 'a';
        kids[k++] = (struct cell){.row = cell->row * SEARCH_CELL_SPLIT + at / SEARCH_CELL_SPLIT,
                                  .col = cell->col * SEARCH_CELL_SPLIT + at % SEARCH_CELL_SPLIT,
                                  .n = users};
    }
    return keys_done(c, rc) && count_cells(c, level + 1, kids, k);
}

/* Counts non-empty cells of a level. */
static bool count_cells(struct cell_count *c, int level, const struct cell *cells, int k)
{
    for (int i = 0; i < k; i++) {
        int kind = classify(c->r, c->radius, level, &cells[i]);
        switch (kind) {
        case CELL_INSIDE:
            if (c->list && !count_edge(c, level, &cells[i], true)) /* its points are wanted */
                return false;
            if (!c->list)
                c->n += cells[i].n;
            break;
        case CELL_OUTSIDE: break;
        default:
            if (!count_edge(c, level, &cells[i], false))
                return false;
        }
    }
    return true;
}

/* Whether the cells apply to the box (see the head comment). */
static bool cells_apply(const struct geo_box *b)
{
    return b->nlng == 1 && b->lat_min >= -80 * GEO_E7 && b->lat_max <= 80 * GEO_E7 &&
           b->lng_max[0] - b->lng_min[0] <= 60 * GEO_E7;
}

/* Counts (or lists) the users within c->radius of the origin, the box
 * being the radius's. */
static bool count_box(struct cell_count *c, const struct geo_box *b)
{
    struct run *r = c->r;
    c->keys = sqlite_stmt(r->st, "SELECT key, n FROM search_count WHERE key >= $1 AND key < $2", r->e);
    if (!c->keys)
        return false;
    int64_t row0 = sqlite_search_cell_index(b->lat_min, lat_half, 0),
            row1 = sqlite_search_cell_index(b->lat_max, lat_half, 0),
            col0 = sqlite_search_cell_index(b->lng_min[0], lng_half, 0),
            col1 = sqlite_search_cell_index(b->lng_max[0], lng_half, 0);
    struct cell *cells = arena_alloc(r->a, sizeof *cells * (size_t)(col1 - col0 + 1));
    for (int64_t row = row0; row <= row1; row++) {
        char lo[SEARCH_CELL_KEY_MAX], hi[SEARCH_CELL_KEY_MAX];
        int nlo = sqlite_search_cell_key(lo, 0, row, col0), nhi = sqlite_search_cell_key(hi, 0, row, col1 + 1);
        bind_range(c, lo, nlo, hi, nhi);
        int k = 0, rc;
        while ((rc = sqlite3_step(c->keys)) == SQLITE_ROW) {
            const char *key = (const char *)sqlite3_column_text(c->keys, 0);
            int64_t users = sqlite3_column_int64(c->keys, 1);
            if (key && users > 0 && (int)strlen(key) == nlo && k <= col1 - col0)
                cells[k++] = (struct cell){.row = row, .col = strtoll(key + 8, NULL, 10), .n = users};
        }
        if (!keys_done(c, rc) || !count_cells(c, 0, cells, k))
            return false;
    }
    return true;
}

int64_t search_radius_count(struct run *r)
{
    if (!cells_apply(&r->box))
        return -2;
    struct cell_count c = {.r = r, .radius = r->q->radius_km};
    return count_box(&c, &r->box) ? c.n : -1;
}

static int cmp_point(const void *a, const void *b)
{
    const struct cell_point *x = a, *y = b;
    return (x->dist > y->dist) - (x->dist < y->dist);
}

/* Adds the first `limit` users (by id) at a point to the candidates. */
static bool point_users(struct run *r, const struct cell_point *p, int64_t limit)
{
    sqlite3_stmt *q =
        sqlite_stmt(r->st, "SELECT id FROM search_point WHERE lat = $1 AND lng = $2 ORDER BY id LIMIT $3", r->e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, p->lat);
    sqlite3_bind_int64(q, 2, p->lng);
    sqlite3_bind_int64(q, 3, limit);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        search_cand_add(r, sqlite3_column_int64(q, 0), p->dist);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(r->st, r->e, "search point users");
}

int search_page_nearest_points(struct run *r)
{
    const struct search_query *q = r->q;
    if (r->conds != C_GEO || r->norder != 1 || r->order[0].desc)
        return 0;
    int64_t need = (int64_t)q->offset + q->limit;
    if (q->has_radius && need > r->count)
        need = r->count;
    /* enough users to fill the page whatever the skipped ones are */
    int64_t want = need + r->nskip;
    for (double km = SEARCH_KNN_FIRST_KM;; km *= SEARCH_KNN_GROWTH) {
        bool last = q->has_radius && km >= q->radius_km + 0.002; /* the circle holds the radius */
        struct geo_box box;
        geo_bbox_e7(r->lat0, r->lng0, last ? q->radius_km : km, &box);
        if (!cells_apply(&box))
            return 0;
        struct cell_count c = {.r = r, .radius = last ? q->radius_km : km, .list = true};
        if (!count_box(&c, &box))
            return -1;
        if (q->has_radius && !last) { /* beyond the radius: never results */
            size_t m = 0;
            for (size_t i = 0; i < c.npts; i++)
                if (c.pts[i].dist <= q->radius_km)
                    c.pts[m++] = c.pts[i];
            c.npts = m;
        }
        if (c.npts > 1)
            qsort(c.pts, c.npts, sizeof *c.pts, cmp_point);
        /* the points up to the one that reaches `want` users, and the
         * others at its distance (ties are ordered by id across points) */
        int64_t before = 0;
        size_t end = 0;
        while (end < c.npts && before + c.pts[end].n < want)
            before += c.pts[end++].n;
        if (end == c.npts && !last)
            continue; /* too few in this circle */
        if (end < c.npts && !last && c.pts[end].dist >= km - 0.002)
            continue; /* nearer users may lie outside the circle's margin */
        /* the tie starts at the first point of that distance (the sort
         * leaves equal distances in any order) */
        while (end > 0 && end < c.npts && c.pts[end - 1].dist == c.pts[end].dist)
            before -= c.pts[--end].n;
        r->ncands = 0;
        for (size_t i = 0; i < end; i++)
            if (!point_users(r, &c.pts[i], c.pts[i].n))
                return -1;
        for (size_t i = end; i < c.npts && c.pts[i].dist == c.pts[end].dist; i++)
            if (!point_users(r, &c.pts[i], want - before))
                return -1;
        return search_place_by_distance(r, r->cands, r->ncands, true) ? 1 : -1;
    }
}
