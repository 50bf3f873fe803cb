/* pg_sql.c - how the PostgreSQL backend runs SQL (pg_internal.h): named
 * prepared statements cached per connection (literals by address,
 * composed text by its text), parameters typed by a letter each, and the
 * one-row, one-integer, exists, count and snapshot helpers. */
#include "store/pg_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fault.h"
#include "core/log.h"

/* PostgreSQL's type oids for the parameter letters. */
enum { OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701, OID_INT8_ARRAY = 1016 };

/* Parameters converted to text for one execution. Integers and reals are
 * written into `small`; arrays into heap buffers freed by params_free. */
struct params {
    int n;
    Oid types[PG_MAX_PARAMS];
    const char *values[PG_MAX_PARAMS];
    char small[PG_MAX_PARAMS][32];
    char *heap[PG_MAX_PARAMS];
};

static void params_free(struct params *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->heap[i]);
}

/* "{1,2,3}": an int8[] literal, heap-allocated (buf aborts when memory
 * runs out). */
static char *array_text(const int64_t *ids, size_t n)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{");
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%" PRId64, i ? "," : "", ids[i]);
    buf_puts(&b, "}");
    return buf_detach(&b, NULL);
}

/* Reads the values of `types` from ap into p. False on a bad letter or
 * when memory runs out. */
static bool params_read(struct params *p, const char *types, va_list ap)
{
    memset(p, 0, offsetof(struct params, small));
    for (const char *t = types; *t; t++) {
        if (p->n >= PG_MAX_PARAMS)
            return false;
        int i = p->n++;
        p->heap[i] = NULL;
        switch (*t) {
        case 'i':
            p->types[i] = OID_INT8;
            snprintf(p->small[i], sizeof p->small[i], "%" PRId64, va_arg(ap, int64_t));
            p->values[i] = p->small[i];
            break;
        case 's':
            p->types[i] = OID_TEXT;
            p->values[i] = va_arg(ap, const char *);
            break;
        case 'd':
            p->types[i] = OID_FLOAT8;
            snprintf(p->small[i], sizeof p->small[i], "%.17g", va_arg(ap, double));
            p->values[i] = p->small[i];
            break;
        case 'a': {
            p->types[i] = OID_INT8_ARRAY;
            const int64_t *ids = va_arg(ap, const int64_t *);
            size_t n = va_arg(ap, size_t);
            if (!(p->heap[i] = array_text(ids, n)))
                return false;
            p->values[i] = p->heap[i];
            break;
        }
        default: log_error("postgresql: bad parameter letter '%c'", *t); return false;
        }
    }
    return true;
}

/* The parameters of a composed query (sql.h). */
static void params_of_query(struct params *p, const struct sql_query *b)
{
    memset(p, 0, offsetof(struct params, small));
    p->n = b->n;
    for (int i = 0; i < b->n; i++) {
        p->heap[i] = NULL;
        const struct sql_value *v = &b->v[i];
        switch (v->type) {
        case SQL_INT:
            p->types[i] = OID_INT8;
            snprintf(p->small[i], sizeof p->small[i], "%" PRId64, v->i);
            p->values[i] = p->small[i];
            break;
        case SQL_REAL:
            p->types[i] = OID_FLOAT8;
            snprintf(p->small[i], sizeof p->small[i], "%.17g", v->d);
            p->values[i] = p->small[i];
            break;
        case SQL_TEXT:
            p->types[i] = OID_TEXT;
            p->values[i] = v->text;
            break;
        }
    }
}

/* ---- prepared statements ---- */

/* Prepares sql as "s<name>" with p's types. */
static bool prepare(struct store *st, unsigned name, const char *sql, const struct params *p, struct err *e)
{
    char id[16];
    snprintf(id, sizeof id, "s%u", name);
    PGresult *r = PQprepare(st->pg->conn, id, sql, p->n, p->types);
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        log_error("postgresql: prepare: %s", sql);
        pg_fail(st, r, e, "prepare");
    }
    PQclear(r);
    return ok;
}

/* Runs the prepared "s<name>" with p; the result or NULL with e filled. */
static PGresult *run_prepared(struct store *st, unsigned name, const struct params *p, struct err *e)
{
    char id[16];
    snprintf(id, sizeof id, "s%u", name);
    PGresult *r = PQexecPrepared(st->pg->conn, id, p->n, p->values, NULL, NULL, 0);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
        return r;
    pg_fail(st, r, e, "statement");
    PQclear(r);
    return NULL;
}

/* The cached statement name of the literal sql, preparing it on first use. */
static bool literal_name(struct store *st, const char *sql, const struct params *p, unsigned *name, struct err *e)
{
    struct pg_conn *c = st->pg;
    uintptr_t h = (uintptr_t)sql;
    size_t slot = (size_t)((h >> 3) ^ (h >> 11)) % PG_STMT_CACHE;
    for (size_t k = 0; k < PG_STMT_CACHE; k++) {
        struct pg_stmt *s = &c->cache[(slot + k) % PG_STMT_CACHE];
        if (s->sql == sql) {
            *name = s->name;
            return true;
        }
        if (!s->sql) {
            unsigned n = ++c->next_name;
            if (!prepare(st, n, sql, p, e))
                return false;
            *s = (struct pg_stmt){sql, n};
            *name = n;
            return true;
        }
    }
    /* more distinct literals than the cache holds: a bug to fix by raising
     * PG_STMT_CACHE; run it unnamed meanwhile */
    *name = 0;
    return true;
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ? h : 1;
}

/* The cached statement name of composed text, preparing it on first use. */
static bool text_name(struct store *st, const char *sql, const struct params *p, unsigned *name, struct err *e)
{
    struct pg_conn *c = st->pg;
    uint64_t h = text_hash(sql);
    for (size_t i = 0; i < PG_TEXT_STMT_CACHE; i++) {
        struct pg_text_stmt *t = &c->text_cache[i];
        if (t->hash == h && !strcmp(t->sql, sql)) {
            *name = t->name;
            return true;
        }
    }
    struct pg_text_stmt *t = &c->text_cache[c->text_next++ % PG_TEXT_STMT_CACHE];
    if (t->hash) { /* evict: free the server's copy too (fails harmlessly in an aborted transaction) */
        char cmd[32];
        snprintf(cmd, sizeof cmd, "DEALLOCATE s%u", t->name);
        PQclear(PQexec(c->conn, cmd));
        free(t->sql);
        *t = (struct pg_text_stmt){0};
    }
    char *copy = strdup(sql);
    if (!copy) {
        err_internal(e);
        return false;
    }
    unsigned n = ++c->next_name;
    if (!prepare(st, n, sql, p, e)) {
        free(copy);
        return false;
    }
    *t = (struct pg_text_stmt){h, copy, n};
    *name = n;
    return true;
}

/* Whether sql changes data: it starts with a writing verb, or is a WITH
 * whose parts write. (The store's statements are upper-case literals.) */
static bool statement_writes(const char *sql)
{
    sql += strspn(sql, " \t\n");
    static const char *const verbs[] = {"INSERT", "UPDATE", "DELETE", "COPY", "TRUNCATE", "MERGE"};
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (!strncmp(sql, verbs[i], strlen(verbs[i])))
            return true;
    return !strncmp(sql, "WITH", 4) && (strstr(sql, "INSERT ") || strstr(sql, "UPDATE ") || strstr(sql, "DELETE "));
}

/* The test switch (core/fault.h): while it is on, a statement that writes
 * fails as a full disk (SQLSTATE 53100) or a failing device (58030) would
 * make it fail, through the same error pg_fail gives for those. */
static bool fault_refuses(const char *sql, struct err *e)
{
    enum fault_kind k = fault_injected();
    if (k == FAULT_NONE || !statement_writes(sql))
        return false;
    fault_log("statement", k == FAULT_FULL ? "could not extend file: No space left on device (test switch)"
                                           : "could not write block: Input/output error (test switch)");
    if (k == FAULT_FULL)
        err_storage_full(e);
    else
        err_unavailable(e);
    return true;
}

static PGresult *run_once(struct store *st, const char *sql, int kind, const struct params *p, struct err *e);

enum { RUN_TEXT, RUN_LITERAL, RUN_UNNAMED };

/* Runs sql with p. A connection found lost outside a transaction (the
 * server restarted since the last request) is made again and the
 * statement run once more: nothing of the request was on the old one. */
static PGresult *run(struct store *st, const char *sql, int kind, const struct params *p, struct err *e)
{
    bool idle = st->pg->tx == PG_TX_NONE;
    PGresult *r = run_once(st, sql, kind, p, e);
    if (r || !idle || PQstatus(st->pg->conn) == CONNECTION_OK)
        return r;
    *e = (struct err){0};
    return run_once(st, sql, kind, p, e);
}

/* Runs sql with p: through the named statement, or unnamed (name 0). */
static PGresult *run_once(struct store *st, const char *sql, int kind, const struct params *p, struct err *e)
{
    if (!pg_connection_ok(st, e) || fault_refuses(sql, e))
        return NULL;
    unsigned name = 0;
    if (kind != RUN_UNNAMED &&
        !(kind == RUN_LITERAL ? literal_name(st, sql, p, &name, e) : text_name(st, sql, p, &name, e)))
        return NULL;
    if (name)
        return run_prepared(st, name, p, e);
    PGresult *r = PQexecParams(st->pg->conn, sql, p->n, p->types, p->values, NULL, NULL, 0);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
        return r;
    pg_fail(st, r, e, "statement");
    PQclear(r);
    return NULL;
}

/* ---- a transaction's first statement ---- */

/* Sends `begin` and the prepared "s<name>" (no parameters) as one pipeline
 * and reads every answer: the statement's rows, or the first error (an
 * error leaves the rest of the pipeline aborted). NULL when the
 * connection failed before any answer. */
static PGresult *pipeline_begin(struct pg_conn *p, const char *begin, unsigned name)
{
    PGconn *c = p->conn;
    char id[16];
    snprintf(id, sizeof id, "s%u", name);
    if (!PQenterPipelineMode(c))
        return NULL;
    PGresult *keep = NULL;
    if (PQsendQueryParams(c, begin, 0, NULL, NULL, NULL, NULL, 0) &&
        PQsendQueryPrepared(c, id, 0, NULL, NULL, NULL, 0) && PQpipelineSync(c)) {
        /* BEGIN's answer, NULL, the statement's, NULL, then the sync; a
         * lost connection ends it early with an error and NULLs */
        int query = 0, nulls = 0;
        for (;;) {
            PGresult *r = PQgetResult(c);
            if (!r) {
                if (++nulls > 1 || PQstatus(c) != CONNECTION_OK)
                    break;
                query++;
                continue;
            }
            nulls = 0;
            ExecStatusType s = PQresultStatus(r);
            if (s == PGRES_PIPELINE_SYNC) {
                PQclear(r);
                break;
            }
            bool failed = s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK;
            if ((failed && s != PGRES_PIPELINE_ABORTED && (!keep || PQresultStatus(keep) == PGRES_TUPLES_OK)) ||
                (!keep && query == 1 && !failed)) {
                PQclear(keep);
                keep = r;
            } else {
                PQclear(r);
            }
        }
    }
    if (!PQexitPipelineMode(c)) {
        /* answers left unread: the connection is of no further use, and
         * pg_connection_ok makes a new one */
        PQfinish(c);
        p->conn = NULL;
        PQclear(keep);
        return NULL;
    }
    return keep;
}

PGresult *pg_begin_run(struct store *st, const char *begin, const char *sql, struct err *e)
{
    struct params p = {0};
    /* outside a transaction a lost connection is made again, once, as
     * pg_exec_simple does */
    for (int attempt = 0;; attempt++) {
        if (!pg_connection_ok(st, e))
            return NULL;
        unsigned name;
        if (!literal_name(st, sql, &p, &name, e))
            return NULL;
        if (!name) /* no room in the cache: two round trips */
            return pg_exec_simple(st, e, begin) ? pg_run(st, e, sql, "") : NULL;
        PGresult *r = pipeline_begin(st->pg, begin, name);
        if (r && PQresultStatus(r) == PGRES_TUPLES_OK)
            return r;
        if (attempt == 0 && PQstatus(st->pg->conn) != CONNECTION_OK) {
            PQclear(r);
            continue;
        }
        pg_fail(st, r, e, begin);
        PQclear(r);
        return NULL;
    }
}

/* ---- running statements ---- */

PGresult *pg_runv(struct store *st, struct err *e, const char *sql, const char *types, va_list ap)
{
    struct params p;
    if (!params_read(&p, types, ap)) {
        params_free(&p);
        err_internal(e);
        return NULL;
    }
    PGresult *r = run(st, sql, RUN_LITERAL, &p, e);
    params_free(&p);
    return r;
}

PGresult *pg_run(struct store *st, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    return r;
}

/* A write outside store_begin in a request's read transaction runs as its
 * own transaction, as it would without the read transaction. */
static void end_read_tx(struct store *st)
{
    if (st->pg->tx == PG_TX_READ)
        pg_read_end(st);
}

bool pg_exec(struct store *st, struct err *e, const char *sql, const char *types, ...)
{
    end_read_tx(st);
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    PQclear(r);
    return r != NULL;
}

int64_t pg_changes(struct store *st, struct err *e, const char *sql, const char *types, ...)
{
    end_read_tx(st);
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    if (!r)
        return -1;
    int64_t n = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return n;
}

int pg_exec_unique(struct store *st, struct err *e, const char *sql, const char *types, ...)
{
    end_read_tx(st);
    struct params p;
    va_list ap;
    va_start(ap, types);
    bool read = params_read(&p, types, ap);
    va_end(ap);
    if (!read) {
        params_free(&p);
        err_internal(e);
        return -1;
    }
    /* run it here rather than through run(): a unique violation is an
     * answer, not an error to log */
    int result = -1;
    unsigned name;
    if (pg_connection_ok(st, e) && !fault_refuses(sql, e) && literal_name(st, sql, &p, &name, e)) {
        char id[16];
        snprintf(id, sizeof id, "s%u", name);
        PGresult *r = name ? PQexecPrepared(st->pg->conn, id, p.n, p.values, NULL, NULL, 0)
                           : PQexecParams(st->pg->conn, sql, p.n, p.types, p.values, NULL, NULL, 0);
        ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
        if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
            result = 1;
        else if (state && !strcmp(state, "23505"))
            result = 0;
        else
            pg_fail(st, r, e, "statement");
        PQclear(r);
    }
    params_free(&p);
    return result;
}

int pg_row(struct store *st, struct arena *a, pg_row_reader *read, void *out, struct err *e, const char *sql,
           const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    if (!r)
        return -1;
    int found = PQntuples(r) > 0;
    if (found && read)
        read(a, r, 0, out);
    PQclear(r);
    return found;
}

int pg_int(struct store *st, int64_t *out, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    if (!r)
        return -1;
    int found = PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0);
    if (found)
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return found;
}

int pg_exists(struct store *st, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    if (!r)
        return -1;
    int found = PQntuples(r) > 0;
    PQclear(r);
    return found;
}

bool pg_count(struct store *st, int64_t *out, struct err *e, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    if (!r)
        return false;
    bool ok = PQntuples(r) == 1 && PQnfields(r) > 0;
    if (ok)
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        log_error("postgresql: a count returned %d rows: %s", PQntuples(r), sql);
    PQclear(r);
    return ok || err_internal(e);
}

bool pg_texts(struct store *st, struct arena *a, const char ***out, size_t *n, struct err *e, const char *sql,
              const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    PGresult *r = pg_runv(st, e, sql, types, ap);
    va_end(ap);
    if (!r)
        return false;
    int rows = PQntuples(r);
    const char **v = arena_alloc(a, (size_t)(rows ? rows : 1) * sizeof *v);
    for (int i = 0; i < rows; i++)
        v[i] = pg_col_text(a, r, i, 0);
    PQclear(r);
    *out = v;
    *n = (size_t)rows;
    return true;
}

/* ---- composed statements ---- */

PGresult *pg_query(struct store *st, const char *sql, const struct sql_query *b, struct err *e)
{
    struct params p;
    params_of_query(&p, b);
    return run(st, sql, RUN_TEXT, &p, e);
}

PGresult *pg_query_custom(struct store *st, const char *sql, const struct sql_query *b, struct err *e)
{
    struct params p;
    params_of_query(&p, b);
    return run(st, sql, RUN_UNNAMED, &p, e);
}

bool pg_query_count_where(struct store *st, const struct sql_query *w, int64_t *out, struct err *e)
{
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT count(*) ");
    buf_puts(&sql, buf_str(&w->sql));
    PGresult *r = pg_query(st, sql.data, w, e);
    buf_free(&sql);
    if (!r)
        return false;
    bool ok = PQntuples(r) == 1;
    if (ok)
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return ok || err_internal(e);
}

/* ---- snapshots ---- */

bool pg_snapshot_begin(struct store *st, bool *own, struct err *e)
{
    *own = false;
    if (st->pg->tx != PG_TX_NONE)
        return true; /* the caller's transaction (or snapshot) is the snapshot */
    if (!pg_connection_ok(st, e))
        return false;
    PGresult *r = PQexec(st->pg->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_fail(st, r, e, "begin snapshot");
    PQclear(r);
    if (ok)
        st->pg->tx = PG_TX_SNAPSHOT;
    *own = ok;
    return ok;
}

void pg_snapshot_end(struct store *st, bool own)
{
    if (own)
        store_rollback(st);
}

bool pg_page_begin(struct store *st, const struct sql_query *w, int64_t *count, bool *own, struct err *e)
{
    if (!pg_snapshot_begin(st, own, e))
        return false;
    if (pg_query_count_where(st, w, count, e))
        return true;
    pg_snapshot_end(st, *own);
    *own = false;
    return false;
}

/* ---- columns ---- */

const char *pg_col_text(struct arena *a, const PGresult *r, int row, int c)
{
    if (PQgetisnull(r, row, c))
        return NULL;
    return arena_strndup(a, PQgetvalue(r, row, c), (size_t)PQgetlength(r, row, c));
}

int64_t pg_col_int(const PGresult *r, int row, int c)
{
    if (PQgetisnull(r, row, c))
        return 0;
    const char *v = PQgetvalue(r, row, c);
    if (v[0] == 't' || v[0] == 'f') /* a boolean column */
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

double pg_col_real(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? 0 : strtod(PQgetvalue(r, row, c), NULL);
}

bool pg_col_null(const PGresult *r, int row, int c) { return PQgetisnull(r, row, c); }
