/* list_plan.c - the engine-neutral half of seeking list pages (see
 * list_plan.h).
 *
 * list_order_counts, for the orderings real_name, location and date_joined
 * (kind 2, 3, 4), counts the visible users per range of their sort key
 * (key, id):
 *   levels 1, 2, 4, 6 (date_joined: 1, 2, 3): the users whose text key
 *     starts with `prefix`, the first 1, 2, 4, 6 characters of the key
 *     (date_joined: 5, 7, 9 of its 16 hex digits; a shorter key is whole:
 *     the range holds that key only; migration 017_list_levels, postgres
 *     010_list_levels, dropped 016's levels 3 and 5, and 4 and 5, to make
 *     writes cheaper);
 *   level 7: the users with the whole key `prefix` and id >> 16 = block
 *     (not date_joined's since sqlite 024_list_signup, postgres
 *     016_list_signup: its level-3 ranges hold few keys, and its seek reads
 *     level 8 inside them);
 *   level 8: the same with id >> 8 = block;
 *   levels 9, 10 (real_name, location; prefix ''): the users with a
 *     non-empty key and id >> 16, id >> 8 = block.
 * The empty real_name and location (every signup's) have no rows
 * (sqlite 022_list_writes, postgres 014_list_writes): the users with an
 * empty key, the first run of the ascending list and the last of the
 * descending one, are every visible user less the level-1 ranges, and
 * their id blocks list_counts' (kind 0, levels 1 and 2) less levels 9 and
 * 10; the descent derives them.
 * Ranges of one level sort as (prefix, block) with the text bytewise, so
 * the users before a range are the sum of the ranges before it in the
 * list's direction; ties of one key (many users share a location, or none)
 * are split by id like the id ordering. A seek descends the levels, each
 * inside the range chosen above it, then walks at most 256 ids of one key.
 */
#include "store/list_plan.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

bool list_plan(const struct user_filter *f, int *kind, bool *desc)
{
    if (f->search || f->username || f->real_name || f->location || f->description || f->gender || f->exclude_id)
        return false;
    *desc = false;
    if (f->norder == 0) {
        *kind = LIST_ID;
        return true;
    }
    if (f->norder != 1)
        return false;
    static const char *const fields[LIST_KINDS] = {"id", "username", "real_name", "location", "date_joined"};
    *desc = f->order[0].desc;
    for (int k = 0; k < LIST_KINDS; k++)
        if (!strcmp(f->order[0].field, fields[k])) {
            *kind = k;
            return true;
        }
    return false;
}

int list_key_cmp(int kind, bool desc, const struct list_key *x, const struct list_key *y)
{
    if (kind == LIST_ID)
        return x->id < y->id ? -1 : x->id > y->id;
    int c = strcmp(x->s, y->s); /* bytewise, as SQLite's BINARY and PostgreSQL's "C" */
    if (kind == LIST_USERNAME)
        return c;
    if (c)
        return desc ? -c : c;
    return x->id < y->id ? -1 : x->id > y->id;
}

int list_seek_unhidden(list_seek_fn *seek, void *ctx, int kind, bool desc, const struct list_key *hidden, int64_t nh,
                       int64_t pos, struct list_key *out, struct err *e)
{
    int64_t j = 0;
    for (;;) {
        int found = seek(ctx, pos + j, out, e);
        if (found <= 0)
            return found;
        int64_t lo = 0, hi = nh; /* hidden[0..lo) are at or before out */
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (list_key_cmp(kind, desc, &hidden[mid], out) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == j)
            return 1;
        j = lo;
    }
}

/* The code point of the UTF-8 character at s (len bytes). */
static uint32_t utf8_decode(const unsigned char *s, size_t len)
{
    if (len == 1)
        return s[0];
    uint32_t cp = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* Writes cp as UTF-8 at out; returns its length. */
static size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* UTF-8 orders bytewise as code points, so the texts starting with p are
 * exactly those in [p, out). */
bool list_prefix_successor(const char *p, char *out, size_t cap)
{
    size_t len = strlen(p);
    if (len + 5 > cap)
        return false;
    memcpy(out, p, len + 1);
    while (len > 0) {
        size_t start = len - 1;
        while (start > 0 && ((unsigned char)out[start] & 0xC0) == 0x80)
            start--;
        uint32_t cp = utf8_decode((const unsigned char *)out + start, len - start) + 1;
        if (cp == 0xD800)
            cp = 0xE000; /* no surrogates in UTF-8 */
        if (cp <= 0x10FFFF) {
            len = start + utf8_encode(cp, out + start);
            out[len] = '\0';
            return true;
        }
        len = start;
        out[len] = '\0';
    }
    return false;
}

void list_joined_key(int64_t us, char out[LIST_JOINED_KEY])
{
    snprintf(out, LIST_JOINED_KEY, "%016" PRIx64, (uint64_t)us);
}

int64_t list_joined_us(const char *key) { return (int64_t)strtoull(key, NULL, 16); }

/* the prefix levels of each ordering, coarsest first: level number and
 * prefix length (characters) */
struct prefix_level {
    int level, len;
};
static const struct prefix_level text_levels[] = {{1, 1}, {2, 2}, {4, 4}, {6, 6}};
static const struct prefix_level joined_levels[] = {{1, 5}, {2, 7}, {3, 9}};

/* the ranges of one level, in the list's order (the first half ascending,
 * the second descending): a prefix level's ranges (whole level, inside
 * [$3, $4), from $3 on), the whole key's id blocks (prefix $3, block in
 * [$4, $5)), the ranges of the level LIST_LEVEL_IDS16 (inside [$3, $4),
 * from $3 on). A prefix level's block is always 0, so its descending
 * statements order by the prefix alone, as the primary key read backwards:
 * ordering by "prefix DESC, block" there makes SQLite sort every prefix's
 * rows apart (a sorter per range), which cost the descending orderings
 * several times the ascending ones. */
enum { LEVEL_TOP, LEVEL_RANGE, LEVEL_FROM, LEVEL_BLOCKS, LEVEL_KEYS_RANGE, LEVEL_KEYS_FROM, LEVEL_SQLS };

#define LEVEL_SELECT "SELECT prefix, n, block FROM list_order_counts WHERE kind = $1 AND level = $2 "
/* one direction's statements: dir "" or " DESC" */
#define LEVEL_SQL(dir)                                                                                      \
    {                                                                                                       \
        [LEVEL_TOP] = LEVEL_SELECT "ORDER BY prefix" dir,                                                   \
        [LEVEL_RANGE] = LEVEL_SELECT "AND prefix >= $3 AND prefix < $4 ORDER BY prefix" dir,                \
        [LEVEL_FROM] = LEVEL_SELECT "AND prefix >= $3 ORDER BY prefix" dir,                                 \
        [LEVEL_BLOCKS] = LEVEL_SELECT "AND prefix = $3 AND block >= $4 AND block < $5 ORDER BY block",      \
        [LEVEL_KEYS_RANGE] = LEVEL_SELECT "AND prefix >= $3 AND prefix < $4 ORDER BY prefix" dir ", block", \
        [LEVEL_KEYS_FROM] = LEVEL_SELECT "AND prefix >= $3 ORDER BY prefix" dir ", block",                  \
    }
static const char *const level_sql[2][LEVEL_SQLS] = {LEVEL_SQL(""), LEVEL_SQL(" DESC")};

/* the id of the k-th visible user by id among those with one key ($1; an
 * integer for LIST_JOINED) and id in [$2, $3): per kind (the location's
 * key per engine) */
#define ROW_SQL(key)                                                                                                 \
    "SELECT id FROM users WHERE status IN ('a', 'b') AND " key " = $1 AND id >= $2 AND id < $3 ORDER BY id LIMIT 1 " \
    "OFFSET $4"
static const char *const row_sql[LIST_KINDS] = {
    [LIST_REAL_NAME] = ROW_SQL("real_name_fold"),
    [LIST_LOCATION] = ROW_SQL("fold(location)"),
    [LIST_JOINED] = ROW_SQL("date_joined_us"),
};
static const char *const location_column_row_sql = ROW_SQL("location_fold");

/* The users with an empty real_name or location ($1 the kind): every
 * visible user less those with a non-empty key. */
static const char empty_count_sql[] =
    "SELECT CAST((SELECT n FROM list_counts WHERE kind = 0 AND level = 0 AND key = 0) - "
    "coalesce((SELECT sum(n) FROM list_order_counts WHERE kind = $1 AND level = 1), 0) AS bigint)";

/* Their ranges of id >> 16 (level 7's) and id >> 8 (level 8's) with the
 * block in [$2, $3): list_counts' less levels 9 and 10. */
#define EMPTY_BLOCKS_SQL(counts_level, level)                                                                         \
    "SELECT '' AS prefix, c.n - coalesce((SELECT o.n FROM list_order_counts o WHERE o.kind = $1 AND o.level = " level \
    " AND o.prefix = '' AND o.block = c.key), 0) AS n, c.key FROM list_counts c WHERE c.kind = 0 AND "                \
    "c.level = " counts_level " AND c.key >= $2 AND c.key < $3 ORDER BY c.key"
static const char *const empty_blocks_sql[2] = {EMPTY_BLOCKS_SQL("1", "9"), EMPTY_BLOCKS_SQL("2", "10")};

/* The k-th (from 0) visible user of ordering kind (LIST_REAL_NAME..) in
 * direction desc, hidden users included: its key (text in en->a) and id.
 * Returns lookup (0: the counts end before k). */
static int order_seek(const struct list_engine *en, int kind, bool desc, int64_t k, struct list_key *out, struct err *e)
{
    const struct prefix_level *levels = kind == LIST_JOINED ? joined_levels : text_levels;
    int nlevels = kind == LIST_JOINED ? (int)(sizeof joined_levels / sizeof *joined_levels)
                                      : (int)(sizeof text_levels / sizeof *text_levels);
    const char *const *sql = level_sql[desc];
    const char *prefix = NULL;
    int64_t block = 0;
    bool whole = false; /* prefix is a whole key */
    bool empty = false; /* the empty key, derived */
    int64_t nempty = 0;
    if (kind != LIST_JOINED) {
        struct list_arg arg = {.i = kind};
        if (en->get_int(en->ctx, empty_count_sql, &arg, 1, &nempty, e) < 0)
            return -1;
        if (!desc && k < nempty)
            empty = true; /* the ascending list's first run */
        else if (!desc)
            k -= nempty;
    }
    for (int i = 0; i < nlevels && !empty; i++) {
        struct list_arg args[4] = {{.i = kind}, {.i = levels[i].level}, {.s = prefix}, {0}};
        char hi[256];
        int found;
        if (i == 0) {
            found = en->pick(en->ctx, en->a, sql[LEVEL_TOP], args, 2, &k, &prefix, &block, e);
            if (found == 0 && desc && k < nempty) { /* the descending list's last run */
                empty = true;
                break;
            }
        } else if (list_prefix_successor(prefix, hi, sizeof hi)) {
            args[3].s = hi;
            found = en->pick(en->ctx, en->a, sql[LEVEL_RANGE], args, 4, &k, &prefix, &block, e);
        } else
            found = en->pick(en->ctx, en->a, sql[LEVEL_FROM], args, 3, &k, &prefix, &block, e);
        if (found <= 0)
            return found;
        if (text_chars(prefix) < levels[i].len) {
            whole = true; /* shorter than the level: the range is that key alone */
            break;
        }
    }
    /* the (key, id >> 16) ranges inside the last range; date_joined's
     * (key, id >> 8) ones (it has no level 7 since sqlite 024, postgres 016) */
    struct list_arg args[5] = {
        {.i = kind}, {.i = kind == LIST_JOINED ? LIST_LEVEL_IDS8 : LIST_LEVEL_IDS16}, {.s = prefix}, {0}, {0}};
    char hi[256];
    int found;
    if (empty) {
        struct list_arg all[3] = {{.i = kind}, {.i = INT64_MIN}, {.i = INT64_MAX}};
        found = en->pick(en->ctx, en->a, empty_blocks_sql[0], all, 3, &k, &prefix, &block, e);
    } else if (whole)
        args[3].i = INT64_MIN, args[4].i = INT64_MAX,
        found = en->pick(en->ctx, en->a, sql[LEVEL_BLOCKS], args, 5, &k, &prefix, &block, e);
    else if (list_prefix_successor(prefix, hi, sizeof hi))
        args[3].s = hi, found = en->pick(en->ctx, en->a, sql[LEVEL_KEYS_RANGE], args, 4, &k, &prefix, &block, e);
    else
        found = en->pick(en->ctx, en->a, sql[LEVEL_KEYS_FROM], args, 3, &k, &prefix, &block, e);
    if (found <= 0)
        return found;
    /* the (key, id >> 8) ranges inside it */
    struct list_arg fine[5] = {
        {.i = kind}, {.i = LIST_LEVEL_IDS8}, {.s = prefix}, {.i = block * 256}, {.i = (block + 1) * 256}};
    if (empty) {
        struct list_arg part[3] = {{.i = kind}, {.i = block * 256}, {.i = (block + 1) * 256}};
        found = en->pick(en->ctx, en->a, empty_blocks_sql[1], part, 3, &k, &prefix, &block, e);
    } else if (kind != LIST_JOINED) /* date_joined: its id >> 8 range is picked */
        found = en->pick(en->ctx, en->a, sql[LEVEL_BLOCKS], fine, 5, &k, &prefix, &block, e);
    if (found <= 0)
        return found;
    struct list_arg row[4] = {{.s = prefix}, {.i = block * 256}, {.i = (block + 1) * 256}, {.i = k}};
    if (kind == LIST_JOINED)
        row[0] = (struct list_arg){.i = list_joined_us(prefix)};
    out->s = prefix;
    return en->get_int(en->ctx, kind == LIST_LOCATION && en->location_column ? location_column_row_sql : row_sql[kind],
                       row, 4, &out->id, e);
}

int list_seek(void *seeker, int64_t k, struct list_key *out, struct err *e)
{
    const struct list_seeker *s = seeker;
    memset(out, 0, sizeof *out);
    if (s->kind == LIST_ID)
        return s->en->seek_id(s->en->ctx, k, &out->id, e);
    if (s->kind == LIST_USERNAME)
        return s->en->seek_username(s->en->ctx, s->en->a, k, &out->s, e);
    return order_seek(s->en, s->kind, s->desc, k, out, e);
}

/* The cursor's tag of the user list ordered by kind, desc. */
static void user_tag(int kind, bool desc, char tag[4]) { snprintf(tag, 4, "U%d%d", kind, desc ? 1 : 0); }

int list_plan_page(const struct list_engine *en, const struct user_filter *f, int kind, bool desc, int64_t total,
                   const struct list_key *hidden, int64_t nh, struct user_page *out, struct list_key *first,
                   struct err *e)
{
    out->count = total - nh;
    out->n = 0;
    out->items = arena_alloc(en->a, sizeof *out->items * (size_t)(f->limit > 0 ? f->limit : 1));
    out->next_cursor = NULL;
    if (f->cursor && *f->cursor) {
        struct list_cursor c;
        char tag[4];
        user_tag(kind, desc, tag);
        if (!list_cursor_decode(en->a, f->cursor, &c) || strcmp(c.tag, tag) || c.owner) {
            err_field(e, "cursor", "invalid", LIST_CURSOR_INVALID);
            return -1;
        }
        if (c.offset == f->offset && f->limit > 0 && f->offset < out->count) {
            *first = c.key;
            return 2;
        }
    }
    if (f->limit <= 0 || f->offset < 0 || f->offset >= out->count)
        return 0;
    struct list_seeker c = {en, kind, desc};
    if (kind >= LIST_REAL_NAME) /* the page's first user in the list's order */
        return list_seek_unhidden(list_seek, &c, kind, desc, hidden, nh, f->offset, first, e);
    /* id and username: the position among the unhidden users in ascending order */
    return list_seek_unhidden(list_seek, &c, kind, false, hidden, nh, desc ? out->count - 1 - f->offset : f->offset,
                              first, e);
}

/* the key of one user ($1) per ordering (the location's per engine) */
static const char *const key_sql[LIST_KINDS] = {
    [LIST_USERNAME] = "SELECT username_fold FROM users WHERE id = $1",
    [LIST_REAL_NAME] = "SELECT real_name_fold FROM users WHERE id = $1",
    [LIST_LOCATION] = "SELECT fold(location) FROM users WHERE id = $1",
    [LIST_JOINED] = "SELECT date_joined_us FROM users WHERE id = $1",
};

bool list_plan_next_cursor(const struct list_engine *en, const struct user_filter *f, int kind, bool desc,
                           struct user_page *out, struct err *e)
{
    out->next_cursor = NULL;
    if (!f->cursor || out->n < f->limit || out->n == 0 || (int64_t)f->offset + f->limit >= out->count)
        return true;
    struct list_cursor c = {.offset = (int64_t)f->offset + f->limit, .key.id = out->items[out->n - 1].id};
    user_tag(kind, desc, c.tag);
    char joined[LIST_JOINED_KEY];
    struct list_arg id = {.i = c.key.id};
    int found = 1;
    if (kind == LIST_JOINED) {
        int64_t us = 0;
        found = en->get_int(en->ctx, key_sql[kind], &id, 1, &us, e);
        list_joined_key(us, joined);
        c.key.s = joined;
    } else if (kind != LIST_ID)
        found =
            en->get_text(en->ctx, en->a,
                         kind == LIST_LOCATION && en->location_column ? "SELECT location_fold FROM users WHERE id = $1"
                                                                      : key_sql[kind],
                         &id, 1, &c.key.s, e);
    if (found < 0)
        return false;
    if (found > 0)
        out->next_cursor = list_cursor_encode(en->a, &c);
    return true;
}

/* The record under the base64url: "tag.owner.offset.num.id.key". */
const char *list_cursor_encode(struct arena *a, const struct list_cursor *c)
{
    const char *key = c->key.s ? c->key.s : "";
    size_t cap = strlen(key) + 128;
    char *raw = arena_alloc(a, cap);
    int len = snprintf(raw, cap, "%s.%" PRId64 ".%" PRId64 ".%" PRId64 ".%" PRId64 ".%s", c->tag, c->owner, c->offset,
                       c->num, c->key.id, key);
    if (len < 0 || (size_t)len >= cap)
        return NULL;
    size_t out_len = sodium_base64_ENCODED_LEN((size_t)len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (out_len > LIST_CURSOR_MAX + 1)
        return NULL; /* a key longer than any the lists have */
    char *out = arena_alloc(a, out_len);
    return sodium_bin2base64(out, out_len, (const unsigned char *)raw, (size_t)len,
                             sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* One decimal integer field of a record, ending at `.`. */
static bool cursor_int(const char **p, int64_t *out)
{
    const char *s = *p;
    const char *dot = strchr(s, '.');
    if (!dot || dot == s || dot - s > 20)
        return false;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end != dot || (s[0] != '-' && (s[0] < '0' || s[0] > '9')))
        return false;
    *out = v;
    *p = dot + 1;
    return true;
}

bool list_cursor_decode(struct arena *a, const char *text, struct list_cursor *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    if (len == 0 || len > LIST_CURSOR_MAX)
        return false;
    unsigned char *raw = arena_alloc(a, len + 1);
    size_t n = 0;
    if (sodium_base642bin(raw, len, text, len, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    raw[n] = '\0';
    if (!text_valid_utf8((const char *)raw, n))
        return false;
    const char *p = (const char *)raw, *dot = strchr(p, '.');
    if (!dot || dot - p < 2 || dot - p > 3)
        return false;
    memcpy(out->tag, p, (size_t)(dot - p));
    p = dot + 1;
    bool user = out->tag[0] == 'U' && dot - (const char *)raw == 3 && out->tag[1] >= '0' &&
                out->tag[1] < '0' + LIST_KINDS && (out->tag[2] == '0' || out->tag[2] == '1');
    bool edge = out->tag[0] == 'E' && dot - (const char *)raw == 2 && out->tag[1] >= '0' && out->tag[1] <= '2';
    if (!(user || edge) || !cursor_int(&p, &out->owner) || !cursor_int(&p, &out->offset) ||
        !cursor_int(&p, &out->num) || !cursor_int(&p, &out->key.id) || out->offset < 0 || out->owner < 0)
        return false;
    out->key.s = p; /* the rest, valid UTF-8 */
    if (user && out->tag[1] == '0' + LIST_JOINED) {
        if (strlen(p) != LIST_JOINED_KEY - 1)
            return false;
        for (const char *h = p; *h; h++)
            if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
                return false;
    }
    return true;
}

int list_edge_cursor(struct arena *a, const char *text, int list, int64_t owner, int64_t offset, int64_t *created,
                     int64_t *other, struct err *e)
{
    if (!text || !*text)
        return 0;
    struct list_cursor c;
    if (!list_cursor_decode(a, text, &c) || c.tag[0] != 'E' || c.tag[1] != '0' + list || c.owner != owner) {
        err_field(e, "cursor", "invalid", LIST_CURSOR_INVALID);
        return -1;
    }
    if (c.offset != offset)
        return 0;
    *created = c.num;
    *other = c.key.id;
    return 1;
}

bool store_list_cursor_check(struct arena *a, const char *text, int list, int64_t owner, struct err *e)
{
    if (list >= 0) {
        int64_t created, other;
        return list_edge_cursor(a, text, list, owner, -1, &created, &other, e) >= 0;
    }
    struct list_cursor c;
    return list_cursor_decode(a, text, &c) || err_field(e, "cursor", "invalid", LIST_CURSOR_INVALID);
}

const char *list_edge_cursor_text(struct arena *a, int list, int64_t owner, int64_t offset, int64_t created,
                                  int64_t other)
{
    struct list_cursor c = {.owner = owner, .offset = offset, .num = created, .key.id = other};
    snprintf(c.tag, sizeof c.tag, "E%d", list);
    return list_cursor_encode(a, &c);
}

/* A key as a statement's argument: date_joined's as its integer. */
static struct list_arg key_arg(int kind, const char *key)
{
    struct list_arg arg = {0};
    if (kind == LIST_JOINED)
        arg.i = list_joined_us(key);
    else
        arg.s = key;
    return arg;
}

/* Appends the users of one part of an ordering's page: keys and ids from
 * `from` to `to`. */
static bool order_part(const struct list_engine *en, const char *sql, int kind, const struct list_key *from,
                       const struct list_key *to, int64_t viewer, int limit, struct user_page *out, struct err *e)
{
    struct list_arg args[] = {
        key_arg(kind, from->s), {.i = from->id}, key_arg(kind, to->s), {.i = to->id}, {.i = viewer}};
    return en->users(en->ctx, en->a, sql, args, 5, limit, out, e);
}

bool list_order_from(const struct list_engine *en, const struct user_filter *f, int kind, bool desc,
                     const struct list_key *x, bool after, struct user_page *out, struct err *e)
{
    const struct list_order_sql *sql = &en->order_sql[kind][desc];
    struct list_key from = {after ? x->id + 1 : x->id, x->s}, end = {INT64_MAX, x->s};
    if (!(after && x->id == INT64_MAX) &&
        !order_part(en, sql->same_key, kind, &from, &end, f->viewer_id, f->limit, out, e))
        return false;
    if (out->n >= f->limit)
        return true;
    int64_t left = f->limit - out->n;
    const char *bound = NULL;
    struct list_arg bound_args[] = {key_arg(kind, x->s), {.i = f->viewer_id}, {.i = left - 1}};
    int found = en->get_text(en->ctx, en->a, sql->bound, bound_args, 3, &bound, e);
    if (found < 0)
        return false;
    if (found > 0) {
        struct list_key last = {INT64_MAX, bound}, start = {INT64_MIN, bound};
        return order_part(en, sql->between, kind, x, &last, f->viewer_id, f->limit, out, e) &&
               order_part(en, sql->same_key, kind, &start, &last, f->viewer_id, f->limit, out, e);
    }
    struct list_arg after_args[] = {key_arg(kind, x->s), {.i = f->viewer_id}, {.i = left}};
    return en->users(en->ctx, en->a, sql->after, after_args, 3, f->limit, out, e);
}
