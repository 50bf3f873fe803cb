/* pg_search_geo.c - the exact count of the users within a radius from the
 * per-cell counts (search_cell, 012_search_text.sql), not by visiting each
 * of them: the 1-degree cells around the circle are split into 0.1-degree
 * cells and those into 0.01-degree cells where they cross its edge; a
 * cell wholly inside adds its count, one wholly outside nothing, and the
 * points of the 0.01-degree cells on the edge (search_geo_point, with
 * their users) are checked one by one with search_km, as the search's
 * filter does.
 *
 * The cells inside go to the database as runs of consecutive keys (the
 * cells of a row next to each other, at each level), the edge cells the
 * same, and the count, less the viewer's hidden users and the excluded
 * one within the circle, is one statement (search_radius_count,
 * 017_search_links.sql): a few hundred ranges of two primary keys, not
 * thousands of keys one by one.
 *
 * A cell is inside when its farthest corner is nearer than the radius by
 * a margin (every point of a latitude/longitude cell away from the poles
 * and the antimeridian is no farther than its farthest corner: along a
 * parallel the distance grows with the longitude difference, along a
 * meridian it falls to a minimum and grows again), and the distance C
 * computes is search_km's before rounding, so a point of such a cell
 * rounds to the radius or less. It is outside when its nearest corner is
 * farther than the radius plus the cell's diagonal and a margin. Circles
 * near a pole or the antimeridian, or wider than WIDE_KM, are left to the
 * count over the GiST. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "store/pg_internal.h"
#include "store/pg_search_internal.h"

enum { WIDE_KM = 2000 };

#define MARGIN_KM 0.002 /* far above the haversine's rounding error */

static const int64_t sides[4] = {0, 100000, 1000000, 10000000}; /* 0.01, 0.1, 1 degree */

struct cells {
    struct arena *a;
    int64_t *v;
    int n, cap;
};

static void push(struct cells *c, int64_t key)
{
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 256;
        int64_t *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
        if (c->n)
            memcpy(v, c->v, sizeof *v * (size_t)c->n);
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = key;
}

struct circle {
    int64_t lat, lng;
    double km;
    struct cells inside, edge;
};

static int64_t cell_key(int level, int64_t row, int64_t col) { return level * 10000000000LL + row * 100000 + col; }

static void classify(struct circle *c, int level, int64_t row, int64_t col)
{
    int64_t side = sides[level];
    int64_t lat0 = row * side, lat1 = lat0 + side - 1, lng0 = col * side, lng1 = lng0 + side - 1;
    double d[4] = {geo_distance_e7(c->lat, c->lng, lat0, lng0), geo_distance_e7(c->lat, c->lng, lat0, lng1),
                   geo_distance_e7(c->lat, c->lng, lat1, lng0), geo_distance_e7(c->lat, c->lng, lat1, lng1)};
    double far = d[0], near = d[0];
    for (int i = 1; i < 4; i++) {
        far = d[i] > far ? d[i] : far;
        near = d[i] < near ? d[i] : near;
    }
    if (far <= c->km - MARGIN_KM) {
        push(&c->inside, cell_key(level, row, col));
        return;
    }
    double diag1 = geo_distance_e7(lat0, lng0, lat1, lng1), diag2 = geo_distance_e7(lat0, lng1, lat1, lng0);
    double diag = (diag1 > diag2 ? diag1 : diag2) * 1.01;
    if (near - diag > c->km + MARGIN_KM)
        return;
    if (level == 1) {
        push(&c->edge, cell_key(1, row, col));
        return;
    }
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++)
            classify(c, level - 1, row * 10 + i, col * 10 + j);
}

static int key_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

bool pg_search_radius_fits(const struct search_query *q)
{
    if (!q->has_origin || !q->has_radius || q->term || q->username || q->real_name || q->location || q->description ||
        q->gender || q->has_age || q->staff != SEARCH_STAFF_ANY || q->tag_id || q->category_id ||
        !(q->radius_km >= 0) || q->radius_km > WIDE_KM)
        return false;
    struct geo_box box;
    geo_bbox_e7(geo_e7(q->lat), geo_e7(q->lng), q->radius_km, &box);
    return box.nlng == 1 && box.lat_min > -88LL * GEO_E7 && box.lat_max < 88LL * GEO_E7 &&
           box.lng_min[0] > -178LL * GEO_E7 && box.lng_max[0] < 178LL * GEO_E7;
}

/* keys (sorted in place) as runs of consecutive keys [lo, hi]: the cells
 * of a row next to each other are one range of the primary key */
static void key_runs(struct cells *keys, struct cells *lo, struct cells *hi)
{
    qsort(keys->v, (size_t)keys->n, sizeof *keys->v, key_cmp);
    for (int i = 0; i < keys->n; i++) {
        if (hi->n && keys->v[i] <= hi->v[hi->n - 1] + 1) {
            if (keys->v[i] > hi->v[hi->n - 1])
                hi->v[hi->n - 1] = keys->v[i];
            continue;
        }
        push(lo, keys->v[i]);
        push(hi, keys->v[i]);
    }
}

/* The count of q's radius less the viewer's hides and the excluded user
 * within it, and in *hidden how many users the viewer hides: one
 * statement (search_radius_count, 017_search_links.sql). */
static int64_t radius_count(struct store *st, struct arena *a, const struct search_query *q, int64_t viewer,
                            int64_t excluded, int64_t *hidden, struct err *e)
{
    struct circle c = {
        .lat = geo_e7(q->lat), .lng = geo_e7(q->lng), .km = q->radius_km, .inside = {.a = a}, .edge = {.a = a}};
    struct geo_box box;
    geo_bbox_e7(c.lat, c.lng, c.km, &box);
    for (int64_t row = floor_div(box.lat_min, sides[3]); row <= floor_div(box.lat_max, sides[3]); row++)
        for (int64_t col = floor_div(box.lng_min[0], sides[3]); col <= floor_div(box.lng_max[0], sides[3]); col++)
            classify(&c, 3, row, col);
    struct cells ilo = {.a = a}, ihi = {.a = a}, elo = {.a = a}, ehi = {.a = a};
    key_runs(&c.inside, &ilo, &ihi);
    key_runs(&c.edge, &elo, &ehi);
    PGresult *r = pg_run(st, e, "SELECT n, hidden FROM search_radius_count($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                         "aaaaiidii", ilo.v, (size_t)ilo.n, ihi.v, (size_t)ihi.n, elo.v, (size_t)elo.n, ehi.v,
                         (size_t)ehi.n, c.lat, c.lng, c.km, viewer, excluded);
    if (!r)
        return -1;
    int64_t n = pg_col_int(r, 0, 0);
    if (hidden)
        *hidden = pg_col_int(r, 0, 1);
    PQclear(r);
    return n;
}

int64_t pg_search_radius_count(struct store *st, struct arena *a, const struct search_query *q, struct err *e)
{
    return radius_count(st, a, q, 0, 0, NULL, e);
}

/* ---- distance pages from search_geo_point (015_search_geo.sql) ----
 *
 * Rings of 1, 4, 16... km around the origin, each read beyond the last
 * one's radius (search_near_points), until the points read hold the page
 * and the users hidden or excluded; then each point's first users in id
 * order (search_near_users). A statement per step, each PL/pgSQL with its
 * own settings and its plan kept for the connection. */

enum { RING_FIRST_KM = 1, RING_GROWTH = 4 };

struct point {
    int64_t lat, lng, n;
    double km;
};

static int point_cmp(const void *x, const void *y)
{
    const struct point *a = x, *b = y;
    return (a->km > b->km) - (a->km < b->km);
}

struct near_user {
    int64_t id;
    double km;
};

static int near_user_cmp(const void *x, const void *y)
{
    const struct near_user *a = x, *b = y;
    if (a->km != b->km)
        return a->km < b->km ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Whether the circle of `km` around (lat, lng) keeps off the poles and the
 * antimeridian, where the grid's rows and columns are not its box. */
static bool circle_fits(int64_t lat, int64_t lng, double km, struct geo_box *box)
{
    geo_bbox_e7(lat, lng, km, box);
    return box->nlng == 1 && box->lat_min > -88LL * GEO_E7 && box->lat_max < 88LL * GEO_E7 &&
           box->lng_min[0] > -178LL * GEO_E7 && box->lng_max[0] < 178LL * GEO_E7;
}

bool pg_search_near_fits(const struct search_query *q)
{
    return q->has_origin && !q->term && !q->username && !q->real_name && !q->location && !q->description &&
           !q->gender && !q->has_age && q->staff == SEARCH_STAFF_ANY && !q->tag_id && !q->category_id &&
           (!q->has_radius || (q->radius_km >= 0 && q->radius_km <= WIDE_KM));
}

/* Appends to *p (of *n points) the points farther than `beyond` and
 * within `km` of the circle's centre, nearest first: the 0.01-degree
 * cells of its box, a key range per row of cells, in one statement
 * (search_near_points, 017_search_links.sql). False on error. */
static bool points_within(struct store *st, struct arena *a, int64_t lat, int64_t lng, double km, double beyond,
                          const struct geo_box *box, struct point **p, int *n, int *cap, struct err *e)
{
    struct cells lo = {.a = a}, hi = {.a = a};
    int64_t col0 = floor_div(box->lng_min[0], sides[1]), col1 = floor_div(box->lng_max[0], sides[1]);
    for (int64_t row = floor_div(box->lat_min, sides[1]); row <= floor_div(box->lat_max, sides[1]); row++) {
        push(&lo, cell_key(1, row, col0));
        push(&hi, cell_key(1, row, col1));
    }
    PGresult *r = pg_run(st, e, "SELECT lat, lng, n, km FROM search_near_points($1, $2, $3, $4, $5, $6)", "aaiidd",
                         lo.v, (size_t)lo.n, hi.v, (size_t)hi.n, lat, lng, km, beyond);
    if (!r)
        return false;
    int rows = PQntuples(r);
    if (*n + rows > *cap) {
        int grown = 2 * (*n + rows) + 16;
        struct point *v = arena_alloc(a, sizeof *v * (size_t)grown);
        if (*n)
            memcpy(v, *p, sizeof *v * (size_t)*n);
        *p = v;
        *cap = grown;
    }
    struct point *v = *p + *n;
    for (int i = 0; i < rows; i++)
        v[i] = (struct point){pg_col_int(r, i, 0), pg_col_int(r, i, 1), pg_col_int(r, i, 2), pg_col_real(r, i, 3)};
    PQclear(r);
    qsort(v, (size_t)rows, sizeof *v, point_cmp);
    *n += rows;
    return true;
}

/* The page's ids, `hidden` the number of users the viewer hides. */
static int near_ids(struct store *st, struct arena *a, const struct search_query *q, int64_t hidden, int64_t **ids,
                    double **km, int *n, struct err *e)
{
    *n = 0;
    int64_t lat = geo_e7(q->lat), lng = geo_e7(q->lng), need = (int64_t)q->offset + q->limit;
    /* users the viewer hides or excludes may be at any point: the points
     * taken must hold that many users more than the page */
    int64_t want = need + (q->exclude_id ? 1 : 0) + hidden;
    double top = q->has_radius ? q->radius_km : WIDE_KM;
    /* rings around the origin, each read beyond the last one's distance:
     * every point nearer is already in p, nearest first */
    struct point *p = NULL;
    int np = 0, cap = 0, take = 0;
    int64_t users = 0;
    double beyond = -1;
    for (double ring = RING_FIRST_KM;; ring *= RING_GROWTH) {
        bool last = ring >= top;
        if (last)
            ring = top;
        struct geo_box box;
        if (!circle_fits(lat, lng, ring, &box))
            return 0;
        if (!points_within(st, a, lat, lng, ring, beyond, &box, &p, &np, &cap, e))
            return -1;
        beyond = ring;
        /* the nearest points that hold `want` users, and every point
         * that ties with the last of them */
        while (take < np && users < want)
            users += p[take++].n;
        if (users >= want) {
            while (take < np && p[take].km == p[take - 1].km)
                take++;
            break;
        }
        if (last) {
            if (!q->has_radius)
                return 0; /* farther than the grid goes: the GiST's walk */
            break;
        }
    }
    /* each point's first users in id order (search_near_users), then all
     * of them in (distance, id) order */
    struct cells plat = {.a = a}, plng = {.a = a};
    for (int i = 0; i < take; i++) {
        push(&plat, p[i].lat);
        push(&plng, p[i].lng);
    }
    PGresult *r = pg_run(st, e, "SELECT id, km FROM search_near_users($1, $2, $3, $4, $5, $6, $7)", "aaiiiii", plat.v,
                         (size_t)plat.n, plng.v, (size_t)plng.n, lat, lng, q->exclude_id, q->viewer_id, need);
    if (!r)
        return -1;
    int rows = PQntuples(r);
    struct near_user *v = arena_alloc(a, sizeof *v * (size_t)(rows ? rows : 1));
    for (int i = 0; i < rows; i++)
        v[i] = (struct near_user){pg_col_int(r, i, 0), pg_col_real(r, i, 1)};
    PQclear(r);
    qsort(v, (size_t)rows, sizeof *v, near_user_cmp);
    int from = (int)(q->offset < rows ? q->offset : rows), to = (int)(need < rows ? need : rows);
    *ids = arena_alloc(a, sizeof **ids * (size_t)(to - from + 1));
    double *d = arena_alloc(a, sizeof *d * (size_t)(to - from + 1));
    for (int i = from; i < to; i++) {
        d[*n] = v[i].km;
        (*ids)[(*n)++] = v[i].id;
    }
    if (km)
        *km = d;
    return 1;
}

int pg_search_near_ids(struct store *st, struct arena *a, const struct search_query *q, int64_t **ids, int *n,
                       struct err *e)
{
    int64_t hidden = 0;
    if (q->viewer_id && !pg_count(st, &hidden, e, "SELECT count(*) FROM hides WHERE user_id = $1", "i", q->viewer_id))
        return -1;
    return near_ids(st, a, q, hidden, ids, NULL, n, e);
}

int pg_search_radius_page(struct store *st, struct arena *a, const struct search_query *q, int64_t *count,
                          int64_t **ids, double **km, int *n, struct err *e)
{
    *n = 0;
    int64_t hidden = 0;
    if ((*count = radius_count(st, a, q, q->viewer_id, q->exclude_id, &hidden, e)) < 0)
        return -1;
    if (q->offset >= *count || q->limit <= 0)
        return 1;
    return near_ids(st, a, q, hidden, ids, km, n, e);
}
