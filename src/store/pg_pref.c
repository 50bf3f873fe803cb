/* pg_pref.c - dynamic preferences on PostgreSQL, and the connection's
 * cache of them (as sqlite_pref.c).
 *
 * Each connection keeps every row, parsed, with the pref_version it read
 * them at; the triggers of 001_schema bump that version on any change of
 * prefs, from any server. The version is compared once per transaction (a
 * request's read transaction) and once per call outside one, so a change
 * is seen by the next request on every server sharing the database. */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

static json_t *parse_value(const char *v)
{
    json_t *j = v ? json_loads(v, JSON_DECODE_ANY, NULL) : NULL;
    return j ? j : json_null();
}

bool pg_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e)
{
    PGresult *r = pg_run(st, e, "SELECT id, section, name, value FROM prefs ORDER BY id", "");
    if (!r)
        return false;
    int rows = PQntuples(r);
    *out = arena_alloc(a, sizeof **out * (size_t)(rows + 1));
    *n = 0;
    for (int row = 0; row < rows; row++) {
        struct pref *p = &(*out)[(*n)++];
        p->id = pg_col_int(r, row, 0);
        p->section = pg_col_text(a, r, row, 1);
        p->name = pg_col_text(a, r, row, 2);
        p->value = parse_value(pg_col_null(r, row, 3) ? NULL : PQgetvalue(r, row, 3));
        arena_defer(a, (void (*)(void *))json_decref, p->value);
    }
    PQclear(r);
    return true;
}

/* ---- the cache ---- */

void pg_pref_cache_free(struct store *st)
{
    struct pg_conn *c = st->pg;
    if (!c)
        return;
    for (int i = 0; i < c->nprefs; i++) {
        free(c->prefs[i].section);
        free(c->prefs[i].name);
        json_decref(c->prefs[i].value);
    }
    free(c->prefs);
    c->prefs = NULL;
    c->nprefs = 0;
    c->prefs_version = -1;
    c->prefs_checked = false;
}

/* Reads every row into the cache (replacing it), recorded as `version`
 * (-1: valid for this check only). */
static bool pref_cache_load(struct store *st, int64_t version, struct err *e)
{
    pg_pref_cache_free(st);
    struct pg_conn *c = st->pg;
    PGresult *r = pg_run(st, e, "SELECT id, section, name, value FROM prefs ORDER BY id", "");
    if (!r)
        return false;
    int rows = PQntuples(r);
    if (rows > 0 && !(c->prefs = calloc((size_t)rows, sizeof *c->prefs))) {
        PQclear(r);
        return err_internal(e);
    }
    for (int row = 0; row < rows; row++) {
        struct pg_cached_pref *p = &c->prefs[c->nprefs++];
        p->id = pg_col_int(r, row, 0);
        p->section = strdup(PQgetvalue(r, row, 1));
        p->name = strdup(PQgetvalue(r, row, 2));
        p->value = parse_value(pg_col_null(r, row, 3) ? NULL : PQgetvalue(r, row, 3));
        if (!p->section || !p->name) {
            PQclear(r);
            pg_pref_cache_free(st);
            return err_internal(e);
        }
    }
    PQclear(r);
    c->prefs_version = version;
    return true;
}

static void read_version(struct arena *a, const PGresult *r, int row, void *out)
{
    (void)a;
    int64_t *v = out;
    v[0] = pg_col_int(r, row, 0);
    v[1] = pg_col_int(r, row, 1);
}

/* Makes the cache agree with the database: the version is read first, so
 * rows read after it are at least as new (a change in between is seen at
 * the next check). */
static bool pref_cache_fresh(struct store *st, struct err *e)
{
    struct pg_conn *c = st->pg;
    bool in_tx = c->tx != PG_TX_NONE;
    if (c->prefs_checked && c->prefs_version >= 0 && in_tx)
        return true;
    /* [version, whether this very transaction wrote it]: rows changed by
     * a transaction still open may yet be rolled back, so they are used
     * for this check only and never recorded under the version */
    int64_t v[2] = {0, 0};
    int found = pg_row(st, NULL, read_version, v, e,
                       "SELECT version, CASE WHEN xmin::text = (pg_current_xact_id_if_assigned()::text::bigint "
                       "% 4294967296)::text THEN 1 ELSE 0 END FROM pref_version WHERE id = 1",
                       "");
    if (found < 0)
        return false;
    int64_t version = v[1] ? -1 : v[0];
    if ((version < 0 || version != c->prefs_version) && !pref_cache_load(st, version, e))
        return false;
    c->prefs_checked = in_tx && version >= 0;
    return true;
}

bool pg_pref_begin(struct store *st, const char *begin, int tx, struct err *e)
{
    /* the SELECT runs in the transaction the BEGIN opens (and takes its
     * snapshot); nothing has written in it yet */
    struct pg_conn *c = st->pg;
    c->prefs_checked = false;
    PGresult *r = pg_begin_run(st, begin, "SELECT version FROM pref_version WHERE id = 1", e);
    if (!r)
        return false;
    c->tx = tx;
    int64_t version = PQntuples(r) > 0 ? pg_col_int(r, 0, 0) : -1;
    PQclear(r);
    if ((version < 0 || version != c->prefs_version) && !pref_cache_load(st, version, e))
        return false;
    c->prefs_checked = version >= 0;
    return true;
}

/* out from cached row p: strings copied into a, the value referenced. */
static void pref_from_cache(struct arena *a, const struct pg_cached_pref *p, struct pref *out)
{
    out->id = p->id;
    out->section = arena_strdup(a, p->section);
    out->name = arena_strdup(a, p->name);
    out->value = json_incref(p->value);
    arena_defer(a, (void (*)(void *))json_decref, out->value);
}

int pg_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out,
                struct err *e)
{
    if (!pref_cache_fresh(st, e))
        return -1;
    for (int i = 0; i < st->pg->nprefs; i++)
        if (!strcmp(st->pg->prefs[i].section, section) && !strcmp(st->pg->prefs[i].name, name)) {
            pref_from_cache(a, &st->pg->prefs[i], out);
            return 1;
        }
    return 0;
}

int pg_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e)
{
    if (!pref_cache_fresh(st, e))
        return -1;
    for (int i = 0; i < st->pg->nprefs; i++)
        if (st->pg->prefs[i].id == id) {
            pref_from_cache(a, &st->pg->prefs[i], out);
            return 1;
        }
    return 0;
}

bool pg_pref_set(struct store *st, int64_t id, const json_t *value, struct err *e)
{
    char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!text)
        return err_internal(e);
    st->pg->prefs_checked = false; /* the trigger bumps the version */
    bool ok = pg_exec(st, e, "UPDATE prefs SET value = $1 WHERE id = $2", "si", text, id);
    free(text);
    return ok;
}
