/* sqlite_pref.c - dynamic preferences. */
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

bool store_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e)
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

int store_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out,
                   struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT id, section, name, value FROM prefs WHERE section = $1 AND name = $2", e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, section, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, name, -1, SQLITE_TRANSIENT);
    return sqlite_get_row(st, q, pref_from_row, a, out, e);
}

int store_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT id, section, name, value FROM prefs WHERE id = $1", e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return sqlite_get_row(st, q, pref_from_row, a, out, e);
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
    return sqlite_exec_stmt(st, q, e, "set pref");
}
