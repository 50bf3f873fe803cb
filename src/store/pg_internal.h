/* pg_internal.h - what the PostgreSQL backend's files share: the
 * connection struct, and the one way they run SQL (pg.c, pg_sql.c).
 * Only src/store/pg*.c (and the store's unit tests) include it.
 *
 * Statements are SQL literals with $N placeholders, prepared once per
 * connection and cached by the literal's address (pass string literals
 * only; composed text goes through pg_query, cached by its text). Their
 * parameters are given by a type string, one letter per parameter, then
 * the values as further arguments:
 *   'i'  int64_t                      bigint
 *   's'  const char * (NULL is NULL)  text
 *   'd'  double                       double precision
 *   'a'  const int64_t *, size_t n    bigint[] (for "= ANY($N)")
 * e.g. pg_exec(st, e, "DELETE FROM follows WHERE follower_id = $1 AND
 * followed_id = $2", "ii", me, them).
 *
 * Returns follow the SQLite helpers (sqlite_internal.h): lookups 1 row, 0
 * none, -1 error with e filled; the engine's details go to the log, never
 * to clients. A lost connection is 503 "unavailable" with Retry-After (the
 * next request reconnects); a serialization failure or deadlock (40001,
 * 40P01) is 503 "conflict", which the request layer retries a few times
 * (store_error_retryable).
 *
 * Dialect rules the backend keeps (docs/architecture.md):
 *   - the schema mirrors SQLite's: same tables and column names, integers
 *     as bigint, flags as integers (0/1), times as integer microseconds;
 *   - text compared case-insensitively is folded in C (text_fold) and
 *     stored in a *_fold column next to it (COLLATE "C"), never folded by
 *     SQL; ORDER BY on text uses those columns, so order is bytewise as in
 *     SQLite;
 *   - NULLs sort first in ascending order as in SQLite: write NULLS FIRST
 *     (and NULLS LAST descending) on nullable sort keys;
 *   - new ids come from RETURNING id; "INSERT OR IGNORE" is ON CONFLICT
 *     DO NOTHING; "INSERT OR REPLACE" is ON CONFLICT (...) DO UPDATE.
 *   - writes run under READ COMMITTED: a write that reads state first
 *     locks the users it changes with store_lock_users (ids in order)
 *     right after store_begin. */
#ifndef HEARTH_STORE_PG_INTERNAL_H
#define HEARTH_STORE_PG_INTERNAL_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/user.h"
#include "store/backend.h"
#include "store/sql.h"

enum {
    PG_STMT_CACHE = 256,             /* distinct literal statements per connection */
    PG_TEXT_STMT_CACHE = 64,         /* composed statements per connection */
    PG_STATEMENT_TIMEOUT_MS = 30000, /* any one statement */
    PG_LOCK_TIMEOUT_MS = 5000,       /* waiting for a row or table lock */
    PG_IDLE_TX_TIMEOUT_MS = 60000,   /* a transaction left open by a stuck client */
    PG_CONNECT_TIMEOUT_S = 5,        /* connecting, at start and on reconnects */
    PG_MAX_PARAMS = SQL_MAX_BINDS,   /* parameters of one statement */
    PG_RETRY_AFTER_S = 2,            /* Retry-After of a lost connection */
};

struct pg_stmt {
    const char *sql; /* key: the literal's address */
    unsigned name;   /* prepared as "s<name>" */
};

struct pg_text_stmt {
    uint64_t hash; /* 0 = empty slot */
    char *sql;     /* owned copy */
    unsigned name;
};

/* A preference row held by the connection's cache (pg_pref.c). */
struct pg_cached_pref {
    int64_t id;
    char *section, *name; /* heap */
    json_t *value;        /* a reference held by the cache */
};

/* The PostgreSQL backend's connection: st->pg of a struct store. */
struct pg_conn {
    PGconn *conn;
    char *url;          /* for reconnecting */
    unsigned next_name; /* prepared statement names */
    struct pg_stmt cache[PG_STMT_CACHE];
    struct pg_text_stmt text_cache[PG_TEXT_STMT_CACHE];
    unsigned text_next;   /* round-robin eviction */
    int tx;               /* PG_TX_* below */
    bool commit_pending;  /* a read transaction's COMMIT sent, its answer unread */
    bool quiet;           /* pg_fail leaves the log alone (the caller reports) */
    char last_error[512]; /* the engine's last message, first line */
    /* preferences, validated against pref_version once per transaction */
    struct pg_cached_pref *prefs;
    int nprefs;
    int64_t prefs_version; /* of the cached rows; -1: none cached */
    bool prefs_checked;    /* validated in the transaction now open */
};

/* What transaction the connection has open: none, store_begin's, a
 * request's read transaction (store_read_begin), or a snapshot a store
 * function opened for itself (pg_snapshot_begin). */
enum { PG_TX_NONE, PG_TX_WRITE, PG_TX_READ, PG_TX_SNAPSHOT };

/* Opens a transaction (`begin` is its BEGIN statement; `tx` a PG_TX_*) and
 * validates the preference cache in it, both in one round trip: a request
 * then reads no pref_version of its own (pg_pref.c). bool. */
bool pg_pref_begin(struct store *st, const char *begin, int tx, struct err *e);

/* Frees the preference cache (pg_close). */
void pg_pref_cache_free(struct store *st);

/* ---- errors ---- */

/* Fills e from a failed result r (or the connection's state when r is
 * NULL): 503 for a lost connection or a serialization failure, otherwise
 * a logged 500 naming `what`. Returns false. */
bool pg_fail(struct store *st, const PGresult *r, struct err *e, const char *what);

/* Makes sure the connection is up, connecting again if it was lost (every
 * prepared statement is forgotten then). False with e filled (503 with
 * Retry-After) while the database cannot be reached. */
bool pg_connection_ok(struct store *st, struct err *e);

/* ---- running statements ---- */

/* Runs the literal `sql` with parameters typed by `types` (see above).
 * Returns the result (the caller PQclears it), or NULL with e filled. */
PGresult *pg_run(struct store *st, struct err *e, const char *sql, const char *types, ...);
PGresult *pg_runv(struct store *st, struct err *e, const char *sql, const char *types, va_list ap);

/* Runs `sql` without parameters through the simple query protocol: one
 * or several statements that cannot be prepared (SET, ALTER, ANALYZE,
 * transaction control). bool. */
bool pg_exec_simple(struct store *st, struct err *e, const char *sql);
/* Opens a transaction with `begin` (its BEGIN statement) and runs the
 * literal `sql` (no parameters) in it, in one round trip (a pipeline).
 * Returns sql's rows (the caller PQclears them), or NULL with e filled. */
PGresult *pg_begin_run(struct store *st, const char *begin, const char *sql, struct err *e);

/* Runs a statement expected to finish (INSERT/UPDATE/DELETE). bool. */
bool pg_exec(struct store *st, struct err *e, const char *sql, const char *types, ...);

/* pg_exec returning the number of rows it changed, -1 on error. */
int64_t pg_changes(struct store *st, struct err *e, const char *sql, const char *types, ...);

/* pg_exec for an insert or update that may break a unique constraint:
 * 1 done, 0 a unique violation (e untouched, nothing logged), -1 error.
 * Inside a transaction the violation aborts it: call it where the caller
 * rolls back on 0, or guard it with a SAVEPOINT. */
int pg_exec_unique(struct store *st, struct err *e, const char *sql, const char *types, ...);

/* Reads the current row of r into out; strings go to the arena a. */
typedef void pg_row_reader(struct arena *a, const PGresult *r, int row, void *out);

/* The first row through `read` (NULL: only whether a row exists): 1 row,
 * 0 none (out untouched), -1 error. */
int pg_row(struct store *st, struct arena *a, pg_row_reader *read, void *out, struct err *e, const char *sql,
           const char *types, ...);

/* The first column of the first row as an integer: 1 (*out set), 0 no row
 * or NULL (*out untouched), -1 error. */
int pg_int(struct store *st, int64_t *out, struct err *e, const char *sql, const char *types, ...);

/* Whether the statement returns a row: 1, 0, -1. */
int pg_exists(struct store *st, struct err *e, const char *sql, const char *types, ...);

/* A count: the first column of the only row; a missing row is an error. */
bool pg_count(struct store *st, int64_t *out, struct err *e, const char *sql, const char *types, ...);

/* The first column of every row as strings in a: *out[0..*n). */
bool pg_texts(struct store *st, struct arena *a, const char ***out, size_t *n, struct err *e, const char *sql,
              const char *types, ...);

/* ---- composed statements (sql.h) ---- */

/* Runs `sql` (composed text, cached by its text) with b's values as
 * $1..$n (SQL_INT bigint, SQL_TEXT text, SQL_REAL double precision).
 * Returns the result (caller PQclears), or NULL with e filled. */
PGresult *pg_query(struct store *st, const char *sql, const struct sql_query *b, struct err *e);

/* pg_query, but unnamed (parsed at every run, not cached): planned for
 * b's values every time unless plan_cache_mode forces generic plans. For
 * a statement whose best plan depends on its values. */
PGresult *pg_query_custom(struct store *st, const char *sql, const struct sql_query *b, struct err *e);

/* "SELECT count(*)" followed by w->sql (a FROM and WHERE) with w's values. */
bool pg_query_count_where(struct store *st, const struct sql_query *w, int64_t *out, struct err *e);

/* ---- transactions and snapshots ---- */

/* Makes the reads until pg_snapshot_end see one state of the database (a
 * count and its page agree): outside a transaction it opens a REPEATABLE
 * READ one and sets *own; inside one it does nothing. */
bool pg_snapshot_begin(struct store *st, bool *own, struct err *e);
void pg_snapshot_end(struct store *st, bool own);

/* The start of a page of a composed list, as sqlite_page_begin: opens the
 * snapshot and counts w's rows. On false the snapshot is already ended. */
bool pg_page_begin(struct store *st, const struct sql_query *w, int64_t *count, bool *own, struct err *e);

/* ---- columns ---- */

/* Column c of row `row`: text copied into a (NULL for SQL NULL), integer
 * (0 for NULL), double (0 for NULL), whether NULL. */
const char *pg_col_text(struct arena *a, const PGresult *r, int row, int c);
int64_t pg_col_int(const PGresult *r, int row, int c);
double pg_col_real(const PGresult *r, int row, int c);
bool pg_col_null(const PGresult *r, int row, int c);

/* The users columns (USER_COLUMNS of sqlite_internal.h, the same list) in
 * the order pg_user_from_row reads them. */
#define PG_USER_COLUMNS                                                                                          \
    "id, username, real_name, email, email_isvalid, date_joined_us, bio, location, location_lat, location_lng, " \
    "position_lat, position_lng, date_of_birth, description, gender, status, website, avatar, cover, ext_id, "   \
    "reputation, role, password_hash, tokens_valid_after, followers_counter, followings_counter, "               \
    "connections_counter, connection_requests_sent_counter, connection_requests_received_counter, "              \
    "posts_counter, discussions_counter, categories_counter, tag_ids"

/* Fills u from row `row` selected with PG_USER_COLUMNS from column col. */
void pg_user_from_row(struct arena *a, const PGresult *r, int row, int col, struct user *u);
/* Calls fn (subject "user", name "tag_ids", the numbers of ids stored and
 * of user_tags rows) for every user whose users.tag_ids (migration 019)
 * differs from its user_tags rows; returns the number of differences, -1
 * on error. Read-only, one statement. */
int64_t pg_tag_ids_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e);
/* pg_user_from_row at column 0, as a reader for pg_row. */
pg_row_reader pg_read_user;

#endif
