/* pg_search_geo.c - the exact count of the users within a radius from the
 * per-cell counts (search_cell, 012_search_text.sql), not by visiting each
 * of them: the 1-degree cells around the circle are split into 0.1-degree
 * cells and those into 0.01-degree cells where they cross its edge; a
 * cell wholly inside adds its count, one wholly outside nothing, and the
 * users of the 0.01-degree cells on the edge are checked one by one with
 * search_km, as the search's filter does.
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

int64_t pg_search_radius_count(struct store *st, struct arena *a, const struct search_query *q, struct err *e)
{
    struct circle c = {
        .lat = geo_e7(q->lat), .lng = geo_e7(q->lng), .km = q->radius_km, .inside = {.a = a}, .edge = {.a = a}};
    struct geo_box box;
    geo_bbox_e7(c.lat, c.lng, c.km, &box);
    for (int64_t row = floor_div(box.lat_min, sides[3]); row <= floor_div(box.lat_max, sides[3]); row++)
        for (int64_t col = floor_div(box.lng_min[0], sides[3]); col <= floor_div(box.lng_max[0], sides[3]); col++)
            classify(&c, 3, row, col);
    /* the inside cells' sum, and the edge cells that hold users (their
     * keys sorted, to tell them apart) */
    struct cells all = {.a = a};
    for (int i = 0; i < c.inside.n; i++)
        push(&all, c.inside.v[i]);
    for (int i = 0; i < c.edge.n; i++)
        push(&all, c.edge.v[i]);
    qsort(c.edge.v, (size_t)c.edge.n, sizeof *c.edge.v, key_cmp);
    PGresult *r = pg_run(st, e, "SELECT key, n FROM search_cell WHERE key = ANY($1::bigint[]) AND n > 0", "a", all.v,
                         (size_t)all.n);
    if (!r)
        return -1;
    int64_t inside = 0, edge = 0;
    struct buf edges = BUF_INIT;
    buf_puts(&edges, "{");
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t key = pg_col_int(r, i, 0);
        if (c.edge.n && bsearch(&key, c.edge.v, (size_t)c.edge.n, sizeof key, key_cmp))
            buf_printf(&edges, "%s%lld", edges.len > 1 ? "," : "", (long long)key);
        else
            inside += pg_col_int(r, i, 1);
    }
    buf_puts(&edges, "}");
    PQclear(r);
    /* their users one by one through users_search_cell: the planner,
     * which sees the cells of the seeded cities' centres in the index's
     * statistics, would otherwise read the whole table for a few cells */
    if (edges.len > 2 &&
        (!pg_exec_simple(st, e, "SET LOCAL enable_seqscan = off") ||
         !pg_count(st, &edge, e,
                   "SELECT count(*) FROM users u WHERE u.status IN ('a', 'b') AND search_cell(1, "
                   "search_lat_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng), "
                   "search_lng_e7(u.position_lat, u.position_lng, u.location_lat, u.location_lng)) = "
                   "ANY($1::bigint[]) AND search_km($2, $3, search_lat_e7(u.position_lat, u.position_lng, "
                   "u.location_lat, u.location_lng), search_lng_e7(u.position_lat, u.position_lng, u.location_lat, "
                   "u.location_lng)) <= $4",
                   "siid", buf_str(&edges), c.lat, c.lng, c.km) ||
         !pg_exec_simple(st, e, "SET LOCAL enable_seqscan = on")))
        edge = -1;
    buf_free(&edges);
    if (edge < 0)
        return -1;
    return inside + edge;
}
