/* sqlite.c - the SQLite backend of store.h: connection, the SQL functions
 * the schema calls, migrations and transactions, and the users row reader
 * the other sqlite_*.c files share (sqlite_internal.h). Running statements
 * (caches, binds, one-row reads, read snapshots) is sqlite_sql.c; subjects
 * live in their own files: sqlite_user.c, sqlite_oauth.c, sqlite_pref.c, ...
 */
#include "store/store.h"

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/fault.h"
#include "core/log.h"
#include "core/stats.h"
#include "core/text.h"
#include "store/migrate.h"
#include "store/sqlite_fault.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_search_internal.h"
#include "store/tag_ids.h"

/* ================================================================ */
/* connection, errors and SQL functions                             */

bool sqlite_fail(struct store *st, struct err *e, const char *what)
{
    /* a full disk or a failing device is the operator's to fix, not a bug:
     * the client hears so, with a time to come back, and the log gets a
     * line per interval instead of one per request */
    switch (sqlite3_errcode(st->lite->db)) {
    case SQLITE_FULL:
        stats_add(STATS_DB_ERRORS);
        fault_log(what, sqlite3_errmsg(st->lite->db));
        return err_storage_full(e);
    case SQLITE_IOERR:
        stats_add(STATS_DB_ERRORS);
        fault_log(what, sqlite3_errmsg(st->lite->db));
        return err_unavailable(e);
    default:
        log_error("sqlite: %s: %s", what, sqlite3_errmsg(st->lite->db));
        stats_add(STATS_DB_ERRORS);
        return err_internal(e);
    }
}

static void fn_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    char *f = text_fold_malloc(s, (size_t)sqlite3_value_bytes(argv[0]));
    if (!f)
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    else
        sqlite3_result_text(ctx, f, -1, free);
}

static bool is_word_byte(unsigned char c)
{
    /* bytes of multibyte UTF-8 characters count as word bytes: a letter in
     * any script continues a word */
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* word_prefix(folded_text, folded_term): 1 if the term starts the text or
 * starts right after a character that is not a letter or digit (§9). */
static void fn_word_prefix(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *t = (const char *)sqlite3_value_text(argv[1]);
    if (!s || !t || !*t) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    size_t tl = strlen(t);
    for (const char *p = s; (p = strstr(p, t)) != NULL; p++) {
        if (p == s || !is_word_byte((unsigned char)p[-1])) {
            sqlite3_result_int(ctx, 1);
            return;
        }
        (void)tl;
    }
    sqlite3_result_int(ctx, 0);
}

enum {
    /* bound on the database bytes each connection maps: reads within it are
     * page-table hits, not pread calls; the pages are the page cache's,
     * shared by every connection */
    STORE_MMAP_BYTES = 256 * 1024 * 1024,
};

static pthread_once_t store_global_once = PTHREAD_ONCE_INIT;

/* Before SQLite initialises: every connection is used by one thread at a
 * time (multi-thread mode, no connection mutexes), and no process-wide
 * memory statistics (a global mutex on every allocation). */
static void store_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Waiting for the write lock: SQLite's own busy timeout retries after 1, 2,
 * 5, 10 ... 100 ms, so a writer that waited a little retries rarely and can
 * miss every short gap between a long job's transactions (a hard delete in
 * batches). Retrying every STORE_BUSY_POLL_MS finds each gap; the total wait
 * stays bounded by STORE_BUSY_TIMEOUT_MS. */
static int busy_wait(void *ctx, int tries)
{
    (void)ctx;
    if ((int64_t)tries * STORE_BUSY_POLL_MS >= STORE_BUSY_TIMEOUT_MS)
        return 0;
    sqlite3_sleep(STORE_BUSY_POLL_MS);
    return 1;
}

/* After each commit. SQLite's automatic checkpoint (passive) copies pages
 * back but cannot start the log over while a reader still uses it, and under
 * steady reads some reader always does: the -wal file grew past 1 GiB in a
 * three-minute soak. Past STORE_WAL_TRUNCATE_PAGES the committing writer
 * runs a TRUNCATE checkpoint instead, which waits (busy_wait) until readers
 * of older snapshots finish, which takes milliseconds, then empties the file.
 * A failed checkpoint is harmless: the next commit tries again. */
static int wal_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)ctx;
    if (pages >= STORE_WAL_TRUNCATE_PAGES)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    else if (pages >= STORE_WAL_CHECKPOINT_PAGES)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

struct store *sqlite_store_open(const char *path, struct err *e)
{
    pthread_once(&store_global_once, store_global_init);
    struct store *st = calloc(1, sizeof *st);
    if (st && !(st->lite = calloc(1, sizeof *st->lite))) {
        free(st);
        st = NULL;
    }
    if (!st) {
        err_internal(e);
        return NULL;
    }
    st->ops = &sqlite_store_ops;
    st->lite->prefs_version = -1;
    if (sqlite3_open_v2(path, &st->lite->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        sqlite_fault_vfs() /* NULL outside tests */) != SQLITE_OK) {
        log_error("sqlite: cannot open %s: %s", path, st->lite->db ? sqlite3_errmsg(st->lite->db) : "out of memory");
        sqlite_close(st);
        err_internal(e);
        return NULL;
    }
    sqlite3_busy_handler(st->lite->db, busy_wait, NULL);
    sqlite3_wal_hook(st->lite->db, wal_commit, NULL); /* replaces the automatic checkpoint */
    char setup[256];
    snprintf(setup, sizeof setup,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
             "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA mmap_size=%d;",
             store_sync_full() ? "FULL" : "NORMAL", (int)STORE_MMAP_BYTES);
    if (sqlite3_exec(st->lite->db, setup, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function(st->lite->db, "fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                fn_fold, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function(st->lite->db, "word_prefix", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, fn_word_prefix, NULL, NULL) != SQLITE_OK ||
        !sqlite_search_register(st->lite->db) /* the 005_search triggers call them */) {
        sqlite_fail(st, e, "setup");
        sqlite_close(st);
        return NULL;
    }
    return st;
}

void sqlite_close(struct store *st)
{
    for (size_t i = 0; i < STORE_STMT_CACHE; i++)
        if (st->lite->cache[i].stmt)
            sqlite3_finalize(st->lite->cache[i].stmt);
    for (size_t i = 0; i < STORE_TEXT_STMT_CACHE; i++) {
        sqlite3_finalize(st->lite->text_cache[i].stmt);
        free(st->lite->text_cache[i].sql);
    }
    sqlite_pref_cache_free(st);
    sqlite_tag_cache_free(st);
    sqlite_user_rows_free(st);
    sqlite3_close(st->lite->db);
    free(st->lite);
    free(st);
}

/* ================================================================ */
/* migrations and transactions                                      */

/* One result column as JSON (integers, reals, text; blobs as null). */
static json_t *column_json(sqlite3_stmt *q, int i)
{
    switch (sqlite3_column_type(q, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(q, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(q, i));
    case SQLITE_TEXT: return json_stringn((const char *)sqlite3_column_text(q, i), (size_t)sqlite3_column_bytes(q, i));
    default: return json_null();
    }
}

bool sqlite_exec_script(struct store *st, const char *sql, bool json, FILE *out, struct err *e)
{
    const char *tail = sql;
    while (tail && *tail) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(st->lite->db, tail, -1, &q, &tail) != SQLITE_OK)
            return err_set(e, ERR_INVALID, "invalid", sqlite3_errmsg(st->lite->db));
        if (!q)
            break; /* only whitespace or comments left */
        int ncol = sqlite3_column_count(q), rc;
        json_t *rows = json && ncol ? json_array() : NULL;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            json_t *row = rows ? json_object() : NULL;
            for (int i = 0; i < ncol; i++) {
                if (row) {
                    json_object_set_new(row, sqlite3_column_name(q, i), column_json(q, i));
                } else {
                    const unsigned char *v = sqlite3_column_text(q, i);
                    fprintf(out, "%s%s", i ? "|" : "", v ? (const char *)v : "");
                }
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
        if (rc != SQLITE_DONE) {
            err_set(e, ERR_INVALID, "invalid", sqlite3_errmsg(st->lite->db));
            sqlite3_finalize(q);
            return false;
        }
        sqlite3_finalize(q);
    }
    return true;
}

/* Runs one of the transaction statements through the statement cache:
 * they run once or twice per request, and sqlite3_exec parses each time. */
static bool tx_exec(struct store *st, const char *sql)
{
    struct err ignored = {0};
    sqlite3_stmt *q = sqlite_stmt(st, sql, &ignored);
    if (!q)
        return false;
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE;
}

bool sqlite_read_begin(struct store *st, struct err *e)
{
    store_rollback(st);
    if (!tx_exec(st, "BEGIN"))
        return sqlite_fail(st, e, "begin read");
    st->lite->read_tx = true;
    return true;
}

void sqlite_read_end(struct store *st)
{
    /* a statement that wrote outside store_begin (sqlite_exec_stmt ends
     * the read transaction first, but not every write runs through it)
     * made this a write transaction: keep what it wrote, as autocommit
     * would have */
    if (st->lite->read_tx && sqlite3_txn_state(st->lite->db, NULL) == SQLITE_TXN_WRITE) {
        st->lite->read_tx = false;
        st->lite->prefs_checked = false;
        if (tx_exec(st, "COMMIT"))
            return;
        log_error("sqlite: commit at the end of a read transaction: %s", sqlite3_errmsg(st->lite->db));
    }
    store_rollback(st);
}

bool sqlite_begin(struct store *st, struct err *e)
{
    /* a read transaction cannot be upgraded once another connection has
     * written (SQLITE_BUSY_SNAPSHOT): end it, and write on the newest state */
    if (st->lite->read_tx)
        store_rollback(st);
    st->lite->prefs_checked = false;
    if (sqlite3_exec(st->lite->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sqlite_fail(st, e, "begin");
    return true;
}

bool sqlite_commit(struct store *st, struct err *e)
{
    st->lite->prefs_checked = false;
    st->lite->read_tx = false;
    if (sqlite3_exec(st->lite->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite_fail(st, e, "commit");
        store_rollback(st);
        return false;
    }
    return true;
}

void sqlite_rollback(struct store *st)
{
    st->lite->prefs_checked = false;
    st->lite->read_tx = false;
    if (!sqlite3_get_autocommit(st->lite->db) && !tx_exec(st, "ROLLBACK"))
        sqlite3_exec(st->lite->db, "ROLLBACK", NULL, NULL, NULL);
}

bool sqlite_migrate(struct store *st, struct err *e)
{
    if (sqlite3_exec(
            st->lite->db,
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)", NULL,
            NULL, NULL) != SQLITE_OK)
        return sqlite_fail(st, e, "migrations table");
    for (const struct migration *m = store_sqlite_migrations; m->name; m++) {
        if (!store_begin(st, e))
            return false;
        sqlite3_stmt *q = sqlite_stmt(st, "SELECT 1 FROM schema_migrations WHERE name = $1", e);
        if (!q) {
            store_rollback(st);
            return false;
        }
        sqlite3_bind_text(q, 1, m->name, -1, SQLITE_STATIC);
        bool applied = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_reset(q);
        if (applied) {
            store_rollback(st);
            continue;
        }
        char *msg = NULL;
        if (sqlite3_exec(st->lite->db, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
            log_error("sqlite: migration %s failed: %s", m->name, msg ? msg : "?");
            sqlite3_free(msg);
            store_rollback(st);
            return err_internal(e);
        }
        sqlite3_stmt *ins = sqlite_stmt(st, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", e);
        if (!ins) {
            store_rollback(st);
            return false;
        }
        sqlite3_bind_text(ins, 1, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, clock_now());
        if (sqlite3_step(ins) != SQLITE_DONE) {
            sqlite_fail(st, e, "record migration");
            store_rollback(st);
            return false;
        }
        if (!store_commit(st, e))
            return false;
        log_info("applied migration %s", m->name);
    }
    return true;
}

/* ================================================================ */
/* row helpers shared by the sqlite_*.c files                       */

const char *sqlite_col_text(struct arena *a, sqlite3_stmt *q, int i)
{
    const unsigned char *s = sqlite3_column_text(q, i);
    return s ? arena_strndup(a, (const char *)s, (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

void sqlite_bind_text_or_null(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

int sqlite_exists(struct store *st, sqlite3_stmt *q, struct err *e)
{
    return sqlite_get_row(st, q, NULL, NULL, NULL, e);
}

bool sqlite_exec_stmt(struct store *st, sqlite3_stmt *q, struct err *e, const char *what)
{
    /* a write outside store_begin in a request's read transaction: as its
     * own transaction, as it would be without the read transaction */
    if (st->lite->read_tx && !sqlite3_stmt_readonly(q))
        store_rollback(st);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? true : sqlite_fail(st, e, what);
}

/* The text columns of USER_COLUMNS, in the order the reader keeps them
 * (the tag ids, column 32, last of the public ones): the private member
 * (email) and the credential (password_hash) last. */
static const int user_text_columns[] = {1, 2, 6, 7, 12, 13, 14, 16, 17, 18, 21, 32, 3, 22};
enum { USER_TEXTS = sizeof user_text_columns / sizeof user_text_columns[0], USER_PUBLIC_TEXTS = USER_TEXTS - 2 };

void sqlite_user_page_from_row(struct arena *a, sqlite3_stmt *q, int col, struct user *u, unsigned cols)
{
    /* the row's strings copied in one allocation: a page reads 20 rows of
     * 14 text columns */
    unsigned members = cols & (SQLITE_USER_PAGE | SQLITE_USER_PUBLIC);
    int ntext = members == SQLITE_USER_ALL    ? USER_TEXTS
                : members == SQLITE_USER_PAGE ? USER_TEXTS - 1
                                              : USER_PUBLIC_TEXTS;
    const unsigned char *text[USER_TEXTS];
    size_t len[USER_TEXTS], total = 0;
    for (int i = 0; i < ntext; i++) {
        /* strlen rather than sqlite3_column_bytes (a call into the library
         * per column): the members are C strings, which end at a NUL either
         * way */
        text[i] = sqlite3_column_text(q, col + user_text_columns[i]);
        len[i] = text[i] ? strlen((const char *)text[i]) : 0;
        total += text[i] ? len[i] + 1 : 0;
    }
    char *p = total ? arena_alloc(a, total) : NULL;
    const char *copy[USER_TEXTS] = {NULL};
    for (int i = 0; i < ntext; i++) {
        if (text[i]) {
            memcpy(p, text[i], len[i]); /* arena memory is zeroed: the NUL is there */
            copy[i] = p;
            p += len[i] + 1;
        }
    }
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(q, col + 0);
    u->username = copy[0];
    u->real_name = copy[1];
    u->date_joined_us = sqlite3_column_int64(q, col + 5);
    u->bio = copy[2];
    u->location = copy[3];
    if (sqlite3_column_type(q, col + 8) != SQLITE_NULL) {
        u->has_location_ll = true;
        u->location_lat = sqlite3_column_double(q, col + 8);
        u->location_lng = sqlite3_column_double(q, col + 9);
    }
    if (members != SQLITE_USER_PUBLIC) {
        u->email = copy[12];
        u->email_isvalid = sqlite3_column_int(q, col + 4) != 0;
        if (sqlite3_column_type(q, col + 10) != SQLITE_NULL) {
            u->has_position_ll = true;
            u->position_lat = sqlite3_column_double(q, col + 10);
            u->position_lng = sqlite3_column_double(q, col + 11);
        }
    }
    u->date_of_birth = copy[4];
    u->description = copy[5];
    u->gender = copy[6];
    const unsigned char *status = sqlite3_column_text(q, col + 15);
    u->status = status ? (enum user_status)status[0] : USER_ACTIVE;
    u->website = copy[7];
    u->avatar = copy[8];
    u->cover = copy[9];
    if (sqlite3_column_type(q, col + 19) != SQLITE_NULL) {
        u->has_ext_id = true;
        u->ext_id = sqlite3_column_int64(q, col + 19);
    }
    u->reputation = sqlite3_column_int64(q, col + 20);
    u->role = copy[10];
    u->has_tag_ids = true;
    u->ntag_ids = tag_ids_parse(a, copy[11], &u->tag_ids);
    if (members == SQLITE_USER_ALL) {
        u->password_hash = copy[13];
        u->tokens_valid_after = sqlite3_column_int64(q, col + 23);
    }
    u->followers_counter = sqlite3_column_int64(q, col + 24);
    u->followings_counter = sqlite3_column_int64(q, col + 25);
    if (!(cols & SQLITE_USER_NO_CONNECTION_COUNTERS)) {
        u->connections_counter = sqlite3_column_int64(q, col + 26);
        u->connection_requests_sent_counter = sqlite3_column_int64(q, col + 27);
        u->connection_requests_received_counter = sqlite3_column_int64(q, col + 28);
    }
    u->posts_counter = sqlite3_column_int64(q, col + 29);
    u->discussions_counter = sqlite3_column_int64(q, col + 30);
    u->categories_counter = sqlite3_column_int64(q, col + 31);
}

void sqlite_user_from_row(struct arena *a, sqlite3_stmt *q, int col, struct user *u)
{
    sqlite_user_page_from_row(a, q, col, u, SQLITE_USER_ALL);
}

void sqlite_read_user(struct arena *a, sqlite3_stmt *q, void *out) { sqlite_user_from_row(a, q, 0, out); }

bool sqlite_lock_users(struct store *st, const int64_t *ids, size_t n, struct err *e)
{
    (void)st, (void)ids, (void)n, (void)e;
    return true; /* BEGIN IMMEDIATE holds the only write lock */
}

const struct store_ops sqlite_store_ops = {
#define STORE_FN(ret, name, params, args) .name = sqlite_##name,
#define STORE_FN_OWN STORE_FN
#define STORE_FN_VOID(name, params, args) STORE_FN(void, name, params, args)
#include "store/store_fns.def"
#undef STORE_FN_VOID
#undef STORE_FN_OWN
#undef STORE_FN
};
