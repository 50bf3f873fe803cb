/* pg.c - the PostgreSQL backend's connection: opening it with the session
 * settings, errors and their mapping, reconnecting, transactions, the
 * migrations (under an advisory lock), administrators' scripts, the user
 * row reader and the backend's table. Running statements is pg_sql.c. */
#include "store/pg_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/fault.h"
#include "core/log.h"
#include "core/stats.h"
#include "store/migrate.h"
#include "store/tag_ids.h"

/* The advisory lock key every hearth holds while it migrates: "hearth.m"
 * as a big-endian integer (the first admin is made under "hearth.b",
 * pg_ratelimit.c). */
#define PG_MIGRATE_LOCK 0x6865617274682e6dLL

/* ================================================================ */
/* connection and errors                                            */

/* Opens a connection to `url` with hearth's session settings. No parallel
 * workers and no JIT: hearth's statements are short, a parallel walk
 * under a LIMIT reads far past the rows it returns while the requests
 * already fill the cores, and compiling a count's expressions costs more
 * than running them (index builds keep their own parallel maintenance
 * workers). Set here, they cost no round trip per request. */
static PGconn *connect_url(const char *url, char *msg, size_t msg_size)
{
    char options[320];
    snprintf(options, sizeof options,
             "-c statement_timeout=%d -c lock_timeout=%d -c idle_in_transaction_session_timeout=%d "
             "-c client_min_messages=warning -c TimeZone=UTC -c jit=off -c max_parallel_workers_per_gather=0%s",
             (int)PG_STATEMENT_TIMEOUT_MS, (int)PG_LOCK_TIMEOUT_MS, (int)PG_IDLE_TX_TIMEOUT_MS,
             store_sync_full() ? " -c synchronous_commit=on" : "");
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", (int)PG_CONNECT_TIMEOUT_S);
    /* the URL first (expand_dbname), then what hearth adds to it */
    const char *keys[] = {"dbname", "options", "connect_timeout", "application_name", NULL};
    const char *values[] = {url, options, timeout, "hearth", NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (!c) {
        snprintf(msg, msg_size, "out of memory");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(msg, msg_size, "%s", PQerrorMessage(c));
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        for (char *p = msg; *p; p++)
            if (*p == '\n')
                *p = ' '; /* one line */
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* Forgets every prepared statement (they died with the old session). */
static void forget_statements(struct pg_conn *p)
{
    memset(p->cache, 0, sizeof p->cache);
    for (size_t i = 0; i < PG_TEXT_STMT_CACHE; i++) {
        free(p->text_cache[i].sql);
        p->text_cache[i] = (struct pg_text_stmt){0};
    }
}

/* Reads the answer to a COMMIT sent without waiting (pg_read_end), so
 * the connection is free for the next statement; a failure is logged (the
 * request that ended the transaction was answered already). */
static void finish_commit(struct pg_conn *p)
{
    if (!p->commit_pending)
        return;
    p->commit_pending = false;
    PGresult *r;
    while ((r = PQgetResult(p->conn))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            log_error("postgresql: commit of a read transaction: %s", PQresultErrorMessage(r));
        PQclear(r);
    }
}

bool pg_connection_ok(struct store *st, struct err *e)
{
    struct pg_conn *p = st->pg;
    if (p->conn)
        finish_commit(p);
    if (p->conn && PQstatus(p->conn) == CONNECTION_OK)
        return true;
    /* lost (the server restarted, or a network fault): connect again, as
     * the next request would find it */
    if (p->conn)
        PQfinish(p->conn);
    forget_statements(p);
    p->tx = PG_TX_NONE;
    p->prefs_checked = false;
    char msg[512];
    p->conn = connect_url(p->url, msg, sizeof msg);
    if (p->conn) {
        log_info("postgresql: reconnected");
        return true;
    }
    stats_add(STATS_DB_ERRORS);
    fault_log("postgresql: reconnect", msg);
    err_set(e, ERR_UNAVAILABLE, "unavailable", "The database is unavailable; try again shortly.");
    e->retry_after = PG_RETRY_AFTER_S;
    return false;
}

/* The first line of an engine message, into out. */
static void first_line(const char *msg, char *out, size_t size)
{
    snprintf(out, size, "%s", msg ? msg : "");
    out[strcspn(out, "\n")] = '\0';
    size_t n = strlen(out);
    while (n && out[n - 1] == ' ')
        out[--n] = '\0';
}

bool pg_fail(struct store *st, const PGresult *r, struct err *e, const char *what)
{
    struct pg_conn *p = st->pg;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(p->conn);
    first_line(msg, p->last_error, sizeof p->last_error);
    stats_add(STATS_DB_ERRORS);
    if (PQstatus(p->conn) != CONNECTION_OK || (state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
                                                         !strcmp(state, "57P02") || !strcmp(state, "57P03")))) {
        fault_log(what, msg && *msg ? msg : "connection lost");
        err_set(e, ERR_UNAVAILABLE, "unavailable", "The database is unavailable; try again shortly.");
        e->retry_after = PG_RETRY_AFTER_S;
        return false;
    }
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))) {
        /* two writers met (or a lock wait ran out): the request runs again */
        log_info("postgresql: %s: %s", what, msg);
        err_set(e, ERR_UNAVAILABLE, "conflict", "The server is busy; try again shortly.");
        e->retry_after = 1;
        return false;
    }
    if (state && (!strncmp(state, "53", 2) || !strncmp(state, "58", 2))) {
        /* the database server's disk is full (53100), it is out of memory
         * or connections, or its device fails (class 58): the operator's
         * to fix, as sqlite_fail says; logged once per interval */
        fault_log(what, msg && *msg ? msg : state);
        if (!strcmp(state, "53100"))
            return err_storage_full(e);
        return err_unavailable(e);
    }
    if (state && !strcmp(state, "57014")) { /* statement_timeout */
        log_error("postgresql: %s: %s", what, msg);
        err_set(e, ERR_UNAVAILABLE, "timeout", "The database took too long; try again shortly.");
        e->retry_after = PG_RETRY_AFTER_S;
        return false;
    }
    if (!p->quiet)
        log_error("postgresql: %s: [%s] %s", what, state ? state : "-", msg ? msg : "?");
    return err_internal(e);
}

struct store *pg_store_open(const char *url, struct err *e)
{
    struct store *st = calloc(1, sizeof *st);
    struct pg_conn *p = st ? calloc(1, sizeof *p) : NULL;
    char *copy = p ? strdup(url) : NULL;
    if (!copy) {
        free(p);
        free(st);
        err_internal(e);
        return NULL;
    }
    st->ops = &pg_store_ops;
    st->pg = p;
    p->url = copy;
    p->prefs_version = -1;
    char msg[512];
    p->conn = connect_url(url, msg, sizeof msg);
    if (!p->conn) {
        pg_close(st);
        /* the reason, for the command line and the server's log (clients
         * hear only 503) */
        static _Thread_local char reason[600];
        snprintf(reason, sizeof reason, "cannot connect to PostgreSQL: %s", msg);
        err_set(e, ERR_UNAVAILABLE, "unavailable", reason);
        e->retry_after = PG_RETRY_AFTER_S;
        return NULL;
    }
    return st;
}

void pg_close(struct store *st)
{
    struct pg_conn *p = st->pg;
    if (p) {
        forget_statements(p);
        pg_pref_cache_free(st);
        if (p->conn)
            PQfinish(p->conn);
        free(p->url);
        free(p);
    }
    free(st);
}

/* ================================================================ */
/* transactions                                                     */

bool pg_exec_simple(struct store *st, struct err *e, const char *sql)
{
    /* outside a transaction a lost connection is made again, once (see
     * run() in pg_sql.c): a request's BEGIN meets a restart first */
    for (int attempt = 0;; attempt++) {
        finish_commit(st->pg);
        bool idle = PQtransactionStatus(st->pg->conn) == PQTRANS_IDLE || PQstatus(st->pg->conn) != CONNECTION_OK;
        if (!pg_connection_ok(st, e))
            return false;
        PGresult *r = PQexec(st->pg->conn, sql);
        bool ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
        if (ok) {
            PQclear(r);
            return true;
        }
        if (attempt == 0 && idle && PQstatus(st->pg->conn) != CONNECTION_OK) {
            PQclear(r);
            continue;
        }
        pg_fail(st, r, e, sql);
        PQclear(r);
        return false;
    }
}

bool pg_read_begin(struct store *st, struct err *e)
{
    store_rollback(st);
    if (!pg_connection_ok(st, e))
        return false;
    return pg_pref_begin(st, "BEGIN ISOLATION LEVEL REPEATABLE READ", PG_TX_READ, e);
}

void pg_read_end(struct store *st)
{
    struct pg_conn *p = st->pg;
    if (p->tx == PG_TX_READ && PQtransactionStatus(p->conn) == PQTRANS_INTRANS) {
        /* a statement may have written in it (a purge, a counter): keep
         * it, as autocommit would have. The COMMIT is sent, not waited
         * for: the server runs it before anything sent after it on this
         * connection, whose next use reads its answer (finish_commit), so
         * a request is answered without that round trip. */
        struct err e = {0};
        p->tx = PG_TX_NONE;
        p->prefs_checked = false;
        if (PQsendQuery(p->conn, "COMMIT")) {
            p->commit_pending = true;
            return;
        }
        if (pg_exec_simple(st, &e, "COMMIT"))
            return;
    }
    store_rollback(st);
}

bool pg_begin(struct store *st, struct err *e)
{
    struct pg_conn *p = st->pg;
    if (p->tx == PG_TX_READ)
        pg_read_end(st); /* write on the newest state */
    p->prefs_checked = false;
    if (!pg_connection_ok(st, e))
        return false;
    if (PQtransactionStatus(p->conn) != PQTRANS_IDLE)
        store_rollback(st);
    return pg_pref_begin(st, "BEGIN", PG_TX_WRITE, e);
}

bool pg_commit(struct store *st, struct err *e)
{
    struct pg_conn *p = st->pg;
    p->prefs_checked = false;
    p->tx = PG_TX_NONE;
    if (!pg_exec_simple(st, e, "COMMIT")) {
        store_rollback(st);
        return false;
    }
    return true;
}

void pg_rollback(struct store *st)
{
    struct pg_conn *p = st->pg;
    p->prefs_checked = false;
    p->tx = PG_TX_NONE;
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK)
        return;
    PGTransactionStatusType s = PQtransactionStatus(p->conn);
    if (s == PQTRANS_INTRANS || s == PQTRANS_INERROR) {
        PGresult *r = PQexec(p->conn, "ROLLBACK");
        PQclear(r);
    }
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bool pg_lock_users(struct store *st, const int64_t *ids, size_t n, struct err *e)
{
    enum { LOCK_SLICE = 1000 }; /* ids per statement */
    int64_t *sorted = n ? malloc(n * sizeof *sorted) : NULL;
    if (n && !sorted)
        return err_internal(e);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (ids[i] > 0)
            sorted[m++] = ids[i];
    qsort(sorted, m, sizeof *sorted, compare_ids);
    /* in id order, a slice at a time: two writers of the same users queue
     * on the first of them instead of deadlocking */
    bool ok = true;
    for (size_t at = 0; ok && at < m; at += LOCK_SLICE) {
        size_t k = m - at < LOCK_SLICE ? m - at : LOCK_SLICE;
        PGresult *r =
            pg_run(st, e, "SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", "a", sorted + at, k);
        ok = r != NULL;
        PQclear(r);
    }
    free(sorted);
    return ok;
}

/* ================================================================ */
/* migrations                                                       */

/* Whether `name` is one of this binary's migrations. */
static bool known_migration(const char *name)
{
    for (const struct migration *m = store_pg_migrations; m->name; m++)
        if (!strcmp(m->name, name))
            return true;
    return false;
}

/* Replaces e's message with one line for the command line: "what:
 * detail" (the engine's message, when the failure was the engine's). */
static bool migrate_fail(struct err *e, const char *what, const char *detail)
{
    static _Thread_local char msg[640];
    snprintf(msg, sizeof msg, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
    if (e->count)
        e->entries[e->count - 1].message = msg;
    else
        err_set(e, ERR_INTERNAL, "internal", msg);
    return false;
}

static bool migrate_locked(struct store *st, struct err *e)
{
    if (!pg_exec_simple(
            st, e, "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at bigint NOT NULL)"))
        return migrate_fail(e, "cannot create the table schema_migrations", st->pg->last_error);
    PGresult *r = pg_run(st, e, "SELECT name FROM schema_migrations ORDER BY name", "");
    if (!r)
        return migrate_fail(e, "cannot read schema_migrations", st->pg->last_error);
    for (int i = 0; i < PQntuples(r); i++) {
        const char *name = PQgetvalue(r, i, 0);
        if (!known_migration(name)) {
            static _Thread_local char msg[512];
            snprintf(msg, sizeof msg,
                     "the database has migration %s, which this hearth does not know: a newer hearth migrated it; "
                     "run that version (or a newer one)",
                     name);
            PQclear(r);
            return err_set(e, ERR_INVALID, "unknown_migration", msg);
        }
    }
    PQclear(r);
    for (const struct migration *m = store_pg_migrations; m->name; m++) {
        int applied = pg_exists(st, e, "SELECT 1 FROM schema_migrations WHERE name = $1", "s", m->name);
        if (applied < 0)
            return migrate_fail(e, "cannot read schema_migrations", st->pg->last_error);
        if (applied)
            continue;
        if (!pg_exec_simple(st, e, "BEGIN"))
            return migrate_fail(e, "cannot begin a migration", st->pg->last_error);
        /* several statements: the simple query protocol runs them all */
        PGresult *res = PQexec(st->pg->conn, m->sql);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
            if (res && PQresultStatus(res) == PGRES_TUPLES_OK)
                goto recorded; /* a script ending in a SELECT */
            char what[128], detail[512];
            snprintf(what, sizeof what, "migration %s failed", m->name);
            first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(st->pg->conn), detail, sizeof detail);
            PQclear(res);
            store_rollback(st);
            err_internal(e);
            return migrate_fail(e, what, detail);
        }
    recorded:
        PQclear(res);
        if (!pg_exec(st, e, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", "si", m->name,
                     clock_now()) ||
            !pg_exec_simple(st, e, "COMMIT")) {
            store_rollback(st);
            return migrate_fail(e, "cannot record a migration", st->pg->last_error);
        }
        log_info("applied migration %s", m->name);
    }
    return true;
}

bool pg_migrate(struct store *st, struct err *e)
{
    if (!pg_connection_ok(st, e))
        return false;
    store_rollback(st);
    /* several servers starting at once: one migrates, the others wait and
     * then find every migration applied; failures go to the caller in e,
     * in one line, not to the log */
    st->pg->quiet = true;
    PGresult *r = pg_run(st, e, "SELECT pg_advisory_lock($1)", "i", (int64_t)PG_MIGRATE_LOCK);
    if (!r) {
        st->pg->quiet = false;
        return migrate_fail(e, "cannot take the migration lock", st->pg->last_error);
    }
    PQclear(r);
    bool ok = migrate_locked(st, e);
    st->pg->quiet = false;
    struct err ignored = {0};
    r = pg_run(st, &ignored, "SELECT pg_advisory_unlock($1)", "i", (int64_t)PG_MIGRATE_LOCK);
    PQclear(r);
    return ok;
}

/* ================================================================ */
/* administrators' scripts (hearth sql)                             */

/* One result value as JSON by its column's type: integers, reals,
 * booleans, text. */
static json_t *value_json(const PGresult *r, int row, int c)
{
    if (PQgetisnull(r, row, c))
        return json_null();
    const char *v = PQgetvalue(r, row, c);
    switch (PQftype(r, c)) {
    case 20: /* int8 */
    case 21: /* int2 */
    case 23: /* int4 */
    case 26: /* oid */ return json_integer(strtoll(v, NULL, 10));
    case 700: /* float4 */
    case 701: /* float8 */
    case 1700: /* numeric */ return json_real(strtod(v, NULL));
    case 16: /* bool */ return json_boolean(v[0] == 't');
    default: return json_stringn(v, (size_t)PQgetlength(r, row, c));
    }
}

static void print_rows(const PGresult *r, bool json, FILE *out)
{
    int ncol = PQnfields(r);
    json_t *rows = json ? json_array() : NULL;
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *row = rows ? json_object() : NULL;
        for (int c = 0; c < ncol; c++) {
            if (row)
                json_object_set_new(row, PQfname(r, c), value_json(r, i, c));
            else
                fprintf(out, "%s%s", c ? "|" : "", PQgetvalue(r, i, c));
        }
        if (row)
            json_array_append_new(rows, row);
        else
            fputc('\n', out);
    }
    if (rows) {
        char *text = json_dumps(rows, JSON_COMPACT);
        if (text)
            fprintf(out, "%s\n", text);
        free(text);
        json_decref(rows);
    }
}

bool pg_exec_script(struct store *st, const char *sql, bool json, FILE *out, struct err *e)
{
    if (!pg_connection_ok(st, e))
        return false;
    if (!PQsendQuery(st->pg->conn, sql))
        return pg_fail(st, NULL, e, "script");
    bool ok = true;
    PGresult *r;
    while ((r = PQgetResult(st->pg->conn))) {
        ExecStatusType s = PQresultStatus(r);
        if (ok && s == PGRES_TUPLES_OK) {
            print_rows(r, json, out);
        } else if (ok && s != PGRES_COMMAND_OK && s != PGRES_EMPTY_QUERY) {
            ok = false;
            /* the message must outlive r: the command line prints it */
            static _Thread_local char msg[512];
            snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
            size_t n = strlen(msg);
            while (n && msg[n - 1] == '\n')
                msg[--n] = '\0';
            err_set(e, ERR_INVALID, "invalid", msg);
        }
        PQclear(r);
    }
    return ok;
}

bool pg_backup(struct store *st, const char *path, bool overwrite, struct err *e)
{
    (void)st, (void)path, (void)overwrite;
    return err_set(e, ERR_INVALID, "invalid",
                   "hearth backup copies SQLite databases; for PostgreSQL use pg_dump -Fc and pg_restore.");
}

/* ================================================================ */
/* user rows                                                        */

void pg_user_from_row(struct arena *a, const PGresult *r, int row, int col, struct user *u)
{
    memset(u, 0, sizeof *u);
    u->id = pg_col_int(r, row, col + 0);
    u->username = pg_col_text(a, r, row, col + 1);
    u->real_name = pg_col_text(a, r, row, col + 2);
    u->email = pg_col_text(a, r, row, col + 3);
    u->email_isvalid = pg_col_int(r, row, col + 4) != 0;
    u->date_joined_us = pg_col_int(r, row, col + 5);
    u->bio = pg_col_text(a, r, row, col + 6);
    u->location = pg_col_text(a, r, row, col + 7);
    if (!pg_col_null(r, row, col + 8)) {
        u->has_location_ll = true;
        u->location_lat = pg_col_real(r, row, col + 8);
        u->location_lng = pg_col_real(r, row, col + 9);
    }
    if (!pg_col_null(r, row, col + 10)) {
        u->has_position_ll = true;
        u->position_lat = pg_col_real(r, row, col + 10);
        u->position_lng = pg_col_real(r, row, col + 11);
    }
    u->date_of_birth = pg_col_text(a, r, row, col + 12);
    u->description = pg_col_text(a, r, row, col + 13);
    u->gender = pg_col_text(a, r, row, col + 14);
    u->status = pg_col_null(r, row, col + 15) ? USER_ACTIVE : (enum user_status)PQgetvalue(r, row, col + 15)[0];
    u->website = pg_col_text(a, r, row, col + 16);
    u->avatar = pg_col_text(a, r, row, col + 17);
    u->cover = pg_col_text(a, r, row, col + 18);
    if (!pg_col_null(r, row, col + 19)) {
        u->has_ext_id = true;
        u->ext_id = pg_col_int(r, row, col + 19);
    }
    u->reputation = pg_col_int(r, row, col + 20);
    u->role = pg_col_text(a, r, row, col + 21);
    u->password_hash = pg_col_text(a, r, row, col + 22);
    u->tokens_valid_after = pg_col_int(r, row, col + 23);
    u->followers_counter = pg_col_int(r, row, col + 24);
    u->followings_counter = pg_col_int(r, row, col + 25);
    u->connections_counter = pg_col_int(r, row, col + 26);
    u->connection_requests_sent_counter = pg_col_int(r, row, col + 27);
    u->connection_requests_received_counter = pg_col_int(r, row, col + 28);
    u->posts_counter = pg_col_int(r, row, col + 29);
    u->discussions_counter = pg_col_int(r, row, col + 30);
    u->categories_counter = pg_col_int(r, row, col + 31);
    u->has_tag_ids = true;
    u->ntag_ids = tag_ids_parse(a, PQgetisnull(r, row, col + 32) ? NULL : PQgetvalue(r, row, col + 32), &u->tag_ids);
}

void pg_read_user(struct arena *a, const PGresult *r, int row, void *out) { pg_user_from_row(a, r, row, 0, out); }

const struct store_ops pg_store_ops = {
#define STORE_FN(ret, name, params, args) .name = pg_##name,
#define STORE_FN_OWN STORE_FN
#define STORE_FN_VOID(name, params, args) STORE_FN(void, name, params, args)
#include "store/store_fns.def"
#undef STORE_FN_VOID
#undef STORE_FN_OWN
#undef STORE_FN
};
