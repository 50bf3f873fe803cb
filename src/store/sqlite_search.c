/* sqlite_search.c - answering a search_query (domain/search.h) from the
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
 * The viewer's hidden users and `exclude` are removed in memory (from the
 * collected bitmap, or from a maintained count by checking them one by
 * one). An origin without a radius that orders by distance reads the geo
 * index in growing circles until the page is inside one.
 */
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/geo.h"
#include "core/log.h"
#include "core/text.h"
#include "domain/search.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_search_internal.h"

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
static struct search_tuning tuning = {.collect_max = 20000, .sort_max = 500, .walk_max = 60000, .bitmap_ratio = 8};

void store_search_tune(const struct search_tuning *t) { tuning = *t; }

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
#define SEARCH_KNN_FIRST_KM 5.0
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

/* ================================================================ */
/* bitmaps of user ids                                              */

struct bits {
    uint64_t *w;
    size_t nwords;
};

static void bits_init(struct arena *a, struct bits *b, int64_t max_id)
{
    b->nwords = (size_t)max_id / 64 + 1;
    b->w = arena_alloc(a, b->nwords * sizeof *b->w);
}

static bool bits_test(const struct bits *b, int64_t id)
{
    return id >= 0 && (size_t)id / 64 < b->nwords && (b->w[id / 64] >> (id % 64)) & 1;
}

/* Sets the bit; false if it was set already (or the id is out of range,
 * which cannot happen for ids read after max_id was taken in the same
 * read transaction). */
static bool bits_set(struct bits *b, int64_t id)
{
    if (id < 0 || (size_t)id / 64 >= b->nwords || bits_test(b, id))
        return false;
    b->w[id / 64] |= 1ULL << (id % 64);
    return true;
}

static void bits_clear(struct bits *b, int64_t id)
{
    if (id >= 0 && (size_t)id / 64 < b->nwords)
        b->w[id / 64] &= ~(1ULL << (id % 64));
}

/* The next set id >= from (ascending), or -1. */
static int64_t bits_next(const struct bits *b, int64_t from)
{
    if (from < 0)
        from = 0;
    size_t i = (size_t)from / 64;
    if (i >= b->nwords)
        return -1;
    uint64_t w = b->w[i] & (~0ULL << (from % 64));
    while (!w) {
        if (++i >= b->nwords)
            return -1;
        w = b->w[i];
    }
    return (int64_t)(i * 64 + (size_t)__builtin_ctzll(w));
}

/* The previous set id <= from (descending), or -1. */
static int64_t bits_prev(const struct bits *b, int64_t from)
{
    if (from < 0)
        return -1;
    size_t i = (size_t)from / 64;
    if (i >= b->nwords) {
        i = b->nwords - 1;
        from = (int64_t)(i * 64 + 63);
    }
    uint64_t w = b->w[i] & (from % 64 == 63 ? ~0ULL : ((1ULL << (from % 64 + 1)) - 1));
    while (!w) {
        if (i-- == 0)
            return -1;
        w = b->w[i];
    }
    return (int64_t)(i * 64 + 63 - (size_t)__builtin_clzll(w));
}

/* ================================================================ */
/* the query, prepared                                              */

enum src_kind { SRC_PREFIX, SRC_SUFFIX, SRC_TAG, SRC_CATEGORY, SRC_GEO, SRC_STAFF };

struct src {
    enum src_kind kind;
    unsigned cond;     /* its C_* bit */
    const char *text;  /* text sources: the folded term */
    int mask;          /* text sources: field bits */
    const char *lo, *hi; /* suffix range: [lo, hi) */
    bool long_term;    /* longer than the suffix cut: verify on the row */
    int64_t key;       /* tag or category id */
    int64_t est;       /* estimated matches */
    bool counted;      /* est is the exact maintained count of this source alone */
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
    int64_t active; /* active users (search_count a) */
    struct search_order order[SEARCH_MAX_ORDER + 1]; /* effective ordering */
    int norder;
    /* collected results */
    struct bits S, T1; /* matches; username-prefix matches (relevance) */
    int64_t count;
    int64_t t0; /* the exact-username match, 0 if none */
    struct cand *cands; /* with an origin: every match and its distance */
    size_t ncands, capcands;
    bool walk_gave_up; /* a walk met more rows than it expected: collect or sort instead */
    /* the page */
    int64_t *ids;
    double *dist;
    int n;
};

/* U+10FFFF is never needed: [lo, lo with its last byte + 1) is exactly the
 * byte strings that start with lo (valid UTF-8 has no 0xFF byte). */
static const char *prefix_end(struct arena *a, const char *lo)
{
    size_t n = strlen(lo);
    char *hi = arena_strndup(a, lo, n);
    hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
    return hi;
}

/* The first `chars` characters of s. */
static const char *first_chars(struct arena *a, const char *s, long chars)
{
    const unsigned char *p = (const unsigned char *)s;
    for (long c = 0; c < chars && *p; c++) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
    }
    return arena_strndup(a, s, (size_t)(p - (const unsigned char *)s));
}

/* A maintained count, 0 when the key is absent. */
static int64_t count_key(struct run *r, const char *key)
{
    sqlite3_stmt *q = sqlite_stmt(r->st, "SELECT n FROM search_count WHERE key = $1", r->e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    int64_t n = 0;
    return sqlite_get_int(r->st, q, &n, r->e) < 0 ? -1 : n;
}

static void add_text_source(struct run *r, unsigned cond, const char *text, int mask)
{
    struct src *s = &r->src[r->nsrc++];
    long chars = text_chars(text);
    s->cond = cond;
    s->text = text;
    s->mask = mask;
    if (chars <= SEARCH_PREFIX_CHARS) {
        s->kind = SRC_PREFIX;
        return;
    }
    s->kind = SRC_SUFFIX;
    s->long_term = chars > SEARCH_SUFFIX_CHARS;
    s->lo = s->long_term ? first_chars(r->a, text, SEARCH_SUFFIX_CHARS) : text;
    s->hi = prefix_end(r->a, s->lo);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static bool skipped(const struct run *r, int64_t id)
{
    return r->nskip && bsearch(&id, r->skip, (size_t)r->nskip, sizeof *r->skip, cmp_i64);
}

/* Loads the viewer's hidden users and `exclude` into r->skip. */
static bool load_skip(struct run *r)
{
    size_t cap = 16;
    r->skip = arena_alloc(r->a, cap * sizeof *r->skip);
    if (r->q->exclude_id > 0)
        r->skip[r->nskip++] = r->q->exclude_id;
    if (r->q->viewer_id > 0) {
        sqlite3_stmt *q = sqlite_stmt(r->st, "SELECT hidden_id FROM hides WHERE user_id = $1", r->e);
        if (!q)
            return false;
        sqlite3_bind_int64(q, 1, r->q->viewer_id);
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            if ((size_t)r->nskip == cap) {
                int64_t *v = arena_alloc(r->a, 2 * cap * sizeof *v);
                memcpy(v, r->skip, cap * sizeof *v);
                r->skip = v;
                cap *= 2;
            }
            r->skip[r->nskip++] = sqlite3_column_int64(q, 0);
        }
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            return sqlite_fail(r->st, r->e, "search hides");
    }
    qsort(r->skip, (size_t)r->nskip, sizeof *r->skip, cmp_i64);
    return true;
}

/* The effective ordering: the given keys up to the first unique one
 * (username, id), relevance or the fallback when none. */
static void effective_order(struct run *r)
{
    const struct search_query *q = r->q;
    r->norder = 0;
    for (int i = 0; i < q->norder; i++) {
        if (q->order[i].key == SEARCH_KEY_DISTANCE && !q->has_origin)
            continue;
        if (q->order[i].key == SEARCH_KEY_RELEVANCE && !q->term)
            continue;
        r->order[r->norder++] = q->order[i];
        if (q->order[i].key == SEARCH_KEY_USERNAME || q->order[i].key == SEARCH_KEY_ID)
            return;
    }
    if (r->norder == 0)
        r->order[r->norder++] = (struct search_order){q->term ? SEARCH_KEY_RELEVANCE : q->fallback, false};
}

static bool prepare_run(struct run *r)
{
    const struct search_query *q = r->q;
    if (q->term) {
        r->conds |= C_TERM;
        add_text_source(r, C_TERM, q->term, SEARCH_FIELD_NAMES);
    }
    const struct {
        const char *text;
        unsigned cond;
        int mask;
    } texts[] = {{q->username, C_USERNAME, SEARCH_FIELD_USERNAME},
                 {q->real_name, C_REAL_NAME, SEARCH_FIELD_REAL_NAME},
                 {q->location, C_LOCATION, SEARCH_FIELD_LOCATION},
                 {q->description, C_DESCRIPTION, SEARCH_FIELD_DESCRIPTION}};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (texts[i].text) {
            r->conds |= texts[i].cond;
            add_text_source(r, texts[i].cond, texts[i].text, texts[i].mask);
        }
    if (q->gender)
        r->conds |= C_GENDER;
    if (q->has_age)
        r->conds |= C_AGE;
    if (q->staff != SEARCH_STAFF_ANY)
        r->conds |= C_STAFF;
    if (q->staff == SEARCH_STAFF_ONLY)
        r->src[r->nsrc++] = (struct src){.kind = SRC_STAFF, .cond = C_STAFF};
    if (q->tag_id) {
        r->conds |= C_TAG;
        r->src[r->nsrc++] = (struct src){.kind = SRC_TAG, .cond = C_TAG, .key = q->tag_id};
    }
    if (q->category_id) {
        r->conds |= C_CATEGORY;
        r->src[r->nsrc++] = (struct src){.kind = SRC_CATEGORY, .cond = C_CATEGORY, .key = q->category_id};
    }
    if (q->has_origin) {
        r->conds |= C_GEO;
        r->lat0 = geo_e7(q->lat);
        r->lng0 = geo_e7(q->lng);
        if (q->has_radius) {
            geo_bbox_e7(r->lat0, r->lng0, q->radius_km, &r->box);
            r->src[r->nsrc++] = (struct src){.kind = SRC_GEO, .cond = C_GEO};
        }
    }
    r->gender_code = q->gender ? sqlite_search_gender_code(q->gender) : 0;
    effective_order(r);
    return load_skip(r);
}

/* ================================================================ */
/* conditions as SQL                                                */

static const char *text_column(unsigned cond)
{
    switch (cond) {
    case C_USERNAME:
        return "u.username_fold";
    case C_REAL_NAME:
        return "u.real_name_fold";
    case C_LOCATION:
        return "fold(u.location)";
    default:
        return "fold(u.description)";
    }
}

/* One text condition on the users row `u`. */
static void text_row(struct sql_query *b, unsigned cond, const char *term)
{
    int k = sql_text(b, term);
    bool word = text_chars(term) <= SEARCH_PREFIX_CHARS;
    if (cond == C_TERM) {
        if (word)
            buf_printf(&b->sql, " AND (search_word_start(u.username_fold, $%d) OR search_word_start(u.real_name_fold, $%d))",
                       k, k);
        else
            buf_printf(&b->sql, " AND (instr(u.username_fold, $%d) > 0 OR instr(u.real_name_fold, $%d) > 0)", k, k);
    } else if (word) {
        buf_printf(&b->sql, " AND search_word_start(%s, $%d)", text_column(cond), k);
    } else {
        buf_printf(&b->sql, " AND instr(%s, $%d) > 0", text_column(cond), k);
    }
}

static const char *term_of(const struct search_query *q, unsigned cond)
{
    switch (cond) {
    case C_TERM:
        return q->term;
    case C_USERNAME:
        return q->username;
    case C_REAL_NAME:
        return q->real_name;
    case C_LOCATION:
        return q->location;
    default:
        return q->description;
    }
}

/* yyyymmdd -> "YYYY-MM-DD" */
static const char *dob_text(struct arena *a, int yyyymmdd)
{
    return arena_printf(a, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
}

/* Every condition in `conds` on the users row `u` (status included; hides
 * and `exclude` are not: the callers remove them in memory). The geo
 * condition compares the metre-rounded distance, as results show it. */
static void row_conditions(const struct run *r, struct sql_query *b, unsigned conds)
{
    const struct search_query *q = r->q;
    buf_puts(&b->sql, " u.status IN ('a', 'b')");
    for (unsigned c = C_TERM; c <= C_DESCRIPTION; c <<= 1)
        if (conds & c)
            text_row(b, c, term_of(q, c));
    if (conds & C_GENDER)
        buf_printf(&b->sql, " AND u.gender = $%d", sql_text(b, q->gender));
    if (conds & C_AGE) {
        /* "YYYY-MM-DD" compares like the date: the birth date index serves it */
        if (q->dob_after)
            buf_printf(&b->sql, " AND u.date_of_birth > $%d", sql_text(b, dob_text(r->a, q->dob_after)));
        if (q->dob_upto)
            buf_printf(&b->sql, " AND u.date_of_birth <= $%d", sql_text(b, dob_text(r->a, q->dob_upto)));
        buf_puts(&b->sql, " AND u.date_of_birth IS NOT NULL");
    }
    if (conds & C_STAFF)
        buf_puts(&b->sql, q->staff == SEARCH_STAFF_ONLY ? " AND u.role IS NOT NULL" : " AND u.role IS NULL");
    if (conds & C_TAG)
        buf_printf(&b->sql, " AND EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.id AND t.tag_id = $%d)",
                   sql_int(b, q->tag_id));
    if (conds & C_CATEGORY)
        buf_printf(&b->sql,
                   " AND EXISTS (SELECT 1 FROM category_follows c WHERE c.user_id = u.id AND c.category_id = $%d)",
                   sql_int(b, q->category_id));
    if (conds & C_GEO) {
        int la = sql_real(b, q->lat), ln = sql_real(b, q->lng);
        buf_printf(&b->sql,
                   " AND search_user_km($%d, $%d, u.position_lat, u.position_lng, u.location_lat, u.location_lng) %s",
                   la, ln, q->has_radius ? "<= " : "IS NOT NULL");
        if (q->has_radius)
            buf_printf(&b->sql, "$%d", sql_real(b, q->radius_km));
    }
}

/* gender, age and staff on an index row `d` that carries them */
static void attr_conditions(const struct run *r, struct sql_query *b, const char *d)
{
    const struct search_query *q = r->q;
    if (r->conds & C_GENDER)
        buf_printf(&b->sql, " AND %s.gender = $%d", d, sql_int(b, r->gender_code));
    if (r->conds & C_AGE) {
        /* a NULL dob fails either comparison */
        if (q->dob_after)
            buf_printf(&b->sql, " AND %s.dob > $%d", d, sql_int(b, q->dob_after));
        if (q->dob_upto)
            buf_printf(&b->sql, " AND %s.dob <= $%d", d, sql_int(b, q->dob_upto));
        if (!q->dob_after && !q->dob_upto)
            buf_printf(&b->sql, " AND %s.dob IS NOT NULL", d);
    }
    if (r->conds & C_STAFF)
        buf_printf(&b->sql, " AND %s.staff = %d", d, q->staff == SEARCH_STAFF_ONLY);
}

/* The FROM and WHERE of a source's index rows, alias d, id column d_id.
 * `attrs`: filter gender/age/staff on the rows (sources that carry them).
 * The order of the terms is the order SQLite tests them in: the most
 * selective cheap ones first (measured: 20% faster than fields first). */
static void source_rows(const struct run *r, struct sql_query *b, const struct src *s, bool attrs)
{
    switch (s->kind) {
    case SRC_PREFIX:
        buf_printf(&b->sql, " FROM search_prefix d WHERE d.pfx = $%d", sql_text(b, s->text));
        break;
    case SRC_SUFFIX:
        buf_printf(&b->sql, " FROM search_suffix d WHERE d.suffix >= $%d AND d.suffix < $%d", sql_text(b, s->lo),
                   sql_text(b, s->hi));
        break;
    case SRC_TAG:
    case SRC_CATEGORY:
        buf_printf(&b->sql, " FROM search_member d WHERE d.kind = %d AND d.key = $%d",
                   s->kind == SRC_TAG ? SEARCH_MEMBER_TAG : SEARCH_MEMBER_CATEGORY, sql_int(b, s->key));
        break;
    case SRC_STAFF:
        /* the users rows themselves: conditions on them need no join */
        buf_puts(&b->sql, " FROM users u INDEXED BY search_by_staff WHERE u.role IS NOT NULL AND u.status IN ('a', 'b')");
        return; /* attributes are checked on the users row */
    case SRC_GEO:
        return; /* see geo_rows */
    }
    if (attrs)
        attr_conditions(r, b, "d");
    if (s->kind == SRC_PREFIX || s->kind == SRC_SUFFIX)
        buf_printf(&b->sql, " AND (d.fields & %d) <> 0", s->mask);
}

static const char *source_id(const struct src *s)
{
    if (s->kind == SRC_STAFF)
        return "u.id";
    return s->kind == SRC_GEO ? "d.id" : "d.user_id";
}

/* ================================================================ */
/* choosing                                                         */

static bool estimate(struct run *r, struct src *s)
{
    char key[96];
    switch (s->kind) {
    case SRC_PREFIX:
        snprintf(key, sizeof key, "p%d:%s", s->mask, s->text);
        s->counted = true;
        break;
    case SRC_SUFFIX: {
        /* the count of the first three characters: exact for a 3-character
         * term, an upper bound for a longer one */
        const char *tri = first_chars(r->a, s->text, SEARCH_TRIGRAM_CHARS);
        snprintf(key, sizeof key, "t%d:%s", s->mask, tri);
        s->counted = !strcmp(tri, s->text);
        break;
    }
    case SRC_TAG:
    case SRC_CATEGORY:
        snprintf(key, sizeof key, "m%d:%lld", s->kind == SRC_TAG ? SEARCH_MEMBER_TAG : SEARCH_MEMBER_CATEGORY,
                 (long long)s->key);
        s->counted = true;
        break;
    case SRC_STAFF:
        snprintf(key, sizeof key, "s");
        s->counted = true;
        break;
    case SRC_GEO: {
        struct sql_query b = {0};
        buf_printf(&b.sql, "SELECT count(*) FROM (SELECT 1 FROM search_geo d WHERE d.lat_min >= $%d AND d.lat_max <= $%d",
                   sql_int(&b, r->box.lat_min), sql_int(&b, r->box.lat_max));
        buf_printf(&b.sql, " AND d.lng_min >= $%d AND d.lng_max <= $%d LIMIT %d)", sql_int(&b, r->box.lng_min[0]),
                   sql_int(&b, r->box.lng_max[0]), SEARCH_ESTIMATE_CAP);
        s->est = 0;
        if (sqlite_query_get_int(r->st, &b, &s->est, r->e) < 0)
            return false;
        if (r->box.nlng == 2)
            s->est = SEARCH_ESTIMATE_CAP; /* across the antimeridian: rare, assume large */
        return true;
    }
    }
    s->est = count_key(r, key);
    return s->est >= 0;
}

/* ================================================================ */
/* the page: a window over an ordered stream                        */

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
        if (r->q->has_origin && sqlite_search_user_e7(sqlite3_column_value(q, 4), sqlite3_column_value(q, 5),
                                                      sqlite3_column_value(q, 6), sqlite3_column_value(q, 7), &lat,
                                                      &lng))
            row->dist = geo_round_km(geo_distance_e7(r->lat0, r->lng0, lat, lng));
    }
    sqlite3_reset(q);
    return true;
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int compare_key(const struct sortrow *x, const struct sortrow *y, enum search_key k)
{
    switch (k) {
    case SEARCH_KEY_USERNAME:
        return cmp_str(x->k[0], y->k[0]);
    case SEARCH_KEY_REAL_NAME:
        return cmp_str(x->k[1], y->k[1]);
    case SEARCH_KEY_LOCATION:
        return cmp_str(x->k[2], y->k[2]);
    case SEARCH_KEY_DATE_JOINED:
        return (x->joined > y->joined) - (x->joined < y->joined);
    case SEARCH_KEY_DISTANCE:
        return (x->dist > y->dist) - (x->dist < y->dist);
    case SEARCH_KEY_RELEVANCE:
        return (x->rank > y->rank) - (x->rank < y->rank);
    case SEARCH_KEY_ID:
        return (x->id > y->id) - (x->id < y->id);
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

static bool page_full(const struct run *r) { return r->n >= r->q->limit; }

static void page_put(struct run *r, int64_t id, double dist)
{
    r->ids[r->n] = id;
    r->dist[r->n] = dist;
    r->n++;
}

/* Places the buffered group. False only on a storage error; the page may
 * be full afterwards (page_full). */
static bool window_flush(struct window *w)
{
    struct run *r = w->r;
    const struct search_query *q = r->q;
    if (w->ngroup && w->pos + (int64_t)w->ngroup > q->offset && !page_full(r)) {
        if (w->ngroup > 1) {
            if (r->norder > 1)
                for (size_t i = 0; i < w->ngroup; i++)
                    if (!fetch_keys(r, &w->group[i]))
                        return false;
            sort_rows(r, w->group, w->ngroup, 1);
        }
        for (size_t i = 0; i < w->ngroup && !page_full(r); i++)
            if (w->pos + (int64_t)i >= q->offset)
                page_put(r, w->group[i].id, w->group[i].dist);
    }
    w->pos += (int64_t)w->ngroup;
    w->ngroup = 0;
    return true;
}

/* Adds the next row of a stream ordered by the first key; `same` says the
 * first key equals the previous row's. False only on a storage error; stop
 * reading once page_full. */
static bool window_push(struct window *w, int64_t id, double dist, bool same)
{
    if (!same && !window_flush(w))
        return false;
    if (page_full(w->r))
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

/* ================================================================ */
/* walking an order's index                                         */

/* The expression and index of a walkable first key. */
static bool walk_key(enum search_key k, const char **expr, const char **index)
{
    switch (k) {
    case SEARCH_KEY_USERNAME:
        *expr = "u.username_fold";
        *index = "search_by_username";
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
    default:
        return false;
    }
}

/* The distance of a users row read with the coordinates at column `col`;
 * NAN without coordinates. */
static double row_distance(const struct run *r, sqlite3_stmt *q, int col)
{
    int64_t lat, lng;
    if (!r->q->has_origin || !sqlite_search_user_e7(sqlite3_column_value(q, col), sqlite3_column_value(q, col + 1),
                                                    sqlite3_column_value(q, col + 2),
                                                    sqlite3_column_value(q, col + 3), &lat, &lng))
        return NAN;
    return geo_round_km(geo_distance_e7(r->lat0, r->lng0, lat, lng));
}

/* Walks users in the order of r->order[0] (a text, date or id key), keeping
 * rows that pass `conds` (in SQL) and, when `in` is given, are in it. With
 * `budget`, gives up (r->walk_gave_up, empty page) after walk_max rows: the
 * matches may cluster far along the order (location=milano, ordered by
 * location), where another plan is cheaper. */
static bool walk(struct run *r, unsigned conds, const struct bits *in, bool budget)
{
    const char *expr, *index;
    enum search_key k = r->order[0].key;
    if (!walk_key(k, &expr, &index))
        return err_internal(r->e);
    bool desc = r->order[0].desc;
    struct sql_query b = {0};
    /* with the membership in a bitmap, the index alone answers (distances
     * come later, from the page's users rows) */
    bool covering = conds == 0;
    if (covering)
        buf_printf(&b.sql, "SELECT u.id, %s, NULL, NULL, NULL, NULL FROM users u", expr);
    else
        buf_printf(&b.sql, "SELECT u.id, %s, u.position_lat, u.position_lng, u.location_lat, u.location_lng FROM users u",
                   expr);
    if (index)
        buf_printf(&b.sql, " INDEXED BY %s", index);
    buf_puts(&b.sql, " WHERE");
    row_conditions(r, &b, conds);
    if (k == SEARCH_KEY_ID)
        buf_printf(&b.sql, " ORDER BY u.id %s", desc ? "DESC" : "ASC");
    else
        buf_printf(&b.sql, " ORDER BY %s %s, u.id %s", expr, desc ? "DESC" : "ASC", desc ? "DESC" : "ASC");
    sqlite3_stmt *q = sqlite_query_prepare(r->st, &b, r->e);
    if (!q)
        return false;
    struct window w = {.r = r};
    const char *prev_text = NULL;
    int64_t prev_int = 0;
    bool first = true, ok = true;
    int rc = SQLITE_DONE;
    int64_t visited = 0;
    while (ok && !page_full(r) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (budget && ++visited > tuning.walk_max) {
            sqlite3_finalize(q);
            r->walk_gave_up = true;
            r->n = 0;
            return true;
        }
        int64_t id = sqlite3_column_int64(q, 0);
        if (skipped(r, id) || (in && !bits_test(in, id)))
            continue;
        bool same = false;
        if (k == SEARCH_KEY_DATE_JOINED) {
            int64_t v = sqlite3_column_int64(q, 1);
            same = !first && v == prev_int;
            prev_int = v;
        } else if (k != SEARCH_KEY_ID && k != SEARCH_KEY_USERNAME) {
            const char *v = (const char *)sqlite3_column_text(q, 1);
            same = !first && !cmp_str(v, prev_text);
            prev_text = arena_strdup(r->a, v ? v : "");
        }
        first = false;
        ok = window_push(&w, id, row_distance(r, q, 2), same);
    }
    sqlite3_finalize(q);
    if (ok && rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sqlite_fail(r->st, r->e, "search walk");
    /* the last group: complete, as the stream ended or moved past it */
    return ok && window_flush(&w);
}

/* ================================================================ */
/* collecting                                                       */

static void cand_add(struct run *r, int64_t id, double dist)
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

/* Scans a source into a bitmap (used to intersect with the driver); with
 * `t1`, also the users whose username starts with the source's term (the
 * term's rank 1, read from the same index rows). */
static bool scan_into(struct run *r, const struct src *s, struct bits *out, struct bits *t1)
{
    struct sql_query b = {0};
    const char *rank = !t1 ? "0" : s->kind == SRC_PREFIX ? "d.rank < 2" : "(d.fields & 16) <> 0";
    buf_printf(&b.sql, "SELECT %s, %s", source_id(s), rank);
    source_rows(r, &b, s, false);
    sqlite3_stmt *q = sqlite_query_prepare(r->st, &b, r->e);
    if (!q)
        return false;
    bits_init(r->a, out, r->max_id);
    if (t1)
        bits_init(r->a, t1, r->max_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        bits_set(out, id);
        if (t1 && sqlite3_column_int(q, 1))
            bits_set(t1, id);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(r->st, r->e, "search scan");
}

/* Does the source carry gender, age and staff on its rows? */
static bool carries_attrs(const struct src *s)
{
    return s->kind == SRC_PREFIX || s->kind == SRC_SUFFIX || s->kind == SRC_TAG || s->kind == SRC_CATEGORY;
}

/* Collects the matches into r->S (and r->T1, r->cands, r->t0). */
static bool collect(struct run *r)
{
    const struct search_query *q = r->q;
    /* the driver: the smallest source */
    int di = 0;
    for (int i = 1; i < r->nsrc; i++)
        if (r->src[i].est < r->src[di].est)
            di = i;
    const struct src *d = &r->src[di];

    /* the other sources: a bitmap when scanning them is cheaper than
     * checking the driver's rows against the users table */
    struct bits others[SEARCH_MAX_SOURCES], scanned_t1 = {0};
    int nothers = 0;
    bool relevance = r->order[0].key == SEARCH_KEY_RELEVANCE;
    bool native_rank = relevance && d->cond == C_TERM && !d->long_term;
    unsigned row_conds = r->conds & ~d->cond & ~C_GEO;
    if (carries_attrs(d))
        row_conds &= ~C_ATTRS;
    for (int i = 0; i < r->nsrc; i++) {
        const struct src *s = &r->src[i];
        if (i == di || s->kind == SRC_GEO || s->kind == SRC_STAFF)
            continue;
        if (s->est <= (int64_t)tuning.bitmap_ratio * d->est && !s->long_term) {
            bool term = relevance && s->cond == C_TERM;
            if (!scan_into(r, s, &others[nothers++], term ? &scanned_t1 : NULL))
                return false;
            native_rank |= term; /* rank 1 came with the bitmap */
            row_conds &= ~s->cond;
        }
    }
    if (d->long_term)
        row_conds |= d->cond; /* the index matched the first characters only */
    bool rank_in_rows = native_rank && !scanned_t1.w;
    bool need_row = row_conds || (q->has_origin && d->kind != SRC_GEO) || (relevance && !native_rank);

    struct sql_query b = {0};
    const char *id = source_id(d);
    if (d->kind == SRC_GEO) {
        /* one SELECT per longitude range of the box */
        for (int i = 0; i < r->box.nlng; i++) {
            buf_printf(&b.sql, "%sSELECT d.id, ", i ? " UNION ALL " : "");
            if (relevance && !native_rank)
                buf_printf(&b.sql, "search_starts_with(u.username_fold, $%d)", sql_text(&b, q->term));
            else
                buf_puts(&b.sql, "0");
            buf_puts(&b.sql, ", d.lat_min, d.lng_min");
            if (need_row)
                buf_puts(&b.sql, ", u.position_lat, u.position_lng, u.location_lat, u.location_lng");
            buf_puts(&b.sql, " FROM search_geo d");
            if (need_row)
                buf_puts(&b.sql, " JOIN users u ON u.id = d.id");
            buf_printf(&b.sql, " WHERE d.lat_min >= $%d AND d.lat_max <= $%d", sql_int(&b, r->box.lat_min),
                       sql_int(&b, r->box.lat_max));
            buf_printf(&b.sql, " AND d.lng_min >= $%d AND d.lng_max <= $%d", sql_int(&b, r->box.lng_min[i]),
                       sql_int(&b, r->box.lng_max[i]));
            if (need_row) {
                buf_puts(&b.sql, " AND");
                row_conditions(r, &b, row_conds);
            }
        }
    } else {
        const char *rank = "0";
        if (relevance && rank_in_rows)
            rank = d->kind == SRC_PREFIX ? "d.rank < 2" : "(d.fields & 16) <> 0";
        buf_printf(&b.sql, "SELECT %s, ", id);
        if (relevance && !native_rank)
            buf_printf(&b.sql, "search_starts_with(u.username_fold, $%d)", sql_text(&b, q->term));
        else
            buf_puts(&b.sql, rank);
        buf_puts(&b.sql, ", NULL, NULL");
        if (need_row)
            buf_puts(&b.sql, ", u.position_lat, u.position_lng, u.location_lat, u.location_lng");
        source_rows(r, &b, d, true);
        if (need_row && d->kind == SRC_STAFF) {
            buf_puts(&b.sql, " AND");
            row_conditions(r, &b, row_conds);
        } else if (need_row) {
            /* source_rows ended with its WHERE: splice the join before it */
            const char *where = strstr(buf_str(&b.sql), " WHERE ");
            size_t at = (size_t)(where - buf_str(&b.sql));
            struct buf joined = {0};
            buf_append(&joined, b.sql.data, at);
            buf_printf(&joined, " JOIN users u ON u.id = %s", id);
            buf_puts(&joined, b.sql.data + at);
            buf_free(&b.sql);
            b.sql = joined;
            buf_puts(&b.sql, " AND");
            row_conditions(r, &b, row_conds);
        }
    }
    sqlite3_stmt *st = sqlite_query_prepare(r->st, &b, r->e);
    if (!st)
        return false;
    bits_init(r->a, &r->S, r->max_id);
    if (scanned_t1.w)
        r->T1 = scanned_t1;
    else if (relevance)
        bits_init(r->a, &r->T1, r->max_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t uid = sqlite3_column_int64(st, 0);
        bool in = true;
        for (int i = 0; i < nothers && in; i++)
            in = bits_test(&others[i], uid);
        if (!in)
            continue;
        double dist = 0;
        if (q->has_origin) {
            int64_t lat, lng;
            if (d->kind == SRC_GEO) {
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
        if (relevance && !scanned_t1.w && sqlite3_column_int(st, 1))
            bits_set(&r->T1, uid);
        if (bits_set(&r->S, uid)) {
            r->count++;
            if (q->has_origin)
                cand_add(r, uid, dist);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sqlite_fail(r->st, r->e, "search collect");
    for (int i = 0; i < r->nskip; i++)
        if (bits_test(&r->S, r->skip[i])) {
            bits_clear(&r->S, r->skip[i]);
            r->count--;
        }
    if (relevance) {
        sqlite3_stmt *x = sqlite_stmt(r->st,
                                      "SELECT id FROM users WHERE username_fold = $1 AND status IN ('a', 'b')", r->e);
        if (!x)
            return false;
        sqlite3_bind_text(x, 1, q->term, -1, SQLITE_STATIC);
        int64_t t0 = 0;
        if (sqlite_get_int(r->st, x, &t0, r->e) < 0)
            return false;
        if (t0 && bits_test(&r->S, t0))
            r->t0 = t0;
    }
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

/* Places candidates in distance order (ties by the other keys, then id),
 * leaving out skipped users when `check_skip`. Only the candidates up to
 * the page's last distance (ties included) are sorted. */
static bool place_by_distance(struct run *r, struct cand *c, size_t n, bool check_skip)
{
    if (check_skip && r->nskip) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!skipped(r, c[i].id))
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
        sorting_far = far;
        if (n > 1)
            qsort(c, n, sizeof *c, cmp_cand_dir);
        for (size_t i = (size_t)r->q->offset; i < n && !page_full(r); i++)
            page_put(r, c[i].id, c[i].dist);
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
    while (i < n && !page_full(r)) {
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
            if (!window_push(&w, c[k].id, c[k].dist, k > start))
                return false;
        i += end - start;
    }
    return window_flush(&w);
}

/* The page from collected results. */
static bool page_from_collected(struct run *r)
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
                page_put(r, r->t0, NAN);
        }
        for (int pass = 0; pass < (o->key == SEARCH_KEY_RELEVANCE ? 2 : 1) && !page_full(r); pass++) {
            bool desc = o->key == SEARCH_KEY_ID && o->desc;
            for (int64_t id = desc ? bits_prev(&r->S, (int64_t)r->S.nwords * 64 - 1) : bits_next(&r->S, 0);
                 id >= 0 && !page_full(r); id = desc ? bits_prev(&r->S, id - 1) : bits_next(&r->S, id + 1)) {
                if (o->key == SEARCH_KEY_RELEVANCE && (id == r->t0 || bits_test(&r->T1, id) != (pass == 0)))
                    continue;
                if (skip > 0)
                    skip--;
                else
                    page_put(r, id, NAN);
            }
        }
        return true;
    }
    if (o->key == SEARCH_KEY_DISTANCE)
        return place_by_distance(r, r->cands, r->ncands, true);
    /* a text or date key: sort small results, walk large ones */
    const char *expr, *index;
    int64_t need = (int64_t)q->offset + q->limit;
    double walk_rows = (double)need * (double)(r->active > 0 ? r->active : 1) / (double)r->count;
    if (!r->walk_gave_up && r->count > tuning.sort_max && walk_rows < tuning.walk_max &&
        walk_rows < SEARCH_WALK_PER_FETCH * r->count && walk_key(o->key, &expr, &index)) {
        if (!walk(r, 0, &r->S, true))
            return false;
        if (!r->walk_gave_up)
            return true;
    }
    struct sortrow *rows = arena_alloc(r->a, (size_t)r->count * sizeof *rows);
    size_t n = 0;
    for (int64_t id = bits_next(&r->S, 0); id >= 0; id = bits_next(&r->S, id + 1)) {
        rows[n].id = id;
        if (!fetch_keys(r, &rows[n]))
            return false;
        n++;
    }
    sort_rows(r, rows, n, 0);
    for (size_t i = (size_t)q->offset; i < n && !page_full(r); i++)
        page_put(r, rows[i].id, rows[i].dist);
    return true;
}

/* ================================================================ */
/* counts of lone conditions, and their pages                       */

/* Hidden/excluded users that pass `conds`: to subtract from a maintained
 * count. */
static bool count_skipped(struct run *r, unsigned conds, int64_t *n)
{
    *n = 0;
    if (!r->nskip)
        return true;
    struct buf ids = {0};
    buf_puts(&ids, "[");
    for (int i = 0; i < r->nskip; i++)
        buf_printf(&ids, "%s%lld", i ? "," : "", (long long)r->skip[i]);
    buf_puts(&ids, "]");
    struct sql_query b = {0};
    buf_printf(&b.sql, "SELECT count(*) FROM users u WHERE u.id IN (SELECT value FROM json_each($%d)) AND",
               sql_text(&b, buf_str(&ids)));
    row_conditions(r, &b, conds);
    int got = sqlite_query_get_int(r->st, &b, n, r->e);
    buf_free(&ids);
    if (got == 0)
        sqlite_fail(r->st, r->e, "search hidden count");
    return got == 1;
}

/* The count of a mix of gender, age, staff and "has coordinates": a sum
 * over the cube keys "c<gender><staff><coordinates><yyyymmdd>" of the
 * combinations the conditions allow, birth dates in the age range. */
static int64_t cube_count(struct run *r)
{
    const struct search_query *q = r->q;
    unsigned c = r->conds;
    if (c & C_GENDER && r->gender_code == SEARCH_GENDER_OTHER)
        return 0;
    int g0 = c & C_GENDER ? r->gender_code : 0, g1 = c & C_GENDER ? r->gender_code : SEARCH_GENDER_OTHER;
    int s0 = c & C_STAFF ? q->staff == SEARCH_STAFF_ONLY : 0, s1 = c & C_STAFF ? s0 : 1;
    int k0 = c & C_GEO ? 1 : 0, k1 = 1;
    /* 00000000 is "no birth date": included only without an age */
    int dob_lo = c & C_AGE ? q->dob_after + 1 : 0, dob_hi = c & C_AGE && q->dob_upto ? q->dob_upto : 99999999;
    sqlite3_stmt *st = sqlite_stmt(r->st, "SELECT coalesce(sum(n), 0) FROM search_count WHERE key >= $1 AND key <= $2",
                                   r->e);
    if (!st)
        return -1;
    int64_t total = 0;
    for (int g = g0; g <= g1; g++)
        for (int s = s0; s <= s1; s++)
            for (int k = k0; k <= k1; k++) {
                char lo[32], hi[32];
                snprintf(lo, sizeof lo, "c%d%d%d%08d", g, s, k, dob_lo);
                snprintf(hi, sizeof hi, "c%d%d%d%08d", g, s, k, dob_hi);
                sqlite3_reset(st);
                sqlite3_bind_text(st, 1, lo, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
                if (sqlite3_step(st) != SQLITE_ROW) {
                    sqlite3_reset(st);
                    sqlite_fail(r->st, r->e, "search cube count");
                    return -1;
                }
                total += sqlite3_column_int64(st, 0);
            }
    sqlite3_reset(st);
    return total;
}

/* The maintained count of the query's conditions when they are one alone
 * (or none); -1 when there is none to read. */
static int64_t lone_count(struct run *r)
{
    unsigned c = r->conds;
    char key[32];
    if (!c)
        return count_key(r, "a");
    if (r->nsrc == 1 && r->src[0].counted && c == r->src[0].cond)
        return r->src[0].est;
    if (c == C_GENDER) {
        if (r->gender_code == SEARCH_GENDER_OTHER)
            return 0;
        snprintf(key, sizeof key, "x%d", r->gender_code);
        return count_key(r, key);
    }
    if (c == C_STAFF && r->q->staff == SEARCH_STAFF_NONE) {
        int64_t all = count_key(r, "a"), staff = count_key(r, "s");
        return all < 0 || staff < 0 ? -1 : all - staff;
    }
    if (c == C_GEO && !r->q->has_radius)
        return count_key(r, "g");
    if ((c & ~(C_GENDER | C_AGE | C_STAFF | C_GEO)) == 0 && !r->q->has_radius && (c & (C_STAFF | C_GEO)))
        return cube_count(r);
    if (c == C_AGE || c == (C_AGE | C_GENDER)) {
        /* a sum over the birth days in the range */
        if (c & C_GENDER && r->gender_code == SEARCH_GENDER_OTHER)
            return 0;
        char lo[24], hi[24];
        int g = c & C_GENDER ? r->gender_code : -1;
        const char *p = g < 0 ? "d" : arena_printf(r->a, "e%d", g);
        snprintf(lo, sizeof lo, "%s%08d", p, r->q->dob_after);
        snprintf(hi, sizeof hi, "%s%08d", p, r->q->dob_upto ? r->q->dob_upto : 99999999);
        sqlite3_stmt *q = sqlite_stmt(r->st, "SELECT coalesce(sum(n), 0) FROM search_count WHERE key > $1 AND key <= $2",
                                      r->e);
        if (!q)
            return -1;
        sqlite3_bind_text(q, 1, lo, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 2, hi, -1, SQLITE_TRANSIENT);
        int64_t n = -1;
        return sqlite_get_int(r->st, q, &n, r->e) == 1 ? n : -1;
    }
    return -2;
}

/* The ranked page of a lone term from the prefix index. */
static bool page_prefix_ranked(struct run *r, const struct src *s)
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
    int rc;
    while (!page_full(r) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        if (skipped(r, id))
            continue;
        if (skip > 0)
            skip--;
        else
            page_put(r, id, NAN);
    }
    sqlite3_reset(q);
    return true;
}

/* The ranked page of a lone 3-character term: the exact username, the
 * usernames starting with it (their search_prefix row, in id order), then
 * a walk by id over the other matches. */
static bool page_suffix_ranked(struct run *r, const struct src *s)
{
    int64_t skip = r->q->offset;
    /* rank 0 */
    sqlite3_stmt *x = sqlite_stmt(r->st, "SELECT id FROM users WHERE username_fold = $1 AND status IN ('a', 'b')",
                                  r->e);
    if (!x)
        return false;
    sqlite3_bind_text(x, 1, s->text, -1, SQLITE_STATIC);
    int64_t t0 = 0;
    if (sqlite_get_int(r->st, x, &t0, r->e) < 0)
        return false;
    if (t0 && !skipped(r, t0)) {
        if (skip > 0)
            skip--;
        else
            page_put(r, t0, NAN);
    }
    /* rank 1 */
    sqlite3_stmt *q = sqlite_stmt(r->st,
                                  "SELECT user_id FROM search_prefix WHERE pfx = $1 AND rank = 1 ORDER BY user_id", r->e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, s->text, -1, SQLITE_STATIC);
    int rc;
    while (!page_full(r) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        if (skipped(r, id))
            continue;
        if (skip > 0)
            skip--;
        else
            page_put(r, id, NAN);
    }
    sqlite3_reset(q);
    if (page_full(r))
        return true;
    if (rc != SQLITE_DONE)
        return sqlite_fail(r->st, r->e, "search rank 1");
    /* rank 2: walk by id, skipping the username prefixes */
    struct sql_query b = {0};
    buf_puts(&b.sql, "SELECT u.id FROM users u WHERE");
    row_conditions(r, &b, r->conds);
    buf_printf(&b.sql, " AND NOT search_starts_with(u.username_fold, $%d) ORDER BY u.id", sql_text(&b, s->text));
    sqlite3_stmt *w = sqlite_query_prepare(r->st, &b, r->e);
    if (!w)
        return false;
    while (!page_full(r) && (rc = sqlite3_step(w)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(w, 0);
        if (skipped(r, id))
            continue;
        if (skip > 0)
            skip--;
        else
            page_put(r, id, NAN);
    }
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

/* Distance order without a radius: read growing circles of the geo index
 * until one holds the page. Nearest first: circles around the origin.
 * Farthest first: circles around its antipode (the farthest points from a
 * place are the nearest to its antipode, d + d' = half the circumference).
 * Candidates are sorted by distance, and the other conditions checked on
 * the users rows in that order, only until the page (and its last tie
 * group) is complete. */
static bool page_nearest(struct run *r)
{
    const struct search_query *q = r->q;
    size_t need = (size_t)q->offset + (size_t)q->limit;
    unsigned conds = r->conds & ~C_GEO;
    bool far = r->order[0].desc;
    const int64_t half_turn = 180LL * GEO_E7;
    int64_t clat = far ? -r->lat0 : r->lat0, clng = far ? (r->lng0 > 0 ? r->lng0 - half_turn : r->lng0 + half_turn)
                                                          : r->lng0;
    sqlite3_stmt *check = NULL;
    if (conds) {
        struct sql_query b = {0};
        buf_printf(&b.sql, "SELECT 1 FROM users u WHERE u.id = $%d AND", sql_int(&b, 0));
        row_conditions(r, &b, conds);
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
            int64_t id = sqlite3_column_int64(st, 0), lat = sqlite3_column_int64(st, 1), lng = sqlite3_column_int64(st, 2);
            if (!all && geo_distance_e7(clat, clng, lat, lng) > km + 0.001)
                continue; /* outside the circle (with the bounding box's margin) */
            if (!skipped(r, id))
                cand_add(r, id, geo_round_km(geo_distance_e7(r->lat0, r->lng0, lat, lng)));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            ok = sqlite_fail(r->st, r->e, "search nearest");
            break;
        }
        /* the candidates in page order; those passing the conditions, up to
         * the page and the end of its last group of equal distances */
        sorting_far = far;
        if (r->ncands > 1)
            qsort(r->cands, r->ncands, sizeof *r->cands, cmp_cand_dir);
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
            ok = place_by_distance(r, r->cands, kept, false);
            break;
        }
    }
    sqlite3_finalize(check);
    return ok;
}

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
    if (!prepare_run(r))
        return false;
    if (q->gender && r->gender_code == SEARCH_GENDER_OTHER)
        return true; /* no user can have an unknown gender (profile updates validate it) */
    r->active = count_key(r, "a");
    sqlite3_stmt *m = sqlite_stmt(r->st, "SELECT coalesce(max(id), 0) FROM users", r->e);
    if (!m || r->active < 0)
        return false;
    if (sqlite_get_int(r->st, m, &r->max_id, r->e) < 0)
        return false;
    /* sizes choose the driver; a radius alone needs none (it costs a scan) */
    for (int i = 0; i < r->nsrc; i++)
        if ((r->nsrc > 1 || r->src[i].kind != SRC_GEO) && !estimate(r, &r->src[i]))
            return false;

    const struct search_order *o = &r->order[0];
    int64_t lone = lone_count(r);
    if (lone == -1)
        return false;
    /* a lone short term's ranked page is one walk of the prefix index,
     * whatever its count: never collect it; otherwise walk when the rows a
     * walk expects cost less than collecting the matches */
    bool prefix_ranked = r->nsrc == 1 && r->src[0].kind == SRC_PREFIX && o->key == SEARCH_KEY_RELEVANCE;
    double expected = lone > 0 ? (double)((int64_t)q->offset + q->limit) * (double)r->active / (double)lone : 0;
    bool cheap_walk = lone > 0 && expected < tuning.walk_max && expected * SEARCH_WALK_PER_COLLECT < (double)lone;
    if (lone >= 0 && (r->nsrc == 0 || lone > tuning.collect_max || prefix_ranked || cheap_walk)) {
        /* walk: the count is maintained */
        int64_t hidden;
        if (!count_skipped(r, r->conds, &hidden))
            return false;
        r->count = lone - hidden;
        if (q->offset >= r->count)
            return true;
        const struct src *s = r->nsrc ? &r->src[0] : NULL;
        int64_t need = (int64_t)q->offset + q->limit;
        double walk_rows = (double)need * (double)(r->active > 0 ? r->active : 1) / (double)r->count;
        if (o->key == SEARCH_KEY_RELEVANCE && s && s->kind == SRC_PREFIX)
            return page_prefix_ranked(r, s);
        if (o->key == SEARCH_KEY_DISTANCE)
            return page_nearest(r);
        if (walk_rows < tuning.walk_max || r->nsrc == 0) {
            if (o->key == SEARCH_KEY_RELEVANCE)
                return page_suffix_ranked(r, s);
            if (!walk(r, r->conds, NULL, r->nsrc > 0))
                return false;
            if (!r->walk_gave_up)
                return true;
        }
        /* a deep page, or matches far along the order: collect */
        r->count = 0;
    }
    if (r->nsrc > 0) {
        if (!collect(r))
            return false;
        return page_from_collected(r);
    }
    /* no indexed condition and no maintained count: cannot happen today
     * (lone_count covers every mix without a source); kept as the safe
     * answer should a condition be added without a count */
    struct sql_query b = {0};
    buf_puts(&b.sql, "SELECT count(*) FROM users u WHERE");
    row_conditions(r, &b, r->conds);
    int got = sqlite_query_get_int(r->st, &b, &r->count, r->e);
    if (got != 1)
        return got == 0 ? sqlite_fail(r->st, r->e, "search count") : false;
    int64_t hidden;
    if (!count_skipped(r, r->conds, &hidden))
        return false;
    r->count -= hidden;
    if (q->offset >= r->count)
        return true;
    if (o->key == SEARCH_KEY_DISTANCE)
        return page_nearest(r);
    return walk(r, r->conds, NULL, false);
}

bool store_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
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

/* ================================================================ */
/* query plans (for the test that the index is used)                */

static bool explain(struct store *st, struct arena *a, const char *sql, struct sql_query *binds, struct buf *out,
                    struct err *e)
{
    struct sql_query b = *binds;
    memset(&b.sql, 0, sizeof b.sql);
    buf_printf(&b.sql, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *q = sqlite_query_prepare(st, &b, e);
    if (!q)
        return false;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        buf_printf(out, "%s\n", (const char *)sqlite3_column_text(q, 3));
    sqlite3_finalize(q);
    (void)a;
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "explain");
}

bool store_search_plan(struct store *st, struct arena *a, const char *term, const char **plan, struct err *e)
{
    struct search_query q = {.term = term, .limit = 1};
    struct run r = {.st = st, .a = a, .q = &q, .e = e};
    add_text_source(&r, C_TERM, term, SEARCH_FIELD_NAMES);
    struct buf out = {0};
    /* the statement that collects a term's users */
    struct sql_query b = {0};
    buf_printf(&b.sql, "SELECT %s", source_id(&r.src[0]));
    source_rows(&r, &b, &r.src[0], false);
    char *sql = arena_strdup(a, buf_str(&b.sql));
    bool ok = explain(st, a, sql, &b, &out, e);
    buf_free(&b.sql);
    /* the ranked page of a lone term */
    const char *page = r.src[0].kind == SRC_PREFIX
                           ? "SELECT user_id FROM search_prefix WHERE pfx = $1 AND (fields & 3) <> 0 "
                             "ORDER BY rank, user_id"
                           : "SELECT id FROM users INDEXED BY search_by_username WHERE status IN ('a', 'b') "
                             "AND username_fold > $1 AND username_fold < $1 || 'z'";
    struct sql_query pb = {0};
    sql_text(&pb, term);
    ok = ok && explain(st, a, page, &pb, &out, e);
    *plan = arena_strdup(a, buf_str(&out));
    buf_free(&out);
    return ok;
}
