/* sqlite_pref.c - dynamic preferences. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "store/sqlite_internal.h"

static bool pref_from_row(struct arena *a, sqlite3_stmt *q, struct pref *p)
{
    p->id = sqlite3_column_int64(q, 0);
    p->section = sqlite_col_text(a, q, 1);
    p->name = sqlite_col_text(a, q, 2);
    const char *v = (const char *)sqlite3_column_text(q, 3);
    p->value = v ? json_loads(v, JSON_DECODE_ANY, NULL) : NULL;
    if (!p->value)
        p->value = json_null();
    arena_defer(a, (void (*)(void *))json_decref, p->value);
    return true;
}

bool store_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*) FROM prefs", e);
    if (!q)
        return false;
    int total = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_reset(q);
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

static int pref_step_one(struct store *st, struct arena *a, sqlite3_stmt *q, struct pref *out, struct err *e)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        pref_from_row(a, q, out);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite_fail(st, e, "pref lookup");
    return -1;
}

int store_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out,
                   struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT id, section, name, value FROM prefs WHERE section = $1 AND name = $2", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, section, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, name, -1, SQLITE_TRANSIENT);
    return pref_step_one(st, a, q, out, e);
}

int store_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT id, section, name, value FROM prefs WHERE id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return pref_step_one(st, a, q, out, e);
}

bool store_pref_set(struct store *st, int64_t id, const json_t *value, struct err *e)
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
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "set pref");
}
