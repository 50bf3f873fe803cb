/* sqlite_search_index.c - the rows of the search indexes, computed in C and
 * exposed as SQL functions for the 005_search triggers and the rebuild:
 *
 *   search_prefix_rows(u, r, l, d)   ["<rank * 100 + fields>|<prefix>", ...]
 *   search_suffix_rows(u, r, l, d)   ["<fields>|<suffix>", ...]
 *   search_name_rows(u, r)           ["<fields>|<head>", ...] (023_search_attrs)
 *   search_count_keys(u, r, l, d, gender_code, staff, dob)   ["a", "p3:ma", ...]
 *   search_count_all(...)            aggregate: [[key, n], ...]
 *   search_word_start(text, term)    1 if term starts a word of text
 *   search_gender(text), search_dob(text), search_e7(degrees)
 *   search_user_lat_e7(plat, plng, llat, llng), search_user_lng_e7(...)
 *       a user's search coordinates in 1e-7 degree: the position when both
 *       its values are set, else the location; NULL when neither is
 *   search_distance(lat0, lng0, lat, lng)   km, from 1e-7 degree points
 *   search_user_km(lat0, lng0, plat, plng, llat, llng)  a user's distance
 *       (position, else location) rounded to the metre, NULL without one
 *   search_starts_with(text, prefix)  byte prefix test (rank 1)
 *   search_cube_key(gender_code, staff, has_coordinates, dob)  a search_count key
 *   search_geo_cells(lat_e7, lng_e7)  ["q0...", ..., "q4...:..."]: the
 *       search_count keys of the geo cells holding a point, and of the point
 *
 * u, r, l, d are the folded username, real name, location and description.
 * Every function is deterministic: removals regenerate the rows to delete
 * from the old values, so the same input must always give the same rows.
 * Rows go out as JSON arrays of flat strings because json_each() is the one
 * table-valued function SQLite allows inside triggers, and a leading number
 * is cheaper to read back (CAST, substr) than nested JSON (->>).
 */
#include "store/sqlite_search_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/geo.h"
#include "store/search_words.h"

/* ================================================================ */
/* characters                                                       */

bool sqlite_search_word_start(const char *text, const char *term) { return search_word_start(text, term); }

int sqlite_search_gender_code(const char *g)
{
    if (!g || !strcmp(g, "Unspecified"))
        return SEARCH_GENDER_UNSPECIFIED;
    if (!strcmp(g, "Male"))
        return SEARCH_GENDER_MALE;
    if (!strcmp(g, "Female"))
        return SEARCH_GENDER_FEMALE;
    return SEARCH_GENDER_OTHER;
}

/* ================================================================ */
/* entries: (string, fields) collected per user, then sorted/merged */

struct entry {
    const char *s; /* not NUL-terminated */
    size_t len;
    int fields;
};

struct entries {
    struct entry *v;
    size_t n, cap;
};

static void entries_add(struct entries *e, const char *s, size_t len, int fields)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 64;
        e->v = realloc(e->v, e->cap * sizeof *e->v);
        if (!e->v)
            abort();
    }
    e->v[e->n++] = (struct entry){s, len, fields};
}

/* SQLite's BINARY collation: memcmp, then the shorter first. */
static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Sorts and merges equal strings, OR-ing their fields. */
static void entries_merge(struct entries *e)
{
    if (!e->n)
        return;
    qsort(e->v, e->n, sizeof *e->v, entry_cmp);
    size_t out = 0;
    for (size_t i = 1; i < e->n; i++) {
        if (!entry_cmp(&e->v[out], &e->v[i]))
            e->v[out].fields |= e->v[i].fields;
        else
            e->v[++out] = e->v[i];
    }
    e->n = out + 1;
}

struct fields4 {
    const char *text[4]; /* username, real name, location, description (folded) */
};

static const int field_bits[4] = {SEARCH_FIELD_USERNAME, SEARCH_FIELD_REAL_NAME, SEARCH_FIELD_LOCATION,
                                  SEARCH_FIELD_DESCRIPTION};

/* Byte offsets of the code points of s (plus one past the end). */
static size_t cp_offsets(const char *s, size_t **offs)
{
    size_t len = strlen(s), n = 0;
    *offs = malloc((len + 1) * sizeof **offs);
    if (!*offs)
        abort();
    for (size_t i = 0; i < len;) {
        int32_t cp;
        (*offs)[n++] = i;
        i += search_cp_len((const unsigned char *)s + i, len - i, &cp);
    }
    (*offs)[n] = len;
    return n;
}

/* The 1- and 2-character prefixes at every word start. */
static void collect_prefixes(const struct fields4 *f, struct entries *out)
{
    for (int k = 0; k < 4; k++) {
        const char *s = f->text[k];
        if (!s || !*s)
            continue;
        size_t *off, n = cp_offsets(s, &off);
        bool prev_word = false;
        for (size_t i = 0; i < n; i++) {
            int32_t cp;
            search_cp_len((const unsigned char *)s + off[i], off[i + 1] - off[i], &cp);
            if (!prev_word)
                for (size_t c = 1; c <= SEARCH_PREFIX_CHARS && i + c <= n; c++)
                    entries_add(out, s + off[i], off[i + c] - off[i], field_bits[k]);
            prev_word = search_word_cp(cp);
        }
        /* the username's first three characters, with no field bit: the
         * username prefixes of a 3-character term, in id order (rank 1 of
         * a lone term's ranked page); never matched as a word start */
        if (k == 0 && n >= SEARCH_TRIGRAM_CHARS)
            entries_add(out, s, off[SEARCH_TRIGRAM_CHARS], 0);
        free(off);
    }
    entries_merge(out);
}

/* Every suffix of at least three characters of the first `nfields`
 * fields, cut to `cut` characters. */
static void collect_cut_suffixes(const struct fields4 *f, int nfields, size_t cut, struct entries *out)
{
    for (int k = 0; k < nfields; k++) {
        const char *s = f->text[k];
        if (!s || !*s)
            continue;
        size_t *off, n = cp_offsets(s, &off);
        for (size_t i = 0; i + SEARCH_TRIGRAM_CHARS <= n; i++) {
            size_t end = i + cut < n ? i + cut : n;
            int bits = field_bits[k] | (k == 0 && i == 0 ? SEARCH_FIELD_USERNAME_START : 0);
            entries_add(out, s + off[i], off[end] - off[i], bits);
        }
        free(off);
    }
    entries_merge(out);
}

/* Every suffix of at least three characters, cut to SEARCH_SUFFIX_CHARS. */
static void collect_suffixes(const struct fields4 *f, struct entries *out)
{
    collect_cut_suffixes(f, 4, SEARCH_SUFFIX_CHARS, out);
}

/* The distinct trigrams (first three characters of the suffixes). */
static void collect_trigrams(const struct entries *suffixes, struct entries *out)
{
    for (size_t i = 0; i < suffixes->n; i++) {
        const struct entry *x = &suffixes->v[i];
        size_t len = 0;
        for (int c = 0; c < SEARCH_TRIGRAM_CHARS && len < x->len; c++) {
            int32_t cp;
            len += search_cp_len((const unsigned char *)x->s + len, x->len - len, &cp);
        }
        entries_add(out, x->s, len, x->fields & 15);
    }
    entries_merge(out);
}

/* ================================================================ */
/* JSON output                                                      */

static void json_str(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_append(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(b, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            buf_append(b, esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_append(b, esc, 6);
        }
    }
    buf_append(b, s + run, len - run);
    buf_append(b, "\"", 1);
}

/* One row as a JSON string "<number>|<text>". */
static void row_str(struct buf *b, bool comma, int number, const char *s, size_t len)
{
    char head[16];
    int n = snprintf(head, sizeof head, "%s\"%d|", comma ? "," : "", number);
    buf_append(b, head, (size_t)n);
    /* json_str without its opening quote */
    struct buf tmp = BUF_INIT;
    json_str(&tmp, s, len);
    buf_append(b, tmp.data + 1, tmp.len - 1);
    buf_free(&tmp);
}

static void result_buf(sqlite3_context *ctx, struct buf *b)
{
    if (!b->data)
        buf_puts(b, "[]");
    size_t len;
    char *text = buf_detach(b, &len);
    sqlite3_result_text(ctx, text, (int)len, free); /* SQLite frees it */
}

static int rank_of(const char *username, const char *p, size_t len)
{
    if (!username)
        return 2;
    size_t ulen = strlen(username);
    if (ulen < len || memcmp(username, p, len))
        return 2;
    return ulen == len ? 0 : 1;
}

/* The entries as the JSON array of rows "<n>|<text>" (n: their fields,
 * plus, if ranked, 100 times their rank against the username), as the
 * function's result; frees the entries. */
static void rows_result(sqlite3_context *ctx, struct entries *e, bool ranked, const char *username)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "[");
    for (size_t i = 0; i < e->n; i++) {
        int n = e->v[i].fields + (ranked ? 100 * rank_of(username, e->v[i].s, e->v[i].len) : 0);
        row_str(&b, i > 0, n, e->v[i].s, e->v[i].len);
    }
    buf_puts(&b, "]");
    free(e->v);
    result_buf(ctx, &b);
}

static void read_fields(sqlite3_value **argv, struct fields4 *f)
{
    for (int k = 0; k < 4; k++)
        f->text[k] = (const char *)sqlite3_value_text(argv[k]);
}

/* ================================================================ */
/* the SQL functions                                                */

static void fn_prefix_rows(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct fields4 f;
    struct entries e = {0};
    read_fields(argv, &f);
    collect_prefixes(&f, &e);
    rows_result(ctx, &e, true, f.text[0]);
}

static void fn_suffix_rows(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct fields4 f;
    struct entries e = {0};
    read_fields(argv, &f);
    collect_suffixes(&f, &e);
    rows_result(ctx, &e, false, NULL);
}

/* search_name_rows(u, r): the suffixes of the username and the real name
 * cut to SEARCH_NAME_CHARS, "<fields>|<head>" (023_search_attrs.sql). */
static void fn_name_rows(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct fields4 f = {0};
    struct entries e = {0};
    for (int k = 0; k < 2; k++)
        f.text[k] = (const char *)sqlite3_value_text(argv[k]);
    collect_cut_suffixes(&f, 2, SEARCH_NAME_CHARS, &e);
    rows_result(ctx, &e, false, NULL);
}

/* Calls fn(key, len) for every count key of one user (see 005_search.sql).
 * Masks: 3 (username or real name) and each field bit. */
static void for_each_count_key(const struct fields4 *f, int gender, bool staff, int dob,
                               void (*fn)(void *arg, const char *key, size_t len), void *arg)
{
    static const int masks[] = {SEARCH_FIELD_NAMES, SEARCH_FIELD_USERNAME, SEARCH_FIELD_REAL_NAME,
                                SEARCH_FIELD_LOCATION, SEARCH_FIELD_DESCRIPTION};
    char key[64];
    fn(arg, "a", 1);
    if (staff)
        fn(arg, "s", 1);
    int n = snprintf(key, sizeof key, "x%d", gender);
    fn(arg, key, (size_t)n);
    if (dob > 0) {
        n = snprintf(key, sizeof key, "d%08d", dob);
        fn(arg, key, (size_t)n);
        n = snprintf(key, sizeof key, "e%d%08d", gender, dob);
        fn(arg, key, (size_t)n);
    }

    struct entries pre = {0}, suf = {0}, tri = {0};
    collect_prefixes(f, &pre);
    collect_suffixes(f, &suf);
    collect_trigrams(&suf, &tri);
    const struct entries *sets[2] = {&pre, &tri};
    const char kinds[2] = {'p', 't'};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sets[s]->n; i++) {
            const struct entry *x = &sets[s]->v[i];
            for (size_t m = 0; m < sizeof masks / sizeof *masks; m++) {
                if (!(x->fields & masks[m]))
                    continue;
                /* prefixes are at most 2, trigrams 3 characters: 12 bytes */
                n = snprintf(key, sizeof key, "%c%d:%.*s", kinds[s], masks[m], (int)x->len, x->s);
                fn(arg, key, (size_t)n);
            }
        }
    free(pre.v);
    free(suf.v);
    free(tri.v);
}

static void key_to_json(void *arg, const char *key, size_t len)
{
    struct buf *b = arg;
    if (b->len > 1)
        buf_puts(b, ",");
    json_str(b, key, len);
}

static void fn_count_keys(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct fields4 f;
    struct buf b = BUF_INIT;
    read_fields(argv, &f);
    buf_puts(&b, "[");
    for_each_count_key(&f, sqlite3_value_int(argv[4]), sqlite3_value_int(argv[5]) != 0, sqlite3_value_int(argv[6]),
                       key_to_json, &b);
    buf_puts(&b, "]");
    result_buf(ctx, &b);
}

/* ---- search_count_all: a hash map of key -> n over all rows ---- */

struct counter {
    char *key; /* NULL = empty slot */
    int64_t n;
};

struct counters {
    struct counter *v;
    size_t cap, used;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void counters_grow(struct counters *c)
{
    size_t cap = c->cap ? 2 * c->cap : 1024;
    struct counter *v = calloc(cap, sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->v[i].key)
            continue;
        size_t j = hash_bytes(c->v[i].key, strlen(c->v[i].key)) & (cap - 1);
        while (v[j].key)
            j = (j + 1) & (cap - 1);
        v[j] = c->v[i];
    }
    free(c->v);
    c->v = v;
    c->cap = cap;
}

static void counters_add(void *arg, const char *key, size_t len)
{
    struct counters *c = arg;
    if (10 * (c->used + 1) > 7 * c->cap)
        counters_grow(c);
    size_t j = hash_bytes(key, len) & (c->cap - 1);
    while (c->v[j].key) {
        if (strlen(c->v[j].key) == len && !memcmp(c->v[j].key, key, len)) {
            c->v[j].n++;
            return;
        }
        j = (j + 1) & (c->cap - 1);
    }
    c->v[j].key = strndup(key, len);
    if (!c->v[j].key)
        abort();
    c->v[j].n = 1;
    c->used++;
}

static void fn_count_all_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct counters **pc = sqlite3_aggregate_context(ctx, sizeof *pc);
    if (!pc) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!*pc && !(*pc = calloc(1, sizeof **pc))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    struct fields4 f;
    read_fields(argv, &f);
    for_each_count_key(&f, sqlite3_value_int(argv[4]), sqlite3_value_int(argv[5]) != 0, sqlite3_value_int(argv[6]),
                       counters_add, *pc);
}

static void fn_count_all_final(sqlite3_context *ctx)
{
    struct counters **pc = sqlite3_aggregate_context(ctx, 0);
    struct counters *c = pc ? *pc : NULL;
    struct buf b = BUF_INIT;
    buf_puts(&b, "[");
    bool first = true;
    for (size_t i = 0; c && i < c->cap; i++) {
        if (!c->v[i].key)
            continue;
        buf_puts(&b, first ? "[" : ",[");
        first = false;
        json_str(&b, c->v[i].key, strlen(c->v[i].key));
        buf_printf(&b, ",%lld]", (long long)c->v[i].n);
        free(c->v[i].key);
    }
    buf_puts(&b, "]");
    if (c) {
        free(c->v);
        free(c);
    }
    result_buf(ctx, &b);
}

/* ---- small conversions ---- */

static void fn_word_start(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    sqlite3_result_int(ctx, sqlite_search_word_start((const char *)sqlite3_value_text(argv[0]),
                                                     (const char *)sqlite3_value_text(argv[1])));
}

static void fn_gender(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    sqlite3_result_int(ctx, sqlite_search_gender_code((const char *)sqlite3_value_text(argv[0])));
}

/* "YYYY-MM-DD" -> YYYYMMDD; NULL for anything else */
static void fn_dob(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        sqlite3_result_null(ctx);
        return;
    }
    int v = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9') {
            sqlite3_result_null(ctx);
            return;
        }
        v = v * 10 + (s[i] - '0');
    }
    sqlite3_result_int(ctx, v);
}

static void fn_e7(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int64(ctx, geo_e7(sqlite3_value_double(argv[0])));
}

static void fn_distance(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    for (int i = 0; i < 4; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            sqlite3_result_null(ctx);
            return;
        }
    sqlite3_result_double(
        ctx, geo_distance_e7(geo_e7(sqlite3_value_double(argv[0])), geo_e7(sqlite3_value_double(argv[1])),
                             geo_e7(sqlite3_value_double(argv[2])), geo_e7(sqlite3_value_double(argv[3]))));
}

bool sqlite_search_user_e7(sqlite3_value *plat, sqlite3_value *plng, sqlite3_value *llat, sqlite3_value *llng,
                           int64_t *lat, int64_t *lng)
{
    if (sqlite3_value_type(plat) != SQLITE_NULL && sqlite3_value_type(plng) != SQLITE_NULL) {
        *lat = geo_e7(sqlite3_value_double(plat));
        *lng = geo_e7(sqlite3_value_double(plng));
        return true;
    }
    if (sqlite3_value_type(llat) != SQLITE_NULL && sqlite3_value_type(llng) != SQLITE_NULL) {
        *lat = geo_e7(sqlite3_value_double(llat));
        *lng = geo_e7(sqlite3_value_double(llng));
        return true;
    }
    return false;
}

static void fn_user_km(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t lat, lng;
    if (!sqlite_search_user_e7(argv[2], argv[3], argv[4], argv[5], &lat, &lng)) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_double(ctx, geo_round_km(geo_distance_e7(geo_e7(sqlite3_value_double(argv[0])),
                                                            geo_e7(sqlite3_value_double(argv[1])), lat, lng)));
}

static void fn_user_coord_e7(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t lat, lng;
    if (!sqlite_search_user_e7(argv[0], argv[1], argv[2], argv[3], &lat, &lng))
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int64(ctx, sqlite3_user_data(ctx) ? lng : lat);
}

static void fn_cube_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char key[32];
    int n = snprintf(key, sizeof key, "c%d%d%d%08d", sqlite3_value_int(argv[0]), sqlite3_value_int(argv[1]) != 0,
                     sqlite3_value_int(argv[2]) != 0, sqlite3_value_int(argv[3]));
    sqlite3_result_text(ctx, key, n, SQLITE_TRANSIENT);
}

int64_t sqlite_search_cell_side(int level)
{
    int64_t side = SEARCH_CELL_E7_COARSEST;
    for (int i = 0; i < level && i < SEARCH_CELL_LEVELS - 1; i++)
        side /= SEARCH_CELL_SPLIT;
    return side;
}

int64_t sqlite_search_cell_index(int64_t e7, int64_t half_turn, int level)
{
    return (e7 + half_turn) / sqlite_search_cell_side(level);
}

int sqlite_search_cell_key(char *out, int level, int64_t row, int64_t col)
{
    int depth = level < SEARCH_CELL_LEVELS ? level : SEARCH_CELL_LEVELS - 1;
    int64_t scale = 1;
    for (int i = 0; i < depth; i++)
        scale *= SEARCH_CELL_SPLIT;
    int n = snprintf(out, SEARCH_CELL_KEY_MAX, "q%d%06lld%06lld", level, (long long)(row / scale),
                     (long long)(col / scale));
    for (int i = 1; i <= depth; i++) {
        scale /= SEARCH_CELL_SPLIT;
        out[n++] =
            (char)('a' + (row / scale % SEARCH_CELL_SPLIT) * SEARCH_CELL_SPLIT + col / scale % SEARCH_CELL_SPLIT);
    }
    out[n] = '\0';
    return n;
}

static void fn_geo_cells(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_text(ctx, "[]", 2, SQLITE_STATIC);
        return;
    }
    int64_t lat = sqlite3_value_int64(argv[0]), lng = sqlite3_value_int64(argv[1]);
    char out[(SEARCH_CELL_LEVELS + 1) * (SEARCH_CELL_KEY_MAX + 3) + 2];
    size_t n = 0;
    out[n++] = '[';
    for (int level = 0; level <= SEARCH_CELL_LEVELS; level++) {
        char key[SEARCH_CELL_KEY_MAX];
        sqlite_search_cell_key(key, level, sqlite_search_cell_index(lat, 90LL * GEO_E7, level),
                               sqlite_search_cell_index(lng, 180LL * GEO_E7, level));
        n += (size_t)snprintf(out + n, sizeof out - n, "%s\"%s", level ? "," : "", key);
        if (level == SEARCH_CELL_LEVELS)
            n += (size_t)snprintf(out + n, sizeof out - n, ":%010lld%010lld", (long long)(lat + 90LL * GEO_E7),
                                  (long long)(lng + 180LL * GEO_E7));
        out[n++] = '"';
    }
    out[n++] = ']';
    sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
}

static void fn_starts_with(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = (const char *)sqlite3_value_text(argv[0]), *p = (const char *)sqlite3_value_text(argv[1]);
    sqlite3_result_int(ctx, s && p && !strncmp(s, p, strlen(p)));
}

bool sqlite_search_register(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    static const struct {
        const char *name;
        int argc;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } scalars[] = {
        {"search_prefix_rows", 4, fn_prefix_rows},
        {"search_suffix_rows", 4, fn_suffix_rows},
        {"search_name_rows", 2, fn_name_rows},
        {"search_count_keys", 7, fn_count_keys},
        {"search_word_start", 2, fn_word_start},
        {"search_gender", 1, fn_gender},
        {"search_dob", 1, fn_dob},
        {"search_e7", 1, fn_e7},
        {"search_distance", 4, fn_distance},
        {"search_user_km", 6, fn_user_km},
        {"search_starts_with", 2, fn_starts_with},
        {"search_cube_key", 4, fn_cube_key},
        {"search_geo_cells", 2, fn_geo_cells},
    };
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
        if (sqlite3_create_function(db, scalars[i].name, scalars[i].argc, flags, NULL, scalars[i].fn, NULL, NULL) !=
            SQLITE_OK)
            return false;
    static int lng_marker;
    return sqlite3_create_function(db, "search_user_lat_e7", 4, flags, NULL, fn_user_coord_e7, NULL, NULL) ==
               SQLITE_OK &&
           sqlite3_create_function(db, "search_user_lng_e7", 4, flags, &lng_marker, fn_user_coord_e7, NULL, NULL) ==
               SQLITE_OK &&
           sqlite3_create_function(db, "search_count_all", 7, flags, NULL, NULL, fn_count_all_step,
                                   fn_count_all_final) == SQLITE_OK;
}
