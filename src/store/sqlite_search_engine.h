/* sqlite_search_engine.h - what the files of the SQLite search engine
 * share (sqlite_search.c describes the engine): the conditions of a query
 * as bits, its sources, the state of one search (struct run), the page
 * window, and the steps each file offers the others. Only
 * src/store/sqlite_search*.c include it.
 *
 * Everything a search allocates comes from the run's arena (r->a); the
 * statements a step prepares are finalized (or reset, when cached) before
 * it returns. Steps return false (or -1) on a storage error with r->e
 * filled. */
#ifndef HEARTH_STORE_SQLITE_SEARCH_ENGINE_H
#define HEARTH_STORE_SQLITE_SEARCH_ENGINE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/geo.h"
#include "model/search.h"
#include "store/sql.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_search_internal.h"
#include "store/test_hooks.h"

/* The engine's choices (store_search_tune changes them for tests):
 * - collect_max: a lone indexed condition with more matches than this is
 *   counted from search_count and walked; up to this many, collecting them
 *   is cheaper than any walk (about 50 ns a row);
 * - sort_max: collected results up to this many are sorted in memory (one
 *   users row read each); more are walked in the order's index;
 * - walk_max: rows a walk may expect to visit before collecting is cheaper;
 * - bitmap_ratio: another source with fewer rows than this many times the
 *   driver is scanned into a bitmap rather than checked row by row (a
 *   scanned index row costs about a tenth of a users row read). */
extern struct search_tuning sqlite_search_tuning;

/* A row walked with its conditions checked on the users row (about 1 us)
 * against a match collected from an index (about 0.7 us). */
#define SEARCH_WALK_PER_COLLECT (1.0 / 0.7)

enum {
    /* A walked index row (covering, bitmap test) costs about a twelfth of
     * reading one user's sort keys: walk while that is cheaper. */
    SEARCH_WALK_PER_FETCH = 12,
    /* Bounded count used to size a radius before choosing the driver. */
    SEARCH_ESTIMATE_CAP = 50000,
    /* At most this many conditions take part in one query. */
    SEARCH_MAX_SOURCES = 8,
};

/* The first radius (km) and its growth when walking outwards by distance. */
#define SEARCH_KNN_FIRST_KM 0.5
#define SEARCH_KNN_GROWTH 4.0

/* Conditions of a query, as bits. */
enum {
    C_TERM = 1 << 0,
    C_USERNAME = 1 << 1,
    C_REAL_NAME = 1 << 2,
    C_LOCATION = 1 << 3,
    C_DESCRIPTION = 1 << 4,
    C_GENDER = 1 << 5,
    C_AGE = 1 << 6,
    C_STAFF = 1 << 7,
    C_TAG = 1 << 8,
    C_CATEGORY = 1 << 9,
    C_GEO = 1 << 10, /* an origin: coordinates required, radius if any */
    C_ATTRS = C_GENDER | C_AGE | C_STAFF,
};

struct bits {
    uint64_t *w;
    size_t nwords;
};

/* SRC_NAME: a name term of 3 to SEARCH_NAME_CHARS characters, read from
 * search_name (023), whose keys carry gender and birth date */
enum src_kind { SRC_PREFIX, SRC_SUFFIX, SRC_TAG, SRC_CATEGORY, SRC_GEO, SRC_STAFF, SRC_NAME };

struct src {
    enum src_kind kind;
    unsigned cond;       /* its C_* bit */
    const char *text;    /* text sources: the folded term */
    int mask;            /* text sources: field bits */
    const char *lo, *hi; /* suffix range: [lo, hi) */
    bool long_term;      /* longer than the suffix cut: verify on the row */
    int64_t key;         /* tag or category id */
    int64_t est;         /* estimated matches */
    bool counted;        /* est is the exact maintained count of this source alone */
};

struct cand {
    int64_t id;
    double dist;
};

struct run {
    struct store *st;
    struct arena *a;
    const struct search_query *q;
    struct err *e;
    unsigned conds; /* C_* present */
    struct src src[SEARCH_MAX_SOURCES];
    int nsrc;
    int gender_code;
    int64_t lat0, lng0; /* origin, 1e-7 degree */
    struct geo_box box; /* radius bounding box */
    int64_t *skip;      /* hidden users and `exclude`, sorted */
    int nskip;
    int64_t max_id;
    int64_t active;                                  /* active users (search_count a) */
    struct search_order order[SEARCH_MAX_ORDER + 1]; /* effective ordering */
    int norder;
    /* collected results */
    struct bits S, T1; /* matches; username-prefix matches (relevance) */
    int64_t count;
    int64_t t0;         /* the exact-username match, 0 if none */
    struct cand *cands; /* with an origin: every match and its distance */
    size_t ncands, capcands;
    bool walk_gave_up; /* a walk met more rows than it expected: collect or sort instead */
    /* the page */
    int64_t *ids;
    double *dist;
    int n;
};

/* Rows before `offset` are counted, rows in [offset, offset + limit) kept.
 * Ties of the first ordering key are buffered as a group and sorted by the
 * remaining keys, then id ascending, before they are placed. */
struct sortrow {
    int64_t id;
    const char *k[3]; /* username, real name, location (folded) */
    int64_t joined;
    double dist;
    int rank;
};

struct window {
    struct run *r;
    int64_t pos; /* rows placed before the current group */
    struct sortrow *group;
    size_t ngroup, capgroup;
};

/* ---- sqlite_search_bitmap.c: bitmaps of user ids (as SQLite's bitvec.c) ---- */

/* Clears the bit; ids out of range are ignored (never set). */
void search_bits_clear(struct bits *b, int64_t id);

/* An empty bitmap for ids 0..max_id, in the arena. */
void search_bits_init(struct arena *a, struct bits *b, int64_t max_id);

/* The next set id >= from (ascending), or -1. */
int64_t search_bits_next(const struct bits *b, int64_t from);

/* The previous set id <= from (descending), or -1. */
int64_t search_bits_prev(const struct bits *b, int64_t from);

/* Sets the bit; false if it was set already (or the id is out of range,
 * which cannot happen for ids read after max_id was taken in the same
 * read transaction). */
bool search_bits_set(struct bits *b, int64_t id);

/* Whether the bit is set; false for ids out of range (e.g. an `exclude`
 * id that was never a user). */
bool search_bits_test(const struct bits *b, int64_t id);

/* ---- sqlite_search_plan.c: the query prepared, its conditions as SQL, sizes and maintained counts ---- */

/* A maintained count, 0 when the key is absent. */
int64_t search_count_key(struct run *r, const char *key);

/* Hidden/excluded users that pass `conds`: to subtract from a maintained
 * count. */
bool search_count_skipped(struct run *r, unsigned conds, int64_t *n);

/* Sets s->est (and s->counted) from the maintained counts, or a bounded
 * count for a radius. */
bool search_estimate(struct run *r, struct src *s);

/* The maintained count of the query's conditions when they are one alone
 * (or none); -1 when there is none to read. */
int64_t search_lone_count(struct run *r);

/* Fills r from r->q: conditions, sources, origin, effective order and the
 * users to skip. */
bool search_prepare_run(struct run *r);

/* Every condition in `conds` on the users row `u` (status included; hides
 * and `exclude` are not: the callers remove them in memory). The geo
 * condition compares the metre-rounded distance, as results show it. */
void search_row_conditions(const struct run *r, struct sql_query *b, unsigned conds);

/* Whether id is hidden from the viewer or excluded. */
bool search_skipped(const struct run *r, int64_t id);

/* The id column of a source's rows (see search_source_rows). */
const char *search_source_id(const struct src *s);

/* The FROM and WHERE of a source's index rows, alias d, id column d_id.
 * `attrs`: filter gender/age/staff on the rows (sources that carry them).
 * The order of the terms is the order SQLite tests them in: the most
 * selective cheap ones first (measured: 20% faster than fields first). */
void search_source_rows(const struct run *r, struct sql_query *b, const struct src *s, bool attrs);

/* ---- sqlite_search_page.c: the page, a window over an ordered stream; candidates by distance ---- */

/* Appends a candidate (id, distance) to r->cands, growing it in the arena. */
void search_cand_add(struct run *r, int64_t id, double dist);

/* strcmp with NULL as "". */
int search_cmp_str(const char *a, const char *b);

/* The page from collected results. */
bool search_page_from_collected(struct run *r);

/* Whether the page holds r->q->limit ids. */
bool search_page_full(const struct run *r);

/* Appends id (NAN distance: computed from the row later) to the page;
 * the caller checks search_page_full first. */
void search_page_put(struct run *r, int64_t id, double dist);

/* Places candidates in distance order (ties by the other keys, then id),
 * leaving out skipped users when `check_skip`. Only the candidates up to
 * the page's last distance (ties included) are sorted. */
bool search_place_by_distance(struct run *r, struct cand *c, size_t n, bool check_skip);

/* Places the buffered group. False only on a storage error; the page may
 * be full afterwards (page_full). */
bool search_window_flush(struct window *w);

/* Adds the next row of a stream ordered by the first key; `same` says the
 * first key equals the previous row's. False only on a storage error; stop
 * reading once page_full. */
bool search_window_push(struct window *w, int64_t id, double dist, bool same);

/* Sorts c[0..n) nearest first (farthest first when `far`), then by id. */
void search_sort_cands(struct cand *c, size_t n, bool far);

/* ---- sqlite_search_walk.c: walking an order's index; ranked and nearest pages ---- */

/* Distance order without a radius: read growing circles of the geo index
 * until one holds the page. Nearest first: circles around the origin.
 * Farthest first: circles around its antipode (the farthest points from a
 * place are the nearest to its antipode, d + d' = half the circumference).
 * Candidates are sorted by distance, and the other conditions checked on
 * the users rows in that order, only until the page (and its last tie
 * group) is complete. */
bool search_page_nearest(struct run *r);

/* The ranked page of a lone term from the prefix index. */
bool search_page_prefix_ranked(struct run *r, const struct src *s);

/* The ranked page of a lone 3-character term: the exact username, the
 * usernames starting with it (their search_prefix row, in id order), then
 * a walk by id over the other matches. */
bool search_page_suffix_ranked(struct run *r, const struct src *s);

/* Walks users in the order of r->order[0] (a text, date or id key), keeping
 * rows that pass `conds` (in SQL) and, when `in` is given, are in it. With
 * `budget`, gives up (r->walk_gave_up, empty page) after walk_max rows: the
 * matches may cluster far along the order (location=milano, ordered by
 * location), where another plan is cheaper. */
bool search_walk(struct run *r, unsigned conds, const struct bits *in, bool budget);

/* The expression and index of a walkable first key. */
bool search_walk_key(enum search_key k, const char **expr, const char **index);

/* ---- sqlite_search_cells.c: the count of a radius from the geo cells ---- */

/* The exact number of active users with coordinates within the radius of
 * the origin (hidden and excluded ones included), from the maintained geo
 * cells; -2 where the cells do not apply (a box across the antimeridian,
 * near a pole or very wide), -1 on a storage error. */
int64_t search_radius_count(struct run *r);

/* The page of the nearest users when the origin (and a radius) is the only
 * condition and the order is distance then id: the distinct points of
 * growing circles from the cells, then only the users a page needs from
 * search_point (the first ids of a point many users share). 1 done, 0 not
 * applicable (search_page_nearest reads the geo index), -1 error. */
int search_page_nearest_points(struct run *r);

/* ---- sqlite_search_collect.c: collecting matches into bitmaps ---- */

/* Collects the matches into r->S (and r->T1, r->cands, r->t0). */
bool search_collect(struct run *r);

#endif
