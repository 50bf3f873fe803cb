/* sqlite_tag.c - tags and the tags of users (tags, user_tags). */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "model/tag.h"
#include "store/sqlite_internal.h"
#include "store/tag_ids.h"

#define TAG_COLUMNS "t.id, t.type, t.name, t.description, t.color, t.visible, t.active, t.deleted, t.created_us"

static void tag_from_row(struct arena *a, sqlite3_stmt *q, int col, struct tag *t)
{
    t->id = sqlite3_column_int64(q, col);
    t->type = sqlite_col_text(a, q, col + 1);
    t->name = sqlite_col_text(a, q, col + 2);
    t->description = sqlite_col_text(a, q, col + 3);
    t->color = sqlite_col_text(a, q, col + 4);
    t->visible = sqlite3_column_int(q, col + 5) != 0;
    t->active = sqlite3_column_int(q, col + 6) != 0;
    t->deleted = sqlite3_column_int(q, col + 7) != 0;
    t->created_us = sqlite3_column_int64(q, col + 8);
}

static void bind_tag(sqlite3_stmt *q, const struct tag *t)
{
    sqlite3_bind_text(q, 1, t->type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, t->name, -1, SQLITE_TRANSIENT);
    sqlite_bind_text_or_null(q, 3, t->description);
    sqlite3_bind_text(q, 4, t->color, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 5, t->visible);
    sqlite3_bind_int(q, 6, t->active);
    sqlite3_bind_int(q, 7, t->deleted);
}

/* Steps a write; a UNIQUE (type, name) violation is the caller's 400. */
static bool tag_write(struct store *st, sqlite3_stmt *q, struct err *e, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return err_field(e, "name", "unique", "A tag with this type and name already exists.");
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, what);
}

bool sqlite_tag_insert(struct store *st, const struct tag *t, int64_t *id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "INSERT INTO tags (type, name, description, color, visible, active, deleted, "
                                  "created_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                  e);
    if (!q)
        return false;
    bind_tag(q, t);
    sqlite3_bind_int64(q, 8, clock_now_us());
    if (!tag_write(st, q, e, "insert tag"))
        return false;
    *id = sqlite3_last_insert_rowid(st->lite->db);
    return true;
}

static void read_tag(struct arena *a, sqlite3_stmt *q, void *out) { tag_from_row(a, q, 0, out); }

int sqlite_tag_get(struct store *st, struct arena *a, int64_t id, struct tag *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " TAG_COLUMNS " FROM tags t WHERE t.id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return sqlite_get_row(st, q, read_tag, a, out, e);
}

bool sqlite_tag_update(struct store *st, const struct tag *t, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "UPDATE tags SET type = $1, name = $2, description = $3, color = $4, visible = $5, "
                                  "active = $6, deleted = $7 WHERE id = $8",
                                  e);
    if (!q)
        return false;
    bind_tag(q, t);
    sqlite3_bind_int64(q, 8, t->id);
    return tag_write(st, q, e, "update tag");
}

/* The tags table is small (an admin's vocabulary): one statement whose
 * absent filters are NULL or -1. */
#define TAG_WHERE                                                                                    \
    " FROM tags t WHERE ($1 IS NULL OR t.type = $1) AND ($2 IS NULL OR instr(fold(t.name), $2) > 0)" \
    " AND ($3 < 0 OR t.visible = $3) AND ($4 < 0 OR t.active = $4) AND ($5 < 0 OR t.deleted = $5)"

static void bind_tag_filter(sqlite3_stmt *q, const struct tag_filter *f)
{
    sqlite_bind_text_or_null(q, 1, f->type);
    sqlite_bind_text_or_null(q, 2, f->search);
    sqlite3_bind_int(q, 3, f->visible);
    sqlite3_bind_int(q, 4, f->active);
    sqlite3_bind_int(q, 5, f->deleted);
}

static bool tag_list_read(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out,
                          struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*)" TAG_WHERE, e);
    if (!q)
        return false;
    bind_tag_filter(q, f);
    if (!sqlite_get_count(st, q, &out->count, e))
        return false;
    q = sqlite_stmt(st, "SELECT " TAG_COLUMNS TAG_WHERE " ORDER BY t.id LIMIT $6 OFFSET $7", e);
    if (!q)
        return false;
    bind_tag_filter(q, f);
    sqlite3_bind_int(q, 6, f->limit);
    sqlite3_bind_int(q, 7, f->offset);
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(f->limit > 0 ? f->limit : 1));
    out->n = 0;
    int rc = SQLITE_DONE;
    while (out->n < f->limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        tag_from_row(a, q, 0, &out->items[out->n++]);
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? true : sqlite_fail(st, e, "list tags");
}

bool sqlite_tag_list(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out, struct err *e)
{
    bool own;
    /* one read snapshot for the count and the page */
    if (!sqlite_snapshot_begin(st, &own, e))
        return false;
    bool ok = tag_list_read(st, a, f, out, e);
    sqlite_snapshot_end(st, own);
    return ok;
}

bool sqlite_tag_assign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "INSERT OR IGNORE INTO user_tags (user_id, tag_id) VALUES ($1, $2)", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, tag_id);
    return sqlite_exec_stmt(st, q, e, "assign tag");
}

bool sqlite_tag_unassign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "DELETE FROM user_tags WHERE user_id = $1 AND tag_id = $2", e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int64(q, 2, tag_id);
    return sqlite_exec_stmt(st, q, e, "remove tag");
}

/* The ids as a JSON array, for json_each. */
static void id_list(struct buf *b, const int64_t *ids, int n)
{
    buf_append(b, "[", 1);
    for (int i = 0; i < n; i++) {
        char tmp[24], *end = tmp + sizeof tmp, *p = end;
        uint64_t u = ids[i] < 0 ? (uint64_t)0 - (uint64_t)ids[i] : (uint64_t)ids[i];
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (ids[i] < 0)
            *--p = '-';
        if (i)
            buf_append(b, ",", 1);
        buf_append(b, p, (size_t)(end - p));
    }
    buf_append(b, "]", 1);
}

/* ---- the tags of users' pages, from a per-connection cache ----
 *
 * A page of users takes each user's tag ids, and the tags themselves, from
 * caches of what was read before, kept while the database file's data
 * version stays the same: it moves with every commit, by this connection
 * or any other process, so a cached row is never older than the read
 * snapshot. The users not cached have their tag ids read by one index-only
 * walk of user_tags. Only read transactions use the caches (a write
 * transaction's own changes do not move the version before they commit). */

enum {
    TAG_CACHE_MAX = 64,          /* tag rows kept; the tags past it are read each time */
    USER_TAGS_SLOTS = 8192,      /* hash slots of users' tag ids (a power of 2) */
    USER_TAGS_MAX = 4096,        /* users kept: past it the cache starts again */
    USER_TAG_IDS_MAX = 4 * 4096, /* tag ids kept: past it the cache starts again */
};

struct cached_tag {
    struct tag tag; /* strings in text */
    char *text;
};

/* One user's tag ids: user_tag_ids[first .. first + n), live while gen is
 * the connection's user_tags_gen. */
struct cached_user_tags {
    int64_t user_id;
    unsigned gen, first, n;
};

void sqlite_tag_cache_free(struct store *st)
{
    for (int i = 0; i < st->lite->ntags; i++)
        free(st->lite->tags[i].text);
    free(st->lite->tags);
    st->lite->tags = NULL;
    st->lite->ntags = 0;
    free(st->lite->user_tags);
    free(st->lite->user_tag_ids);
    st->lite->user_tags = NULL;
    st->lite->user_tag_ids = NULL;
}

/* Forgets every user's tag ids (O(1): the slots of older generations are
 * dead). */
static void user_tags_clear(struct sqlite_conn *c)
{
    if (++c->user_tags_gen == 0 && c->user_tags) { /* wrapped: old slots could look live */
        memset(c->user_tags, 0, sizeof *c->user_tags * USER_TAGS_SLOTS);
        c->user_tags_gen = 1;
    }
    c->user_tags_used = 0;
    c->user_tag_nids = 0;
}

/* Empties the caches unless they were filled at the open read
 * transaction's data version; false when the version cannot be read (no
 * cache then). */
static bool tag_cache_fresh(struct sqlite_conn *c)
{
    unsigned version = 0;
    if (!sqlite_read_data_version(c->db, &version))
        return false;
    if (version != c->tags_version) {
        for (int i = 0; i < c->ntags; i++)
            free(c->tags[i].text);
        c->ntags = 0;
        user_tags_clear(c);
        c->tags_version = version;
    }
    return true;
}

/* The slot of user_id: its live entry, or the free slot to fill. */
static struct cached_user_tags *user_tags_slot(struct sqlite_conn *c, int64_t user_id)
{
    uint64_t h = (uint64_t)user_id * 0x9E3779B97F4A7C15u;
    for (unsigned i = (unsigned)(h >> 51);; i = (i + 1) & (USER_TAGS_SLOTS - 1)) {
        struct cached_user_tags *s = &c->user_tags[i];
        if (s->gen != c->user_tags_gen || s->user_id == user_id)
            return s;
    }
}

/* The cached tag ids of user_id into *ids, *n: true when cached. */
static bool user_tags_get(struct sqlite_conn *c, int64_t user_id, const int64_t **ids, int *n)
{
    if (!c->user_tags)
        return false;
    const struct cached_user_tags *s = user_tags_slot(c, user_id);
    if (s->gen != c->user_tags_gen)
        return false;
    *ids = c->user_tag_ids + s->first;
    *n = (int)s->n;
    return true;
}

/* Keeps the tag ids of user_id (not cached yet), when there is room; a
 * full cache starts again at the next page (the ids handed out for this
 * one stay as they are). */
static void user_tags_put(struct sqlite_conn *c, int64_t user_id, const int64_t *ids, int n)
{
    if (!c->user_tags) {
        c->user_tags = calloc(USER_TAGS_SLOTS, sizeof *c->user_tags);
        c->user_tag_ids = malloc(sizeof *c->user_tag_ids * USER_TAG_IDS_MAX);
        if (!c->user_tags || !c->user_tag_ids) {
            free(c->user_tags);
            free(c->user_tag_ids);
            c->user_tags = NULL;
            c->user_tag_ids = NULL;
            return;
        }
        c->user_tags_gen = 1; /* the zeroed slots are of generation 0: dead */
    }
    if (c->user_tags_used >= USER_TAGS_MAX || c->user_tag_nids + (unsigned)n > USER_TAG_IDS_MAX) {
        c->user_tags_full = true;
        return;
    }
    struct cached_user_tags *s = user_tags_slot(c, user_id);
    *s = (struct cached_user_tags){
        .user_id = user_id, .gen = c->user_tags_gen, .first = c->user_tag_nids, .n = (unsigned)n};
    if (n > 0)
        memcpy(c->user_tag_ids + c->user_tag_nids, ids, sizeof *ids * (size_t)n);
    c->user_tag_nids += (unsigned)n;
    c->user_tags_used++;
}

static char *copy_into(char **p, const unsigned char *s, int n)
{
    if (!s)
        return NULL;
    char *at = *p;
    memcpy(at, s, (size_t)n);
    at[n] = '\0';
    *p += n + 1;
    return at;
}

/* Adds the row of a tag statement (TAG_COLUMNS at column 0) to the cache,
 * when there is room. */
static void tag_cache_add(struct sqlite_conn *c, sqlite3_stmt *q)
{
    if (c->ntags >= TAG_CACHE_MAX)
        return;
    if (!c->tags && !(c->tags = malloc(sizeof *c->tags * TAG_CACHE_MAX)))
        return;
    size_t total = 0;
    for (int i = 1; i <= 4; i++)
        total += (size_t)sqlite3_column_bytes(q, i) + 1;
    char *text = malloc(total), *p = text;
    if (!text)
        return;
    struct tag *t = &c->tags[c->ntags].tag;
    for (int i = 1; i <= 4; i++) { /* column_text before column_bytes: the length of the text form */
        const unsigned char *s = sqlite3_column_text(q, i);
        const char *copy = copy_into(&p, s, sqlite3_column_bytes(q, i));
        if (i == 1)
            t->type = copy;
        else if (i == 2)
            t->name = copy;
        else if (i == 3)
            t->description = copy;
        else
            t->color = copy;
    }
    t->id = sqlite3_column_int64(q, 0);
    t->visible = sqlite3_column_int(q, 5) != 0;
    t->active = sqlite3_column_int(q, 6) != 0;
    t->deleted = sqlite3_column_int(q, 7) != 0;
    t->created_us = sqlite3_column_int64(q, 8);
    c->tags[c->ntags++].text = text;
}

/* Tag `id` into *out (strings in a): from the cache when `cached`, else
 * (and into the cache) by its primary key. 1 found, 0 absent, -1 error. */
static int tag_by_id(struct store *st, struct arena *a, bool cached, int64_t id, struct tag *out, struct err *e)
{
    struct sqlite_conn *c = st->lite;
    for (int i = 0; cached && i < c->ntags; i++) {
        if (c->tags[i].tag.id == id) {
            const struct tag *t = &c->tags[i].tag;
            *out = *t;
            out->type = arena_strdup(a, t->type);
            out->name = arena_strdup(a, t->name);
            out->description = t->description ? arena_strdup(a, t->description) : NULL;
            out->color = arena_strdup(a, t->color);
            return 1;
        }
    }
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT " TAG_COLUMNS " FROM tags t WHERE t.id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        tag_from_row(a, q, 0, out);
        if (cached)
            tag_cache_add(c, q);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : (sqlite_fail(st, e, "tag"), -1);
}

/* Appends ut to *v (cap doubling in a). */
static void push_user_tag(struct arena *a, struct user_tag **v, size_t *cap, int *n, const struct user_tag *ut)
{
    if ((size_t)*n == *cap) {
        struct user_tag *bigger = arena_alloc(a, 2 * *cap * sizeof *bigger);
        memcpy(bigger, *v, *cap * sizeof **v);
        *v = bigger;
        *cap *= 2;
    }
    (*v)[(*n)++] = *ut;
}

/* The (user, tag id) pairs of the users missing[0..n) from user_tags'
 * primary key (an index-only walk): *pairs in a, 2 * *npairs integers.
 * *cached tells whether the caches may be used (checked once the statement
 * holds the read transaction, if it was not open yet). */
static bool user_tag_pairs(struct store *st, struct arena *a, const int64_t *missing, int n, bool *cached,
                           int64_t **pairs, int *npairs, struct err *e)
{
    struct buf list = BUF_INIT;
    if (n > 1)
        id_list(&list, missing, n);
    sqlite3_stmt *q = sqlite_stmt(st,
                                  n == 1 ? "SELECT ut.user_id, ut.tag_id FROM user_tags ut WHERE ut.user_id = $1"
                                         : "SELECT ut.user_id, ut.tag_id FROM json_each($1) j CROSS JOIN user_tags ut "
                                           "ON ut.user_id = j.value",
                                  e);
    if (!q) {
        buf_free(&list);
        return false;
    }
    if (n == 1)
        sqlite3_bind_int64(q, 1, missing[0]);
    else
        sqlite3_bind_text(q, 1, buf_str(&list), (int)list.len, SQLITE_STATIC);
    size_t cap = 32;
    int64_t *v = arena_alloc(a, sizeof *v * 2 * cap);
    int rc;
    bool first = true;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (first && !*cached) /* the statement holds the read transaction now */
            *cached = tag_cache_fresh(st->lite);
        first = false;
        if ((size_t)*npairs == cap) {
            int64_t *bigger = arena_alloc(a, sizeof *bigger * 4 * cap);
            memcpy(bigger, v, sizeof *v * 2 * cap);
            v = bigger;
            cap *= 2;
        }
        v[2 * *npairs] = sqlite3_column_int64(q, 0);
        v[2 * *npairs + 1] = sqlite3_column_int64(q, 1);
        (*npairs)++;
    }
    sqlite3_reset(q);
    buf_free(&list);
    *pairs = v;
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "tags of users");
}

/* Each user's tag ids from the cache, or read for those not in it (and
 * then kept), each tag from the tag cache; in the users' order, each
 * user's tags in tag id order. */
static bool tag_of_users_cached(struct store *st, struct arena *a, const int64_t *users, int n, struct user_tag **out,
                                int *nout, struct err *e)
{
    struct sqlite_conn *c = st->lite;
    bool cached = tag_cache_fresh(c);
    if (c->user_tags_full) {
        user_tags_clear(c);
        c->user_tags_full = false;
    }
    const int64_t **ids = arena_alloc(a, sizeof *ids * (size_t)n);
    int *nids = arena_alloc(a, sizeof *nids * (size_t)n);
    int64_t *missing = arena_alloc(a, sizeof *missing * (size_t)n);
    int nmissing = 0;
    for (int i = 0; i < n; i++) {
        if (!cached || !user_tags_get(c, users[i], &ids[i], &nids[i])) {
            nids[i] = -1;
            missing[nmissing++] = users[i];
        }
    }
    if (nmissing > 0) {
        int64_t *pairs = NULL;
        int npairs = 0;
        if (!user_tag_pairs(st, a, missing, nmissing, &cached, &pairs, &npairs, e))
            return false;
        for (int i = 0; i < n; i++) {
            if (nids[i] >= 0)
                continue;
            int64_t *mine = arena_alloc(a, sizeof *mine * (size_t)(npairs > 0 ? npairs : 1));
            nids[i] = 0;
            for (int k = 0; k < npairs; k++)
                if (pairs[2 * k] == users[i])
                    mine[nids[i]++] = pairs[2 * k + 1];
            ids[i] = mine;
            if (cached)
                user_tags_put(c, users[i], mine, nids[i]);
        }
    }
    size_t cap = 16;
    struct user_tag *v = arena_alloc(a, cap * sizeof *v);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < nids[i]; k++) {
            struct user_tag ut = {.user_id = users[i]};
            int64_t id = ids[i][k];
            /* a page shares a few tags: a tag read before is not copied again */
            int seen = 0;
            while (seen < *nout && v[seen].tag.id != id)
                seen++;
            if (seen < *nout) {
                ut.tag = v[seen].tag;
            } else {
                int found = tag_by_id(st, a, cached, id, &ut.tag, e);
                if (found < 0)
                    return false;
                if (found == 0)
                    continue;
            }
            if (!ut.tag.deleted)
                push_user_tag(a, &v, &cap, nout, &ut);
        }
    }
    *out = v;
    return true;
}

bool sqlite_tag_of_users(struct store *st, struct arena *a, const int64_t *users, int n, struct user_tag **out,
                         int *nout, struct err *e)
{
    *out = NULL;
    *nout = 0;
    if (n <= 0)
        return true;
    if (sqlite3_txn_state(st->lite->db, "main") != SQLITE_TXN_WRITE)
        return tag_of_users_cached(st, a, users, n, out, nout, e);
    struct buf list = BUF_INIT;
    if (n > 1)
        id_list(&list, users, n);
    /* in a write transaction: one statement for a page, the users in the
     * order given (json_each walks the array in order), each user's tags in
     * tag order (the primary key's); a lone user is one primary-key probe */
    sqlite3_stmt *q = sqlite_stmt(st,
                                  n == 1 ? "SELECT ut.user_id, " TAG_COLUMNS " FROM user_tags ut CROSS JOIN tags t ON "
                                           "t.id = ut.tag_id WHERE ut.user_id = $1 AND t.deleted = 0"
                                         : "SELECT ut.user_id, " TAG_COLUMNS " FROM json_each($1) j CROSS JOIN "
                                           "user_tags ut ON ut.user_id = j.value CROSS JOIN tags t ON t.id = "
                                           "ut.tag_id WHERE t.deleted = 0",
                                  e);
    if (!q) {
        buf_free(&list);
        return false;
    }
    if (n == 1)
        sqlite3_bind_int64(q, 1, users[0]);
    else
        sqlite3_bind_text(q, 1, buf_str(&list), (int)list.len, SQLITE_STATIC);
    size_t cap = 16;
    struct user_tag *v = arena_alloc(a, cap * sizeof *v);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct user_tag ut = {.user_id = sqlite3_column_int64(q, 0)};
        int64_t id = sqlite3_column_int64(q, 1);
        int seen = 0;
        while (seen < *nout && v[seen].tag.id != id)
            seen++;
        if (seen < *nout)
            ut.tag = v[seen].tag;
        else
            tag_from_row(a, q, 1, &ut.tag);
        push_user_tag(a, &v, &cap, nout, &ut);
    }
    sqlite3_reset(q);
    buf_free(&list);
    *out = v;
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "tags of users");
}

/* The tags of ids[0..n) for the pages whose users' rows carry their tag
 * ids: from the tag cache when a read transaction is open or can be held
 * (by a statement on tags left stepping, whose snapshot the cache is
 * checked against), else each by its primary key. */
bool sqlite_tag_by_ids(struct store *st, struct arena *a, const int64_t *ids, int n, struct tag **out, int *nout,
                       struct err *e)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
    *nout = 0;
    if (n <= 0)
        return true;
    struct sqlite_conn *c = st->lite;
    int txn = sqlite3_txn_state(c->db, "main");
    sqlite3_stmt *hold = NULL;
    if (txn == SQLITE_TXN_NONE) {
        /* a statement that has returned a row holds the read transaction
         * until it is reset: the tags read below share its snapshot */
        if (!(hold = sqlite_stmt(st, "SELECT 1 FROM tags", e)))
            return false;
        int rc = sqlite3_step(hold);
        if (rc != SQLITE_ROW) {
            sqlite3_reset(hold);
            if (rc != SQLITE_DONE)
                return sqlite_fail(st, e, "tags");
            return true; /* no tag at all */
        }
        txn = SQLITE_TXN_READ;
    }
    bool cached = txn == SQLITE_TXN_READ && tag_cache_fresh(c);
    bool ok = true;
    for (int i = 0; i < n; i++) {
        int found = tag_by_id(st, a, cached, ids[i], &(*out)[*nout], e);
        if (found < 0) {
            ok = false;
            break;
        }
        *nout += found;
    }
    if (hold)
        sqlite3_reset(hold);
    return ok;
}

bool sqlite_tag_addressable(struct store *st, struct arena *a, int64_t user_id, int max, struct tag **out, int *n,
                            struct err *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q = sqlite_stmt(st,
                                  "SELECT " TAG_COLUMNS " FROM tags t WHERE t.type = 'user' AND t.active = 1 "
                                  "AND t.deleted = 0 AND ($1 = 0 OR (t.visible = 1 AND EXISTS (SELECT 1 FROM "
                                  "user_tags ut WHERE ut.user_id = $1 AND ut.tag_id = t.id))) "
                                  "ORDER BY fold(t.name), t.id LIMIT $2",
                                  e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_int(q, 2, max);
    struct tag *v = arena_alloc(a, sizeof *v * (size_t)(max > 0 ? max : 1));
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
        tag_from_row(a, q, 0, &v[(*n)++]);
    if (rc == SQLITE_ROW) /* stopped at max */
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "addressable tags");
    *out = v;
    return true;
}

int64_t sqlite_tag_ids_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    sqlite3_stmt *q = NULL;
    const char *sql = "SELECT u.id, u.tag_ids, g.ids FROM users u LEFT JOIN (SELECT user_id, group_concat(tag_id, ',') "
                      "AS ids FROM (SELECT user_id, tag_id FROM user_tags ORDER BY user_id, tag_id) GROUP BY user_id) "
                      "g ON g.user_id = u.id WHERE u.tag_ids IS NOT g.ids ORDER BY u.id";
    if (sqlite_prepare(st, sql, false, &q) != SQLITE_OK) {
        sqlite_fail(st, e, "prepare check tag ids");
        return -1;
    }
    int64_t differences = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        differences++;
        if (fn)
            fn(ctx, "user", sqlite3_column_int64(q, 0), "tag_ids",
               tag_ids_count((const char *)sqlite3_column_text(q, 1)),
               tag_ids_count((const char *)sqlite3_column_text(q, 2)));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        sqlite_fail(st, e, "check tag ids");
        return -1;
    }
    return differences;
}
