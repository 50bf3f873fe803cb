/* sqlite_sql.c - running SQL on the SQLite backend: the statement caches,
 * `$N` placeholders, binding a composed query's values (sql.h), one-row
 * and one-integer reads, and read snapshots. Every sqlite_*.c file runs
 * its SQL through these and sqlite.c's (sqlite_internal.h).
 *
 * A statement is a string literal prepared once per connection and cached
 * by its address (sqlite_stmt), or a composed text cached by its contents
 * (sqlite_stmt_text, sqlite_query_stmt), or, for the few large composed
 * queries of search, prepared fresh and finalized (sqlite_query_prepare).
 */
#include <assert.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/sqlite_internal.h"
#include "store/store.h"

/* ================================================================ */
/* statement caches                                                */

int sqlite_prepare(struct store *st, const char *sql, bool persistent, sqlite3_stmt **out)
{
    /* SQLite reads `$N` as a *named* parameter numbered by first appearance;
     * `?N` is numbered by N, which is what `$N` means in PostgreSQL and in
     * store.h. Rewrite outside quoted text. */
    size_t len = strlen(sql);
    char *text = malloc(len + 1);
    if (!text)
        return SQLITE_NOMEM;
    char quote = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '$' && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            c = '?';
        }
        text[i] = c;
    }
    int rc =
        sqlite3_prepare_v3(st->lite->db, text, (int)len + 1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, out, NULL);
    free(text);
    return rc;
}

/* The cached, reset statement for `sql`, or NULL (e filled). */
sqlite3_stmt *sqlite_stmt(struct store *st, const char *sql, struct err *e)
{
    size_t h = ((uintptr_t)sql >> 3) % STORE_STMT_CACHE;
    for (size_t i = 0; i < STORE_STMT_CACHE; i++) {
        struct cached_stmt *c = &st->lite->cache[(h + i) % STORE_STMT_CACHE];
        if (c->sql == sql) {
            sqlite3_reset(c->stmt);
            sqlite3_clear_bindings(c->stmt);
            return c->stmt;
        }
        if (!c->sql) {
            if (sqlite_prepare(st, sql, true, &c->stmt) != SQLITE_OK) {
                sqlite_fail(st, e, "prepare");
                return NULL;
            }
            c->sql = sql;
            return c->stmt;
        }
    }
    log_error("sqlite: statement cache full");
    err_internal(e);
    return NULL;
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ? h : 1;
}

sqlite3_stmt *sqlite_stmt_text(struct store *st, const char *sql, struct err *e)
{
    uint64_t h = text_hash(sql);
    for (size_t i = 0; i < STORE_TEXT_STMT_CACHE; i++) {
        struct text_stmt *t = &st->lite->text_cache[i];
        if (t->hash == h && !strcmp(t->sql, sql)) {
            sqlite3_reset(t->stmt);
            sqlite3_clear_bindings(t->stmt);
            return t->stmt;
        }
    }
    sqlite3_stmt *q = NULL;
    char *copy = strdup(sql);
    if (!copy || sqlite_prepare(st, sql, true, &q) != SQLITE_OK) {
        free(copy);
        sqlite_fail(st, e, "prepare");
        return NULL;
    }
    struct text_stmt *t = &st->lite->text_cache[st->lite->text_next++ % STORE_TEXT_STMT_CACHE];
    if (t->stmt)
        sqlite3_finalize(t->stmt);
    free(t->sql);
    *t = (struct text_stmt){h, copy, q};
    return q;
}

/* ================================================================ */
/* composed queries (sql.h)                                         */

void sqlite_query_bind(sqlite3_stmt *q, const struct sql_query *b)
{
    assert(b->n >= 0 && b->n <= SQL_MAX_BINDS);
    /* the statements are prepared by sqlite_prepare: "$N" is "?N", bound
     * by position; a value the final text does not use is out of range,
     * which SQLite reports and nothing needs */
    for (int i = 0; i < b->n; i++) {
        const struct sql_value *v = &b->v[i];
        if (v->type == SQL_TEXT)
            sqlite_bind_text_or_static(q, i + 1, v->text);
        else if (v->type == SQL_INT)
            sqlite3_bind_int64(q, i + 1, v->i);
        else
            sqlite3_bind_double(q, i + 1, v->d);
    }
}

sqlite3_stmt *sqlite_query_stmt(struct store *st, const char *sql, const struct sql_query *b, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt_text(st, sql, e);
    if (q)
        sqlite_query_bind(q, b);
    return q;
}

sqlite3_stmt *sqlite_query_prepare(struct store *st, struct sql_query *b, struct err *e)
{
    sqlite3_stmt *q = NULL;
    if (sqlite_prepare(st, buf_str(&b->sql), false, &q) != SQLITE_OK) {
        log_error("sqlite: cannot prepare: %s", buf_str(&b->sql));
        sqlite_fail(st, e, "prepare query");
        sqlite3_finalize(q);
        buf_free(&b->sql);
        return NULL;
    }
    sqlite_query_bind(q, b);
    buf_free(&b->sql);
    return q;
}

/* ================================================================ */
/* running statements                                               */

void sqlite_bind_text_or_static(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

int sqlite_get_row(struct store *st, sqlite3_stmt *q, sqlite_row_reader *read, struct arena *a, void *out,
                   struct err *e)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && read)
        read(a, q, out);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite_fail(st, e, "get row");
    return -1;
}

static void read_int(struct arena *a, sqlite3_stmt *q, void *out)
{
    (void)a;
    *(int64_t *)out = sqlite3_column_int64(q, 0);
}

int sqlite_get_int(struct store *st, sqlite3_stmt *q, int64_t *out, struct err *e)
{
    return sqlite_get_row(st, q, read_int, NULL, out, e);
}

bool sqlite_get_count(struct store *st, sqlite3_stmt *q, int64_t *out, struct err *e)
{
    int got = sqlite_get_int(st, q, out, e);
    if (got == 0)
        sqlite_fail(st, e, "count without a row");
    return got == 1;
}

bool sqlite_get_texts(struct store *st, struct arena *a, sqlite3_stmt *q, const char ***out, size_t *n, struct err *e)
{
    size_t cap = 16, count = 0;
    const char **list = arena_alloc(a, cap * sizeof *list);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (count == cap) {
            const char **bigger = arena_alloc(a, 2 * cap * sizeof *bigger);
            memcpy(bigger, list, cap * sizeof *list);
            list = bigger;
            cap *= 2;
        }
        list[count++] = sqlite_col_text(a, q, 0);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sqlite_fail(st, e, "read rows");
    *out = list;
    *n = count;
    return true;
}

bool sqlite_query_count(struct store *st, struct sql_query *b, int64_t *out, struct err *e)
{
    sqlite3_stmt *q = sqlite_query_prepare(st, b, e);
    if (!q)
        return false;
    bool ok = sqlite_get_count(st, q, out, e);
    sqlite3_finalize(q);
    return ok;
}

bool sqlite_query_count_where(struct store *st, const struct sql_query *w, int64_t *out, struct err *e)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT count(*)%s", buf_str(&w->sql));
    sqlite3_stmt *q = sqlite_query_stmt(st, buf_str(&sql), w, e);
    buf_free(&sql);
    return q && sqlite_get_count(st, q, out, e);
}

int sqlite_taken(struct store *st, const char *sql, const char *value, int64_t except_id, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, value, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, except_id);
    return sqlite_exists(st, q, e);
}

int sqlite_exists_ids(struct store *st, const char *sql, int64_t id1, int64_t id2, struct err *e)
{
    sqlite3_stmt *q = sqlite_stmt(st, sql, e);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id1);
    sqlite3_bind_int64(q, 2, id2);
    return sqlite_exists(st, q, e);
}

/* ================================================================ */
/* read snapshots                                                   */

bool sqlite_snapshot_begin(struct store *st, bool *own, struct err *e)
{
    /* inside the caller's transaction the reads already share one state */
    *own = sqlite3_get_autocommit(st->lite->db) != 0;
    if (*own)
        st->lite->prefs_checked = false;
    if (*own && sqlite3_exec(st->lite->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        *own = false;
        return sqlite_fail(st, e, "begin read");
    }
    return true;
}

void sqlite_snapshot_end(struct store *st, bool own)
{
    if (own)
        st->lite->prefs_checked = false;
    if (own && sqlite3_exec(st->lite->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        store_rollback(st);
}

bool sqlite_read_data_version(sqlite3 *db, unsigned *out)
{
    return sqlite3_txn_state(db, "main") == SQLITE_TXN_READ &&
           sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, out) == SQLITE_OK;
}

bool sqlite_page_begin(struct store *st, const struct sql_query *w, int64_t *count, bool *own, struct err *e)
{
    if (!sqlite_snapshot_begin(st, own, e))
        return false;
    if (sqlite_query_count_where(st, w, count, e))
        return true;
    sqlite_snapshot_end(st, *own);
    *own = false;
    return false;
}
