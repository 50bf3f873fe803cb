/* sqlite_search_plan.c - the search engine's planning: a query prepared
 * as conditions and sources, the conditions as SQL on the users row or an
 * index row, each source's size, the maintained counts of lone conditions,
 * and the query plans the plan test reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/sqlite_search_engine.h"

/* ================================================================ */
/* the query, prepared                                              */

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

int64_t search_count_key(struct run *r, const char *key)
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
    /* the names' short terms: search_name holds only their matches, with
     * gender and birth date in its keys */
    s->kind = chars <= SEARCH_NAME_CHARS && !(mask & ~SEARCH_FIELD_NAMES) ? SRC_NAME : SRC_SUFFIX;
    s->long_term = chars > SEARCH_SUFFIX_CHARS;
    s->lo = s->long_term ? first_chars(r->a, text, SEARCH_SUFFIX_CHARS) : text;
    s->hi = prefix_end(r->a, s->lo);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bool search_skipped(const struct run *r, int64_t id)
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

bool search_prepare_run(struct run *r)
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
    case C_USERNAME: return "u.username_fold";
    case C_REAL_NAME: return "u.real_name_fold";
    case C_LOCATION: return "fold(u.location)";
    default: return "fold(u.description)";
    }
}

/* One text condition on the users row `u`. */
static void text_row(struct sql_query *b, unsigned cond, const char *term)
{
    int k = sql_text(b, term);
    bool word = text_chars(term) <= SEARCH_PREFIX_CHARS;
    if (cond == C_TERM) {
        if (word)
            buf_printf(&b->sql,
                       " AND (search_word_start(u.username_fold, $%d) OR search_word_start(u.real_name_fold, $%d))", k,
                       k);
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
    case C_TERM: return q->term;
    case C_USERNAME: return q->username;
    case C_REAL_NAME: return q->real_name;
    case C_LOCATION: return q->location;
    default: return q->description;
    }
}

/* yyyymmdd -> "YYYY-MM-DD" */
static const char *dob_text(struct arena *a, int yyyymmdd)
{
    return arena_printf(a, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
}

void search_row_conditions(const struct run *r, struct sql_query *b, unsigned conds)
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

/* gender, age and staff on a search_name row `d`: with a gender or an age,
 * the head is walked as its distinct values (a recursive CTE, one seek
 * each), so that each value's rows of the gender and the birth dates are
 * one range of the key */
static void name_rows(const struct run *r, struct sql_query *b, const struct src *s, bool attrs)
{
    const struct search_query *q = r->q;
    int lo = sql_text(b, s->lo), hi = sql_text(b, s->hi);
    if (!attrs || !(r->conds & (C_GENDER | C_AGE))) {
        buf_printf(&b->sql, " FROM search_name d WHERE d.head >= $%d AND d.head < $%d", lo, hi);
        if (attrs && r->conds & C_STAFF)
            buf_printf(&b->sql, " AND d.staff = %d", q->staff == SEARCH_STAFF_ONLY);
        return;
    }
    buf_printf(&b->sql,
               " FROM search_name d WHERE d.head IN (WITH RECURSIVE h (x) AS (SELECT min(head) FROM search_name "
               "WHERE head >= $%d AND head < $%d UNION ALL SELECT (SELECT min(head) FROM search_name "
               "WHERE head > h.x AND head < $%d) FROM h WHERE h.x IS NOT NULL) SELECT x FROM h WHERE x IS NOT NULL)",
               lo, hi, hi);
    if (r->conds & C_GENDER)
        buf_printf(&b->sql, " AND d.gender = $%d", sql_int(b, r->gender_code));
    else { /* every code sqlite_search_gender_code gives, each a range of the key */
        buf_puts(&b->sql, " AND d.gender IN (");
        for (int g = SEARCH_GENDER_UNSPECIFIED; g <= SEARCH_GENDER_OTHER; g++)
            buf_printf(&b->sql, "%s%d", g > SEARCH_GENDER_UNSPECIFIED ? ", " : "", g);
        buf_puts(&b->sql, ")");
    }
    if (r->conds & C_AGE) {
        /* dob 0 is "no birth date": never in an age range */
        buf_printf(&b->sql, " AND d.dob > $%d", sql_int(b, q->dob_after > 0 ? q->dob_after : 0));
        if (q->dob_upto)
            buf_printf(&b->sql, " AND d.dob <= $%d", sql_int(b, q->dob_upto));
    }
    if (r->conds & C_STAFF)
        buf_printf(&b->sql, " AND d.staff = %d", q->staff == SEARCH_STAFF_ONLY);
}

void search_source_rows(const struct run *r, struct sql_query *b, const struct src *s, bool attrs)
{
    switch (s->kind) {
    case SRC_NAME:
        name_rows(r, b, s, attrs);
        if (s->mask != SEARCH_FIELD_NAMES)
            buf_printf(&b->sql, " AND (d.fields & %d) <> 0", s->mask);
        return;
    case SRC_PREFIX: buf_printf(&b->sql, " FROM search_prefix d WHERE d.pfx = $%d", sql_text(b, s->text)); break;
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
        buf_puts(&b->sql,
                 " FROM users u INDEXED BY search_by_staff WHERE u.role IS NOT NULL AND u.status IN ('a', 'b')");
        return;           /* attributes are checked on the users row */
    case SRC_GEO: return; /* see geo_rows */
    }
    if (attrs)
        attr_conditions(r, b, "d");
    if (s->kind == SRC_PREFIX || s->kind == SRC_SUFFIX)
        buf_printf(&b->sql, " AND (d.fields & %d) <> 0", s->mask);
}

const char *search_source_id(const struct src *s)
{
    if (s->kind == SRC_STAFF)
        return "u.id";
    return s->kind == SRC_GEO ? "d.id" : "d.user_id";
}

/* ================================================================ */
/* choosing                                                         */

bool search_estimate(struct run *r, struct src *s)
{
    char key[96];
    switch (s->kind) {
    case SRC_PREFIX:
        snprintf(key, sizeof key, "p%d:%s", s->mask, s->text);
        s->counted = true;
        break;
    case SRC_SUFFIX:
    case SRC_NAME: {
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
        buf_printf(&b.sql,
                   "SELECT count(*) FROM (SELECT 1 FROM search_geo d WHERE d.lat_min >= $%d AND d.lat_max <= $%d",
                   sql_int(&b, r->box.lat_min), sql_int(&b, r->box.lat_max));
        buf_printf(&b.sql, " AND d.lng_min >= $%d AND d.lng_max <= $%d LIMIT %d)", sql_int(&b, r->box.lng_min[0]),
                   sql_int(&b, r->box.lng_max[0]), SEARCH_ESTIMATE_CAP);
        if (!sqlite_query_count(r->st, &b, &s->est, r->e))
            return false;
        if (r->box.nlng == 2)
            s->est = SEARCH_ESTIMATE_CAP; /* across the antimeridian: rare, assume large */
        return true;
    }
    }
    s->est = search_count_key(r, key);
    return s->est >= 0;
}

/* ================================================================ */
/* counts of lone conditions, and their pages                       */

bool search_count_skipped(struct run *r, unsigned conds, int64_t *n)
{
    *n = 0;
    if (!r->nskip)
        return true;
    struct buf ids = BUF_INIT;
    buf_puts(&ids, "[");
    for (int i = 0; i < r->nskip; i++)
        buf_printf(&ids, "%s%lld", i ? "," : "", (long long)r->skip[i]);
    buf_puts(&ids, "]");
    struct sql_query b = {0};
    buf_printf(&b.sql, "SELECT count(*) FROM users u WHERE u.id IN (SELECT value FROM json_each($%d)) AND",
               sql_text(&b, buf_str(&ids)));
    search_row_conditions(r, &b, conds);
    bool ok = sqlite_query_count(r->st, &b, n, r->e);
    buf_free(&ids);
    return ok;
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
    sqlite3_stmt *st =
        sqlite_stmt(r->st, "SELECT coalesce(sum(n), 0) FROM search_count WHERE key >= $1 AND key <= $2", r->e);
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

int64_t search_lone_count(struct run *r)
{
    unsigned c = r->conds;
    char key[32];
    if (!c)
        return search_count_key(r, "a");
    if (r->nsrc == 1 && r->src[0].counted && c == r->src[0].cond)
        return r->src[0].est;
    if (c == C_GENDER) {
        if (r->gender_code == SEARCH_GENDER_OTHER)
            return 0;
        snprintf(key, sizeof key, "x%d", r->gender_code);
        return search_count_key(r, key);
    }
    if (c == C_STAFF && r->q->staff == SEARCH_STAFF_NONE) {
        int64_t all = search_count_key(r, "a"), staff = search_count_key(r, "s");
        return all < 0 || staff < 0 ? -1 : all - staff;
    }
    if (c == C_GEO && !r->q->has_radius)
        return search_count_key(r, "g");
    /* a radius alone in distance order: counted from the geo cells, the
     * page read by search_page_nearest */
    if (c == C_GEO && r->order[0].key == SEARCH_KEY_DISTANCE && !r->order[0].desc)
        return search_radius_count(r);
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
        sqlite3_stmt *q =
            sqlite_stmt(r->st, "SELECT coalesce(sum(n), 0) FROM search_count WHERE key > $1 AND key <= $2", r->e);
        if (!q)
            return -1;
        sqlite3_bind_text(q, 1, lo, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 2, hi, -1, SQLITE_TRANSIENT);
        int64_t n = -1;
        return sqlite_get_count(r->st, q, &n, r->e) ? n : -1;
    }
    return -2;
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

bool sqlite_search_plan(struct store *st, struct arena *a, const char *term, const char **plan, struct err *e)
{
    struct search_query q = {.term = term, .limit = 1};
    struct run r = {.st = st, .a = a, .q = &q, .e = e};
    add_text_source(&r, C_TERM, term, SEARCH_FIELD_NAMES);
    struct buf out = BUF_INIT;
    /* the statement that collects a term's users */
    struct sql_query b = {0};
    buf_printf(&b.sql, "SELECT %s", search_source_id(&r.src[0]));
    search_source_rows(&r, &b, &r.src[0], false);
    char *sql = arena_strdup(a, buf_str(&b.sql));
    bool ok = explain(st, a, sql, &b, &out, e);
    buf_free(&b.sql);
    /* the ranked page of a lone term */
    const char *page = r.src[0].kind == SRC_PREFIX
                           ? "SELECT user_id FROM search_prefix WHERE pfx = $1 AND (fields & 3) <> 0 "
                             "ORDER BY rank, user_id"
                           : "SELECT id FROM users INDEXED BY list_by_username WHERE status IN ('a', 'b') "
                             "AND username_fold > $1 AND username_fold < $1 || 'z'";
    struct sql_query pb = {0};
    sql_text(&pb, term);
    ok = ok && explain(st, a, page, &pb, &out, e);
    *plan = arena_strdup(a, buf_str(&out));
    buf_free(&out);
    return ok;
}
