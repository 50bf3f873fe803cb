/* sqlite_pref.c - dynamic preferences, and the connection's cache of them.
 *
 * Preferences are read on most requests (the community's mode, content
 * availability) and change rarely. Each connection keeps every row, parsed,
 * with the pref_version it read them at; a trigger bumps that version on
 * any change of prefs, from any process. The version is compared once per
 * transaction (a request's read transaction), so a change is seen by the
 * next request, on every server sharing the database. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "store/sqlite_internal.h"

static void pref_from_row(struct arena *a, sqlite3_stmt *q, void *out)
{
    struct pref *p = out;
    p->id = sqlite3_column_int64(q, 0);
    p->section = sqlite_col_text(a, q, 1);
    p->name = sqlite_col_text(a, q, 2);
    const char *v = (const char *)sqlite3_column_text(q, 3);
    p->value = v ? json_loads(v, JSON_DECODE_ANY, NULL) : NULL;
    if (!p->value)
        p->value = json_null();
    arena_defer(a, (void (*)(void *))json_decref, p->value);
}

bool sqlite_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*) FROM prefs", e);
    if (!q)
        return false;
    int64_t total = 0;
    if (!sqlite_get_count(st, q, &total, e))
        return false;
    q = sqlite_stmt(st, "SELECT id, section, name, value FROM prefs ORDER BY id", e);
    if (!q)
        return false;
    *out = arena_alloc(a, sizeof **out * (size_t)(total + 1));
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < total)
        pref_from_row(a, q, &(*out)[(*n)++]);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sqlite_fail(st, e, "list prefs");
    return true;
}

/* ---- the cache ---- */

void sqlite_pref_cache_free(struct store *st)
{
    for (int i = 0; i < st->lite->nprefs; i++) {
        free(st->lite->prefs[i].section);
        free(st->lite->prefs[i].name);
        json_decref(st->lite->prefs[i].value);
    }
    free(st->lite->prefs);
    st->lite->prefs = NULL;
    st->lite->nprefs = 0;
    st->lite->prefs_version = -1;
    st->lite->prefs_checked = false;
}

/* Reads every row into the cache (replacing it), recorded as `version`. */
static bool pref_cache_load(struct store *st, int64_t version, struct err *e)
{
    sqlite_pref_cache_free(st);
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT id, section, name, value FROM prefs ORDER BY id", e);
    if (!q)
        return false;
    int rc, cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (st->lite->nprefs == cap) {
            cap = cap ? 2 * cap : 32;
            struct cached_pref *grown = realloc(st->lite->prefs, sizeof *grown * (size_t)cap);
            if (!grown) {
                sqlite3_reset(q);
                sqlite_pref_cache_free(st);
                return err_internal(e);
            }
            st->lite->prefs = grown;
        }
        struct cached_pref *p = &st->lite->prefs[st->lite->nprefs];
        const char *section = (const char *)sqlite3_column_text(q, 1), *name = (const char *)sqlite3_column_text(q, 2),
                   *v = (const char *)sqlite3_column_text(q, 3);
        p->id = sqlite3_column_int64(q, 0);
        p->section = strdup(section ? section : "");
        p->name = strdup(name ? name : "");
        p->value = v ? json_loads(v, JSON_DECODE_ANY, NULL) : NULL;
        if (!p->value)
            p->value = json_null();
        st->lite->nprefs++;
        if (!p->section || !p->name) {
            sqlite3_reset(q);
            sqlite_pref_cache_free(st);
            return err_internal(e);
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        sqlite_pref_cache_free(st);
        return sqlite_fail(st, e, "load prefs");
    }
    st->lite->prefs_version = version;
    return true;
}

/* Makes the cache agree with the database: the version is read first, so
 * rows read after it are at least as new (a change in between is seen at
 * the next check). */
static bool pref_cache_fresh(struct store *st, struct err *e)
{
    struct sqlite_conn *c = st->lite;
    if (c->prefs_checked && c->prefs_version >= 0 && !sqlite3_get_autocommit(c->db))
        return true;
    /* in a read transaction at the data version of the last check, no
     * commit came in between (by anyone): the version row is as it was */
    unsigned data_version = 0;
    bool have_data_version = sqlite_read_data_version(c->db, &data_version);
    if (have_data_version && c->prefs_version >= 0 && c->prefs_data_version_valid &&
        data_version == c->prefs_data_version) {
        c->prefs_checked = true;
        return true;
    }
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT version FROM pref_version WHERE id = 1", e);
    if (!q)
        return false;
    int64_t version = 0;
    if (sqlite_get_int(st, q, &version, e) < 0)
        return false;
    if (version != st->lite->prefs_version && !pref_cache_load(st, version, e))
        return false;
    /* within one transaction nobody else's change can appear */
    c->prefs_checked = !sqlite3_get_autocommit(c->db);
    /* the statement above opened the read transaction if none was open */
    if (have_data_version)
        c->prefs_data_version = data_version;
    c->prefs_data_version_valid = have_data_version || sqlite_read_data_version(c->db, &c->prefs_data_version);
    return true;
}

/* out from cached row p: strings copied into a, the value referenced. */
static void pref_from_cache(struct arena *a, const struct cached_pref *p, struct pref *out)
{
    out->id = p->id;
    out->section = arena_strdup(a, p->section);
    out->name = arena_strdup(a, p->name);
    out->value = json_incref(p->value);
    arena_defer(a, (void (*)(void *))json_decref, out->value);
}

int sqlite_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out,
                    struct err *e)
{
    if (!pref_cache_fresh(st, e))
        return -1;
    for (int i = 0; i < st->lite->nprefs; i++)
        if (!strcmp(st->lite->prefs[i].section, section) && !strcmp(st->lite->prefs[i].name, name)) {
            pref_from_cache(a, &st->lite->prefs[i], out);
            return 1;
        }
    return 0;
}

int sqlite_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e)
{
    if (!pref_cache_fresh(st, e))
        return -1;
    for (int i = 0; i < st->lite->nprefs; i++)
        if (st->lite->prefs[i].id == id) {
            pref_from_cache(a, &st->lite->prefs[i], out);
            return 1;
        }
    return 0;
}

bool sqlite_pref_set(struct store *st, int64_t id, const json_t *value, struct err *e)
{
    char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!text)
        return err_internal(e);
    sqlite3_stmt *q = sqlite_stmt(st, "UPDATE prefs SET value = $1 WHERE id = $2", e);
    if (!q) {
        free(text);
        return false;
    }
    sqlite3_bind_text(q, 1, text, -1, free);
    sqlite3_bind_int64(q, 2, id);
    st->lite->prefs_checked = false; /* the trigger bumps the version */
    return sqlite_exec_stmt(st, q, e, "set pref");
}
