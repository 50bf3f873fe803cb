/* sqlite_search_page.c - the search engine's page: a window over a stream
 * in the order's first key (ties sorted by the other keys), candidates
 * placed by distance, and the page read from collected matches. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_search_engine.h"

/* ================================================================ */
/* the page: a window over an ordered stream                        */

/* Reads the sort keys of row->id from the users row. */
static bool fetch_keys(struct run *r, struct sortrow *row)
{
    /* folding the location costs more than reading the row: only when
     * the ordering has it */
    sqlite3_stmt *q = sqlite_stmt(r->st,
                                  "SELECT username_fold, real_name_fold, CASE WHEN $1 THEN fold(location) END, "
                                  "date_joined_us, position_lat, position_lng, location_lat, location_lng FROM users "
                                  "WHERE id = $2",
                                  r->e);
    if (!q)
        return false;
    bool location = false;
    for (int i = 0; i < r->norder; i++)
        location |= r->order[i].key == SEARCH_KEY_LOCATION;
    /* "$N" are named parameters, numbered by first appearance */
    sqlite3_bind_int(q, 1, location);
    sqlite3_bind_int64(q, 2, row->id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        for (int i = 0; i < 3; i++)
            row->k[i] = sqlite_col_text(r->a, q, i);
        row->joined = sqlite3_column_int64(q, 3);
        int64_t lat, lng;
        if (r->q->has_origin &&
            sqlite_search_user_e7(sqlite3_column_value(q, 4), sqlite3_column_value(q, 5), sqlite3_column_value(q, 6),
                                  sqlite3_column_value(q, 7), &lat, &lng))
            row->dist = geo_round_km(geo_distance_e7(r->lat0, r->lng0, lat, lng));
    }
    sqlite3_reset(q);
    return true;
}

int search_cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int compare_key(const struct sortrow *x, const struct sortrow *y, enum search_key k)
{
    switch (k) {
    case SEARCH_KEY_USERNAME: return search_cmp_str(x->k[0], y->k[0]);
    case SEARCH_KEY_REAL_NAME: return search_cmp_str(x->k[1], y->k[1]);
    case SEARCH_KEY_LOCATION: return search_cmp_str(x->k[2], y->k[2]);
    case SEARCH_KEY_DATE_JOINED: return (x->joined > y->joined) - (x->joined < y->joined);
    case SEARCH_KEY_DISTANCE: return (x->dist > y->dist) - (x->dist < y->dist);
    case SEARCH_KEY_RELEVANCE: return (x->rank > y->rank) - (x->rank < y->rank);
    case SEARCH_KEY_ID: return (x->id > y->id) - (x->id < y->id);
    }
    return 0;
}

/* qsort has no context argument; the ordering of the sort in progress. */
static _Thread_local const struct run *sorting;
static _Thread_local int sort_from; /* first ordering key to compare */

static int compare_rows(const void *a, const void *b)
{
    const struct sortrow *x = a, *y = b;
    for (int i = sort_from; i < sorting->norder; i++) {
        int c = compare_key(x, y, sorting->order[i].key);
        if (c)
            return sorting->order[i].desc ? -c : c;
    }
    return (x->id > y->id) - (x->id < y->id);
}

static void sort_rows(const struct run *r, struct sortrow *rows, size_t n, int from)
{
    sorting = r;
    sort_from = from;
    qsort(rows, n, sizeof *rows, compare_rows);
}

bool search_page_full(const struct run *r) { return r->n >= r->q->limit; }

void search_page_put(struct run *r, int64_t id, double dist)
{
    assert(r->n < (r->q->limit > 0 ? r->q->limit : 1)); /* r->ids has room for one page */
    r->ids[r->n] = id;
    r->dist[r->n] = dist;
    r->n++;
}

bool search_window_flush(struct window *w)
{
    struct run *r = w->r;
    const struct search_query *q = r->q;
    if (w->ngroup && w->pos + (int64_t)w->ngroup > q->offset && !search_page_full(r)) {
        if (w->ngroup > 1) {
            if (r->norder > 1)
                for (size_t i = 0; i < w->ngroup; i++)
                    if (!fetch_keys(r, &w->group[i]))
                        return false;
            sort_rows(r, w->group, w->ngroup, 1);
        }
        for (size_t i = 0; i < w->ngroup && !search_page_full(r); i++)
            if (w->pos + (int64_t)i >= q->offset)
                search_page_put(r, w->group[i].id, w->group[i].dist);
    }
    w->pos += (int64_t)w->ngroup;
    w->ngroup = 0;
    return true;
}

bool search_window_push(struct window *w, int64_t id, double dist, bool same)
{
    if (!same && !search_window_flush(w))
        return false;
    if (search_page_full(w->r))
        return true;
    if (w->ngroup == w->capgroup) {
        size_t cap = w->capgroup ? 2 * w->capgroup : 64;
        struct sortrow *g = arena_alloc(w->r->a, cap * sizeof *g);
        if (w->ngroup)
            memcpy(g, w->group, w->ngroup * sizeof *g);
        w->group = g;
        w->capgroup = cap;
    }
    w->group[w->ngroup++] = (struct sortrow){.id = id, .dist = dist};
    return true;
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static void cand_swap(struct cand *a, struct cand *b)
{
    struct cand t = *a;
    *a = *b;
    *b = t;
}

/* Whether a comes before b: nearer (farther when `far`), then lower id. */
static bool cand_before(const struct cand *a, const struct cand *b, bool far)
{
    if (a->dist != b->dist)
        return far ? a->dist > b->dist : a->dist < b->dist;
    return a->id < b->id;
}

/* Reorders c[0..n) so that its first k entries are the first k in
 * cand_before order (unsorted). */
static void select_first(struct cand *c, size_t n, size_t k, bool far)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1 && k > lo && k < hi) {
        struct cand pivot = c[lo + (hi - lo) / 2];
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (cand_before(&c[i], &pivot, far))
                cand_swap(&c[lt++], &c[i++]);
            else if (cand_before(&pivot, &c[i], far))
                cand_swap(&c[i], &c[--gt]);
            else
                i++;
        }
        if (k <= lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return;
    }
}

static _Thread_local bool sorting_far;

static int cmp_cand_dir(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    return cand_before(x, y, sorting_far) ? -1 : cand_before(y, x, sorting_far) ? 1 : 0;
}

void search_sort_cands(struct cand *c, size_t n, bool far)
{
    sorting_far = far;
    if (n > 1)
        qsort(c, n, sizeof *c, cmp_cand_dir);
}

/* The k-th smallest distance (0-based) of c[0..n); reorders c. */
static double nth_distance(struct cand *c, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        double pivot = c[lo + (hi - lo) / 2].dist;
        size_t lt = lo, i = lo, gt = hi; /* three-way: ties stay together */
        while (i < gt) {
            if (c[i].dist < pivot)
                cand_swap(&c[lt++], &c[i++]);
            else if (c[i].dist > pivot)
                cand_swap(&c[i], &c[--gt]);
            else
                i++;
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return pivot;
    }
    return c[lo].dist;
}

bool search_place_by_distance(struct run *r, struct cand *c, size_t n, bool check_skip)
{
    if (check_skip && r->nskip) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!search_skipped(r, c[i].id))
                c[m++] = c[i];
        n = m;
    }
    size_t need = (size_t)r->q->offset + (size_t)r->q->limit;
    bool far = r->order[0].desc;
    if (need == 0 || n == 0)
        return true;
    if (r->norder == 1) {
        /* distance, then id: the first `need` in that order, sorted */
        if (need < n) {
            select_first(c, n, need, far);
            n = need;
        }
        search_sort_cands(c, n, far);
        for (size_t i = (size_t)r->q->offset; i < n && !search_page_full(r); i++)
            search_page_put(r, c[i].id, c[i].dist);
        return true;
    }
    if (need < n) {
        double edge = nth_distance(c, n, far ? n - need : need - 1);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (far ? c[i].dist >= edge : c[i].dist <= edge)
                cand_swap(&c[m++], &c[i]);
        n = m;
    }
    if (n > 1)
        qsort(c, n, sizeof *c, cmp_cand);
    struct window w = {.r = r};
    bool desc = r->order[0].desc;
    /* blocks of equal distance, in order (reversed when descending) */
    size_t i = 0;
    while (i < n && !search_page_full(r)) {
        size_t start, end;
        if (!desc) {
            start = i;
            end = i + 1;
            while (end < n && c[end].dist == c[start].dist)
                end++;
        } else {
            end = n - i;
            start = end - 1;
            while (start > 0 && c[start - 1].dist == c[end - 1].dist)
                start--;
        }
        for (size_t k = start; k < end; k++)
            if (!search_window_push(&w, c[k].id, c[k].dist, k > start))
                return false;
        i += end - start;
    }
    return search_window_flush(&w);
}

bool search_page_from_collected(struct run *r)
{
    const struct search_query *q = r->q;
    const struct search_order *o = &r->order[0];
    if (q->offset >= r->count)
        return true;
    if (o->key == SEARCH_KEY_RELEVANCE || o->key == SEARCH_KEY_ID) {
        /* relevance: the exact username, then username prefixes, then the
         * others, each by id; id: by id */
        int64_t skip = q->offset;
        if (o->key == SEARCH_KEY_RELEVANCE && r->t0) {
            if (skip > 0)
                skip--;
            else
                search_page_put(r, r->t0, NAN);
        }
        for (int pass = 0; pass < (o->key == SEARCH_KEY_RELEVANCE ? 2 : 1) && !search_page_full(r); pass++) {
            bool desc = o->key == SEARCH_KEY_ID && o->desc;
            for (int64_t id = desc ? search_bits_prev(&r->S, (int64_t)r->S.nwords * 64 - 1)
                                   : search_bits_next(&r->S, 0);
                 id >= 0 && !search_page_full(r);
                 id = desc ? search_bits_prev(&r->S, id - 1) : search_bits_next(&r->S, id + 1)) {
                if (o->key == SEARCH_KEY_RELEVANCE && (id == r->t0 || search_bits_test(&r->T1, id) != (pass == 0)))
                    continue;
                if (skip > 0)
                    skip--;
                else
                    search_page_put(r, id, NAN);
            }
        }
        return true;
    }
    if (o->key == SEARCH_KEY_DISTANCE)
        return search_place_by_distance(r, r->cands, r->ncands, true);
    /* a text or date key: sort small results, walk large ones */
    const char *expr, *index;
    int64_t need = (int64_t)q->offset + q->limit;
    double walk_rows = (double)need * (double)(r->active > 0 ? r->active : 1) / (double)r->count;
    if (!r->walk_gave_up && r->count > sqlite_search_tuning.sort_max && walk_rows < sqlite_search_tuning.walk_max &&
        walk_rows < SEARCH_WALK_PER_FETCH * r->count && search_walk_key(o->key, &expr, &index)) {
        if (!search_walk(r, 0, &r->S, true))
            return false;
        if (!r->walk_gave_up)
            return true;
    }
    struct sortrow *rows = arena_alloc(r->a, (size_t)r->count * sizeof *rows);
    size_t n = 0;
    for (int64_t id = search_bits_next(&r->S, 0); id >= 0; id = search_bits_next(&r->S, id + 1)) {
        rows[n].id = id;
        if (!fetch_keys(r, &rows[n]))
            return false;
        n++;
    }
    sort_rows(r, rows, n, 0);
    for (size_t i = (size_t)q->offset; i < n && !search_page_full(r); i++)
        search_page_put(r, rows[i].id, rows[i].dist);
    return true;
}

void search_cand_add(struct run *r, int64_t id, double dist)
{
    if (r->ncands == r->capcands) {
        size_t cap = r->capcands ? 2 * r->capcands : 256;
        struct cand *c = arena_alloc(r->a, cap * sizeof *c);
        if (r->ncands)
            memcpy(c, r->cands, r->ncands * sizeof *c);
        r->cands = c;
        r->capcands = cap;
    }
    r->cands[r->ncands++] = (struct cand){id, dist};
}
