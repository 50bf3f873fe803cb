/* sqlite_user_rows.c - the users' rows of graph pages, kept per connection.
 *
 * A page of followers is mostly the same few dozen users read again and
 * again: a `users` primary-key seek and some twenty columns each. The rows
 * read for pages (USER_PAGE_COLUMNS: no credentials) are kept here, by id,
 * valid while the database file's data version (SQLITE_FCNTL_DATA_VERSION,
 * read inside the read transaction) stays what it was when they were read.
 * The version moves with every commit, by this connection, another one or
 * another process, so a kept row is never older than the read snapshot;
 * a write transaction (whose own changes do not move it) reads no kept
 * row. The tags of users (sqlite_tag.c) are kept the same way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/sqlite_internal.h"

/* Hash slots (a power of two); emptied when three quarters are used. */
enum { USER_ROWS_SLOTS = 1024 };

struct cached_user_row {
    unsigned gen;  /* live when equal to the connection's user_rows_gen */
    struct user u; /* tag ids and strings pointing into text */
    char *text;    /* the tag ids, then the strings (malloc: aligned for the ids) */
    size_t len;
};

enum { USER_STRINGS = 13 };

/* The addresses of u's string members. */
static void user_strings(struct user *u, const char **m[USER_STRINGS])
{
    const char **members[USER_STRINGS] = {
        &u->username, &u->real_name, &u->email,  &u->bio,   &u->location, &u->date_of_birth, &u->description,
        &u->gender,   &u->website,   &u->avatar, &u->cover, &u->role,     &u->password_hash};
    memcpy(m, members, sizeof members);
}

void sqlite_user_rows_free(struct store *st)
{
    struct sqlite_conn *c = st->lite;
    if (!c->user_rows)
        return;
    for (int i = 0; i < USER_ROWS_SLOTS; i++)
        free(c->user_rows[i].text);
    free(c->user_rows);
    c->user_rows = NULL;
}

static void user_rows_clear(struct sqlite_conn *c)
{
    c->user_rows_used = 0;
    if (++c->user_rows_gen != 0)
        return;
    /* the generation wrapped: a slot left from the last time round would
     * look live again, so every slot is emptied */
    for (int i = 0; i < USER_ROWS_SLOTS; i++)
        free(c->user_rows[i].text);
    memset(c->user_rows, 0, sizeof *c->user_rows * USER_ROWS_SLOTS);
    c->user_rows_gen = 1;
}

bool sqlite_user_rows_fresh(struct sqlite_conn *c)
{
    unsigned version = 0;
    if (!sqlite_read_data_version(c->db, &version))
        return false;
    if (!c->user_rows) {
        c->user_rows = calloc(USER_ROWS_SLOTS, sizeof *c->user_rows);
        if (!c->user_rows)
            return false;
        c->user_rows_gen = 1;
        c->user_rows_version = version;
    }
    if (version != c->user_rows_version) {
        user_rows_clear(c);
        c->user_rows_version = version;
    }
    return true;
}

/* The slot of id: its live entry, or the free slot to fill. */
static struct cached_user_row *slot(struct sqlite_conn *c, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15u;
    for (unsigned i = (unsigned)(h >> 54);; i = (i + 1) & (USER_ROWS_SLOTS - 1)) {
        struct cached_user_row *s = &c->user_rows[i];
        if (s->gen != c->user_rows_gen || s->u.id == id)
            return s;
    }
}

bool sqlite_user_rows_get(struct sqlite_conn *c, struct arena *a, int64_t id, struct user *out)
{
    const struct cached_user_row *s = slot(c, id);
    if (s->gen != c->user_rows_gen)
        return false;
    *out = s->u;
    if (s->len) { /* the tag ids and strings, in one block (arena memory is aligned for the ids) */
        char *p = arena_alloc(a, s->len);
        memcpy(p, s->text, s->len);
        if (out->ntag_ids)
            out->tag_ids = (const int64_t *)(void *)p;
        const char **m[USER_STRINGS];
        user_strings(out, m);
        for (int i = 0; i < USER_STRINGS; i++)
            if (*m[i])
                *m[i] = p + (*m[i] - s->text);
    }
    return true;
}

void sqlite_user_rows_put(struct sqlite_conn *c, const struct user *u)
{
    if (c->user_rows_used >= USER_ROWS_SLOTS / 4 * 3)
        user_rows_clear(c);
    struct cached_user_row *s = slot(c, u->id);
    if (s->gen == c->user_rows_gen)
        return; /* kept already */
    struct user copy = *u;
    const char **m[USER_STRINGS];
    user_strings(&copy, m);
    size_t ids = sizeof *u->tag_ids * (size_t)u->ntag_ids, len = ids;
    for (int i = 0; i < USER_STRINGS; i++)
        len += *m[i] ? strlen(*m[i]) + 1 : 0;
    char *text = len ? malloc(len) : NULL;
    if (len && !text)
        return;
    if (ids) {
        memcpy(text, u->tag_ids, ids);
        copy.tag_ids = (const int64_t *)(void *)text;
    }
    char *w = text + ids;
    for (int i = 0; i < USER_STRINGS; i++) {
        if (!*m[i])
            continue;
        size_t n = strlen(*m[i]) + 1;
        memcpy(w, *m[i], n);
        *m[i] = w;
        w += n;
    }
    free(s->text);
    s->u = copy;
    s->text = text;
    s->len = len;
    s->gen = c->user_rows_gen;
    c->user_rows_used++;
}
