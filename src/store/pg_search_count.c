/* pg_search_count.c - the maintained counts of the PostgreSQL search
 * (search_count, 008_search_counts.sql): the keys of a user computed in C
 * (the same keys the triggers write), the recount of every key that
 * rebuilds the table and audits it, and the exact count of a query whose
 * conditions a few keys answer. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "model/search.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/pg_search_internal.h"
#include "store/search_words.h"

/* ================================================================ */
/* the keys of one user                                             */

enum { NMASKS = 5 };
static const int masks[NMASKS] = {3, 1, 2, 4, 8}; /* names, then each field */

struct piece {
    const char *s; /* not NUL-terminated */
    size_t len;
    int fields;
};

struct pieces {
    struct piece *v;
    size_t n, cap;
};

static void pieces_add(struct pieces *p, const char *s, size_t len, int fields)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 128;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        if (!p->v)
            abort(); /* as buf: out of memory is fatal */
    }
    p->v[p->n++] = (struct piece){s, len, fields};
}

static int piece_cmp(const void *a, const void *b)
{
    const struct piece *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Sorts, merges equal strings (OR-ing their fields) and calls fn with
 * "<kind><mask>:<string>" for every mask a string's fields meet. */
static void pieces_emit(struct pieces *p, char kind, pg_search_key_fn *fn, void *arg)
{
    if (p->n)
        qsort(p->v, p->n, sizeof *p->v, piece_cmp);
    char key[96];
    for (size_t i = 0; i < p->n; i++) {
        int fields = p->v[i].fields;
        while (i + 1 < p->n && !piece_cmp(&p->v[i], &p->v[i + 1]))
            fields |= p->v[++i].fields;
        for (int m = 0; m < NMASKS; m++)
            if (fields & masks[m]) {
                int n = snprintf(key, sizeof key, "%c%d:%.*s", kind, masks[m], (int)p->v[i].len, p->v[i].s);
                if (n > 0 && (size_t)n < sizeof key)
                    fn(arg, key);
            }
    }
    p->n = 0;
}

/* Every 1-2 character prefix at a word start (as search_words has them)
 * and every 3-character substring of one field. */
static void field_pieces(const char *text, int bit, struct pieces *pre, struct pieces *tri)
{
    if (!text)
        return;
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    size_t at[3] = {0}; /* the starts of the last three characters */
    int seen = 0;
    bool prev_word = false;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t l1 = search_cp_len(s + i, len - i, &cp);
        if (!prev_word) {
            pieces_add(pre, text + i, l1, bit);
            if (i + l1 < len) {
                int32_t next;
                size_t l2 = search_cp_len(s + i + l1, len - i - l1, &next);
                pieces_add(pre, text + i, l1 + l2, bit);
            }
        }
        prev_word = search_word_cp(cp);
        at[0] = at[1];
        at[1] = at[2];
        at[2] = i;
        i += l1;
        if (++seen >= 3)
            pieces_add(tri, text + at[0], i - at[0], bit);
    }
}

static int gender_code(const char *g)
{
    if (!g || !strcmp(g, "Unspecified"))
        return 0;
    if (!strcmp(g, "Male"))
        return 1;
    return strcmp(g, "Female") ? 3 : 2;
}

/* "YYYY-MM-DD" as its eight digits; false for anything else. */
static bool dob_digits(const char *d, char out[9])
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return false;
    int k = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (d[i] < '0' || d[i] > '9')
            return false;
        out[k++] = d[i];
    }
    out[8] = 0;
    return true;
}

void pg_search_user_keys(const struct pg_search_user *u, pg_search_key_fn *fn, void *arg)
{
    char key[64];
    int g = gender_code(u->gender);
    char dob[9];
    bool has_dob = dob_digits(u->date_of_birth, dob);
    fn(arg, "a");
    if (u->staff)
        fn(arg, "s");
    snprintf(key, sizeof key, "x%d", g);
    fn(arg, key);
    if (u->geo)
        fn(arg, "g");
    if (has_dob && strcmp(dob, "00000000") > 0) {
        snprintf(key, sizeof key, "d%s", dob);
        fn(arg, key);
        snprintf(key, sizeof key, "e%d%s", g, dob);
        fn(arg, key);
    }
    snprintf(key, sizeof key, "c%d%d%d%s", g, u->staff, u->geo, has_dob ? dob : "00000000");
    fn(arg, key);
    struct pieces pre = {0}, tri = {0};
    for (int f = 0; f < PG_SEARCH_FIELDS; f++)
        field_pieces(u->fold[f], 1 << f, &pre, &tri);
    pieces_emit(&pre, 'p', fn, arg);
    pieces_emit(&tri, 't', fn, arg);
    free(pre.v);
    free(tri.v);
}

/* ================================================================ */
/* the recount: key -> n over every active user                     */

struct counter {
    char *key; /* NULL: an empty slot */
    int64_t n;
};

struct counters {
    struct counter *v;
    size_t cap, used;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct counter *counters_slot(struct counters *c, const char *key)
{
    size_t j = hash_str(key) & (c->cap - 1);
    while (c->v[j].key && strcmp(c->v[j].key, key))
        j = (j + 1) & (c->cap - 1);
    return &c->v[j];
}

static void counters_grow(struct counters *c)
{
    struct counters bigger = {.cap = c->cap ? 2 * c->cap : 4096, .used = c->used};
    bigger.v = calloc(bigger.cap, sizeof *bigger.v);
    if (!bigger.v)
        abort();
    for (size_t i = 0; i < c->cap; i++)
        if (c->v[i].key)
            *counters_slot(&bigger, c->v[i].key) = c->v[i];
    free(c->v);
    *c = bigger;
}

static void counters_add_n(struct counters *c, const char *key, int64_t n)
{
    if (10 * (c->used + 1) > 7 * c->cap)
        counters_grow(c);
    struct counter *s = counters_slot(c, key);
    if (!s->key) {
        if (!(s->key = strdup(key)))
            abort();
        c->used++;
    }
    s->n += n;
}

static void counters_add(void *arg, const char *key) { counters_add_n(arg, key, 1); }

static void counters_free(struct counters *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->v[i].key);
    free(c->v);
    memset(c, 0, sizeof *c);
}

enum { RECOUNT_BATCH = 5000, WRITE_BATCH = 10000 };

/* Every key of every active user, tags and categories included. */
static bool recount(struct store *st, struct counters *c, struct err *e)
{
    int64_t after = 0;
    for (;;) {
        PGresult *r = pg_run(st, e,
                             "SELECT id, username_fold, real_name_fold, location_fold, description_fold, gender, "
                             "date_of_birth, (role IS NOT NULL)::int, (search_lat_e7(position_lat, position_lng, "
                             "location_lat, location_lng) IS NOT NULL)::int FROM users "
                             "WHERE status IN ('a', 'b') AND id > $1 ORDER BY id LIMIT $2",
                             "ii", after, (int64_t)RECOUNT_BATCH);
        if (!r)
            return false;
        int rows = PQntuples(r);
        for (int i = 0; i < rows; i++) {
            struct pg_search_user u = {
                .gender = PQgetvalue(r, i, 5),
                .date_of_birth = pg_col_null(r, i, 6) ? NULL : PQgetvalue(r, i, 6),
                .staff = pg_col_int(r, i, 7) != 0,
                .geo = pg_col_int(r, i, 8) != 0,
            };
            for (int f = 0; f < PG_SEARCH_FIELDS; f++)
                u.fold[f] = PQgetvalue(r, i, 1 + f);
            pg_search_user_keys(&u, counters_add, c);
        }
        if (rows)
            after = pg_col_int(r, rows - 1, 0);
        PQclear(r);
        if (rows < RECOUNT_BATCH)
            break;
    }
    PGresult *r = pg_run(st, e,
                         "SELECT 'm1:' || t.tag_id, count(*) FROM user_tags t JOIN users u ON u.id = t.user_id "
                         "WHERE u.status IN ('a', 'b') GROUP BY t.tag_id UNION ALL "
                         "SELECT 'm2:' || f.category_id, count(*) FROM category_follows f JOIN users u "
                         "ON u.id = f.user_id WHERE u.status IN ('a', 'b') GROUP BY f.category_id",
                         "");
    if (!r)
        return false;
    for (int i = 0; i < PQntuples(r); i++)
        counters_add_n(c, PQgetvalue(r, i, 0), pg_col_int(r, i, 1));
    PQclear(r);
    return true;
}

/* One element of a text[] literal, always quoted. */
static void put_quoted(struct buf *b, const char *s)
{
    buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_append(b, "\\", 1);
        buf_append(b, s, 1);
    }
    buf_puts(b, "\"");
}

static bool write_batch(struct store *st, struct buf *keys, struct buf *ns, struct err *e)
{
    buf_puts(keys, "}");
    buf_puts(ns, "}");
    bool ok = pg_exec(st, e, "INSERT INTO search_count (key, n) SELECT * FROM unnest($1::text[], $2::bigint[])", "ss",
                      buf_str(keys), buf_str(ns));
    buf_reset(keys);
    buf_reset(ns);
    return ok;
}

bool pg_search_counts_rebuild(struct store *st, struct err *e)
{
    struct counters c = {0};
    counters_grow(&c);
    bool ok = recount(st, &c, e) && pg_exec(st, e, "DELETE FROM search_count", "");
    struct buf keys = BUF_INIT, ns = BUF_INIT;
    int in_batch = 0;
    for (size_t i = 0; ok && i < c.cap; i++) {
        if (!c.v[i].key || !c.v[i].n)
            continue;
        buf_puts(&keys, in_batch ? "," : "{");
        put_quoted(&keys, c.v[i].key);
        buf_printf(&ns, "%s%lld", in_batch ? "," : "{", (long long)c.v[i].n);
        if (++in_batch == WRITE_BATCH) {
            ok = write_batch(st, &keys, &ns, e);
            in_batch = 0;
        }
    }
    if (ok && in_batch)
        ok = write_batch(st, &keys, &ns, e);
    ok = ok && pg_exec(st, e, "SELECT search_text_rebuild()", "") &&
         pg_exec(st, e, "SELECT search_name_rebuild()", "") && pg_exec(st, e, "SELECT search_cell_rebuild()", "") &&
         pg_exec(st, e, "SELECT search_geo_point_rebuild()", "") &&
         pg_exec(st, e, "SELECT search_tag_member_rebuild()", "");
    buf_free(&keys);
    buf_free(&ns);
    counters_free(&c);
    return ok;
}

/* The rows of search_text (012_search_text.sql) that differ from their
 * recomputation from users, missing and extra rows included, and the
 * search_cell and search_geo_point counts, search_tag_member rows
 * (017_search_links.sql) and search_name rows (020_search_name.sql) that
 * differ from a recount. */
#define SEARCH_TEXT_ROWS                                                                              \
    "SELECT id, gender, date_of_birth, role IS NOT NULL, username_fold || E'\\n' || real_name_fold, " \
    "octet_length(username_fold) FROM users WHERE status IN ('a', 'b')"
#define SEARCH_TEXT_DRIFT                                                                                            \
    "SELECT (SELECT count(*) FROM (" SEARCH_TEXT_ROWS " EXCEPT ALL SELECT id, gender, date_of_birth, staff, names, " \
    "ulen FROM search_text) x) + (SELECT count(*) FROM (SELECT id, gender, date_of_birth, staff, names, ulen "       \
    "FROM search_text EXCEPT ALL " SEARCH_TEXT_ROWS ") y) + (SELECT count(*) FROM (SELECT key, n FROM "              \
    "search_cell WHERE n <> 0) a FULL JOIN search_cell_recount b USING (key) WHERE a.n IS DISTINCT FROM b.n) + "     \
    "(SELECT count(*) FROM (SELECT cell, lat, lng, n FROM search_geo_point WHERE n <> 0) a FULL JOIN "               \
    "search_geo_point_recount b USING (cell, lat, lng) WHERE a.n IS DISTINCT FROM b.n) + (SELECT count(*) FROM "     \
    "((TABLE search_tag_member EXCEPT ALL TABLE search_tag_member_recount) UNION ALL "                               \
    "(TABLE search_tag_member_recount EXCEPT ALL TABLE search_tag_member)) t) + (SELECT count(*) FROM "              \
    "((TABLE search_name EXCEPT ALL TABLE search_name_recount) UNION ALL "                                           \
    "(TABLE search_name_recount EXCEPT ALL TABLE search_name)) n)"

int64_t pg_search_counts_check(struct store *st, struct err *e)
{
    struct counters c = {0};
    counters_grow(&c);
    PGresult *r = NULL;
    int64_t wrong = -1;
    if (!recount(st, &c, e) || !(r = pg_run(st, e, "SELECT key, n FROM search_count WHERE n <> 0", "")))
        goto done;
    wrong = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        struct counter *s = counters_slot(&c, PQgetvalue(r, i, 0));
        if (!s->key || s->n != pg_col_int(r, i, 1))
            wrong++;
        if (s->key)
            s->n = 0; /* seen */
    }
    for (size_t i = 0; i < c.cap; i++)
        if (c.v[i].key && c.v[i].n)
            wrong++; /* counted, but missing from the table */
    int64_t rows = 0;
    if (!pg_count(st, &rows, e, SEARCH_TEXT_DRIFT, ""))
        wrong = -1;
    else
        wrong += rows;
done:
    PQclear(r);
    counters_free(&c);
    return wrong;
}

/* ================================================================ */
/* counts of queries                                                */

/* The sum of n over the keys in [lo, hi] (lo excluded when lo_open). */
static int64_t key_range(struct store *st, const char *lo, bool lo_open, const char *hi, struct err *e)
{
    int64_t n = -1;
    bool ok = lo_open
                  ? pg_count(st, &n, e, "SELECT coalesce(sum(n), 0) FROM search_count WHERE key > $1 AND key <= $2",
                             "ss", lo, hi)
                  : pg_count(st, &n, e, "SELECT coalesce(sum(n), 0) FROM search_count WHERE key >= $1 AND key <= $2",
                             "ss", lo, hi);
    return ok ? n : -1;
}

static int64_t key_count(struct store *st, const char *key, struct err *e) { return key_range(st, key, false, key, e); }

int64_t pg_search_link_size(struct store *st, const struct search_query *q, int64_t *active, struct err *e)
{
    char key[48];
    int64_t n = -1;
    if (q->tag_id) {
        snprintf(key, sizeof key, "m1:%lld", (long long)q->tag_id);
        if ((n = key_count(st, key, e)) < 0)
            return -1;
    }
    if (q->category_id) {
        snprintf(key, sizeof key, "m2:%lld", (long long)q->category_id);
        int64_t c = key_count(st, key, e);
        if (c < 0)
            return -1;
        n = n < 0 || c < n ? c : n;
    }
    if ((*active = key_count(st, "a", e)) < 0)
        return -1;
    return n;
}

int64_t pg_search_keyed_count(struct store *st, const struct search_query *q, struct err *e)
{
    const char *texts[] = {q->term, q->username, q->real_name, q->location, q->description};
    const int text_masks[] = {3, 1, 2, 4, 8};
    int ntext = 0, which = 0;
    for (int i = 0; i < 5; i++)
        if (texts[i]) {
            ntext++;
            which = i;
        }
    bool attrs = q->gender || q->has_age || q->staff != SEARCH_STAFF_ANY || q->has_origin;
    int links = (q->tag_id != 0) + (q->category_id != 0);
    if (q->has_radius)
        return -2;
    char key[96];
    if (ntext == 1 && !attrs && !links) {
        long chars = text_chars(texts[which]);
        if (chars > 3 || strlen(texts[which]) > 60)
            return -2;
        snprintf(key, sizeof key, "%c%d:%s", chars <= PG_SEARCH_PREFIX_CHARS ? 'p' : 't', text_masks[which],
                 texts[which]);
        return key_count(st, key, e);
    }
    if (ntext)
        return -2;
    if (links == 1 && !attrs) {
        snprintf(key, sizeof key, "m%d:%lld", q->tag_id ? 1 : 2, (long long)(q->tag_id ? q->tag_id : q->category_id));
        return key_count(st, key, e);
    }
    if (links)
        return -2;
    if (!attrs)
        return key_count(st, "a", e);
    int g = q->gender ? gender_code(q->gender) : -1;
    if (g == 3)
        return -2; /* the key mixes every other value */
    bool age = q->has_age, staff = q->staff != SEARCH_STAFF_ANY, geo = q->has_origin;
    if (!age && !staff && !geo)
        return snprintf(key, sizeof key, "x%d", g), key_count(st, key, e);
    if (!age && !geo && !q->gender) {
        int64_t all = key_count(st, "a", e), s = all < 0 ? -1 : key_count(st, "s", e);
        return s < 0 ? -1 : q->staff == SEARCH_STAFF_ONLY ? s : all - s;
    }
    if (!age && !staff && !q->gender)
        return key_count(st, "g", e);
    int upto = q->dob_upto ? q->dob_upto : 99999999;
    if (!staff && !geo) {
        /* a sum over the birth days in the range */
        char lo[48], hi[48];
        if (g < 0) {
            snprintf(lo, sizeof lo, "d%08d", q->dob_after);
            snprintf(hi, sizeof hi, "d%08d", upto);
        } else {
            snprintf(lo, sizeof lo, "e%d%08d", g, q->dob_after);
            snprintf(hi, sizeof hi, "e%d%08d", g, upto);
        }
        return key_range(st, lo, true, hi, e);
    }
    /* the cube: a sum of ranges over the combinations allowed */
    int g0 = g < 0 ? 0 : g, g1 = g < 0 ? 3 : g;
    int s0 = staff ? q->staff == SEARCH_STAFF_ONLY : 0, s1 = staff ? s0 : 1;
    int k0 = geo ? 1 : 0;
    int dob_lo = age ? q->dob_after + 1 : 0, dob_hi = age ? upto : 99999999;
    int64_t total = 0;
    for (int gg = g0; gg <= g1; gg++)
        for (int s = s0; s <= s1; s++)
            for (int k = k0; k <= 1; k++) {
                char lo[48], hi[48];
                snprintf(lo, sizeof lo, "c%d%d%d%08d", gg, s, k, dob_lo);
                snprintf(hi, sizeof hi, "c%d%d%d%08d", gg, s, k, dob_hi);
                int64_t n = key_range(st, lo, false, hi, e);
                if (n < 0)
                    return -1;
                total += n;
            }
    return total;
}
