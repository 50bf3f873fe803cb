/* sqlite_internal.h - what the SQLite backend's files share: the connection
 * struct, and the one way they run SQL (sqlite_sql.c): cached statements,
 * composed queries (sql.h), one-row and one-integer reads, statements that
 * only run, read snapshots. Only src/store/sqlite*.c (and the store's unit
 * tests) include it.
 *
 * The helpers' shapes are the engine's only in their statement type: a
 * PostgreSQL backend offers the same set (get a row through a reader, get
 * an integer, exists, exec, snapshot begin/end, bind a struct sql_query)
 * over its own statements, with the same returns: 1 row, 0 none, -1 error
 * with e filled (details logged, never sent to clients). */
#ifndef HEARTH_STORE_SQLITE_INTERNAL_H
#define HEARTH_STORE_SQLITE_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/user.h"
#include "store/backend.h"
#include "store/sql.h"
#include "store/store.h"

enum {
    STORE_BUSY_TIMEOUT_MS = 5000,      /* writers wait this long for the write lock */
    STORE_BUSY_POLL_MS = 1,            /* and retry this often (see busy_wait in sqlite.c) */
    STORE_WAL_CHECKPOINT_PAGES = 1000, /* a passive checkpoint after a commit past this (SQLite's default) */
    STORE_WAL_TRUNCATE_PAGES = 16384,  /* past this (64 MiB of 4 KiB pages) the WAL is emptied (wal_commit) */
    STORE_STMT_CACHE = 256,            /* distinct cached statements per connection */
    STORE_TEXT_STMT_CACHE = 64,        /* composed statements (filter combinations) per connection */
};

struct cached_stmt {
    const char *sql; /* key: the literal's address */
    sqlite3_stmt *stmt;
};

/* A statement composed at run time (optional filters), cached by its text. */
struct text_stmt {
    uint64_t hash; /* 0 = empty slot */
    char *sql;     /* owned copy */
    sqlite3_stmt *stmt;
};

/* A preference row held by the connection's cache (sqlite_pref.c). */
struct cached_pref {
    int64_t id;
    char *section, *name; /* heap */
    json_t *value;        /* a reference held by the cache */
};

/* The SQLite backend's connection: st->lite of a struct store (backend.h). */
struct sqlite_conn {
    sqlite3 *db;
    struct cached_stmt cache[STORE_STMT_CACHE];
    struct text_stmt text_cache[STORE_TEXT_STMT_CACHE];
    unsigned text_next; /* round-robin eviction */
    bool read_tx;       /* the transaction open is store_read_begin's */
    /* preferences, validated against pref_version once per transaction */
    struct cached_pref *prefs;
    int nprefs;
    int64_t prefs_version; /* of the cached rows; -1: none cached */
    bool prefs_checked;    /* validated in the transaction now open */
    /* the database file's data version at the last check in a read
     * transaction: while it holds, prefs_version does too */
    unsigned prefs_data_version;
    bool prefs_data_version_valid;
    /* tags read for users' pages, valid while the database file's data
     * version is tags_version (sqlite_tag.c) */
    struct cached_tag *tags;
    int ntags;
    unsigned tags_version;
    /* each user's tag ids, valid at the same data version (sqlite_tag.c) */
    struct cached_user_tags *user_tags; /* hash slots, live when gen matches */
    unsigned user_tags_gen, user_tags_used;
    int64_t *user_tag_ids; /* the slots' tag ids */
    unsigned user_tag_nids;
    bool user_tags_full; /* emptied at the next page */
    /* users' rows read for pages, valid at data version user_rows_version
     * (sqlite_user_rows.c) */
    struct cached_user_row *user_rows; /* hash slots, live when gen matches */
    unsigned user_rows_gen, user_rows_used, user_rows_version;
};

/* The users' rows kept for pages (sqlite_user_rows.c). Fresh: in a read
 * transaction, the kept rows emptied unless read at its data version;
 * false (keep and read none) in a write transaction or none. Get: u from
 * the kept row of id (strings copied into a), false when not kept. Put:
 * keeps u, a row of USER_PAGE_COLUMNS (call only when fresh). Free: at
 * store_close. */
bool sqlite_user_rows_fresh(struct sqlite_conn *c);
bool sqlite_user_rows_get(struct sqlite_conn *c, struct arena *a, int64_t id, struct user *u);
void sqlite_user_rows_put(struct sqlite_conn *c, const struct user *u);
void sqlite_user_rows_free(struct store *st);

/* Frees the tag cache (store_close). */
void sqlite_tag_cache_free(struct store *st);

/* Frees the preference cache (store_close). */
void sqlite_pref_cache_free(struct store *st);

/* Fills e from the engine's error: 507 storage_full for SQLITE_FULL, 503
 * unavailable for SQLITE_IOERR (both logged at most once per interval, see
 * core/fault.h), otherwise a logged generic 500. Returns false. */
bool sqlite_fail(struct store *st, struct err *e, const char *what);

/* Prepares `sql`, reading `$N` placeholders as parameter N (PostgreSQL's
 * meaning) whatever order they appear in. Returns an SQLite result code;
 * the caller finalizes *out. */
int sqlite_prepare(struct store *st, const char *sql, bool persistent, sqlite3_stmt **out);

/* The cached, reset statement for the literal `sql` (cached by address:
 * pass string literals only), or NULL with e filled. The statement belongs
 * to the cache: reset, never finalize it. */
sqlite3_stmt *sqlite_stmt(struct store *st, const char *sql, struct err *e);

/* Like sqlite_stmt for SQL composed at run time: cached by its text (a few
 * dozen filter combinations), so the same shape is parsed once. Keep values
 * out of the text (bind them), or every call is a new shape. The statement
 * belongs to the cache: reset, never finalize it. */
sqlite3_stmt *sqlite_stmt_text(struct store *st, const char *sql, struct err *e);

/* ---- composed queries (sql.h) ---- */

/* Binds b's values to q by position ($1 = the first value added). Text is
 * bound without a copy: b's strings must outlive q's execution. */
void sqlite_query_bind(sqlite3_stmt *q, const struct sql_query *b);

/* sqlite_stmt_text(sql) with b's values bound (b->sql is not read: build
 * several statements over one list of values). Cached: never finalize. */
sqlite3_stmt *sqlite_query_stmt(struct store *st, const char *sql, const struct sql_query *b, struct err *e);

/* Prepares b->sql fresh (not cached: large one-off texts) with its values
 * bound, and frees b->sql either way. The caller finalizes the statement;
 * NULL with e filled on failure. */
sqlite3_stmt *sqlite_query_prepare(struct store *st, struct sql_query *b, struct err *e);

/* ---- running statements; each resets the statement it steps ---- */

/* Reads the current row of q into out; strings go to the arena a. */
typedef void sqlite_row_reader(struct arena *a, sqlite3_stmt *q, void *out);

/* Steps q for at most one row: 1 with the row read into out by `read`
 * (NULL: only whether a row exists), 0 none (out untouched), -1 error. */
int sqlite_get_row(struct store *st, sqlite3_stmt *q, sqlite_row_reader *read, struct arena *a, void *out,
                   struct err *e);

/* The first column of q's first row as an integer: 1 (*out set), 0 no row
 * (*out untouched), -1 error. */
int sqlite_get_int(struct store *st, sqlite3_stmt *q, int64_t *out, struct err *e);

/* The first column of every row of q as strings in a: *out[0..*n). */
bool sqlite_get_texts(struct store *st, struct arena *a, sqlite3_stmt *q, const char ***out, size_t *n, struct err *e);

/* A count: the first column of q's only row. A missing row is an engine
 * error like any other (e filled). Returns bool. */
bool sqlite_get_count(struct store *st, sqlite3_stmt *q, int64_t *out, struct err *e);

/* sqlite_get_count on b prepared fresh (sqlite_query_prepare) and
 * finalized; b->sql is freed. */
bool sqlite_query_count(struct store *st, struct sql_query *b, int64_t *out, struct err *e);

/* "SELECT count(*)" followed by w->sql (a FROM and WHERE) with w's values,
 * as a cached statement; w is left as it was. */
bool sqlite_query_count_where(struct store *st, const struct sql_query *w, int64_t *out, struct err *e);

/* Whether q returns a row: 1, 0, -1 error. */
int sqlite_exists(struct store *st, sqlite3_stmt *q, struct err *e);

/* Whether the literal `sql` finds a row for $1 = value (text) and
 * $2 = except_id (the row to leave out): the uniqueness checks. 1, 0, -1. */
int sqlite_taken(struct store *st, const char *sql, const char *value, int64_t except_id, struct err *e);

/* Whether the literal `sql` finds a row for $1 = id1 and $2 = id2 (an
 * edge, or an id held by another row). 1, 0, -1. */
int sqlite_exists_ids(struct store *st, const char *sql, int64_t id1, int64_t id2, struct err *e);

/* Steps a statement expected to finish (INSERT/UPDATE/DELETE). */
bool sqlite_exec_stmt(struct store *st, sqlite3_stmt *q, struct err *e, const char *what);

/* ---- read snapshots ---- */

/* Makes the reads until sqlite_snapshot_end see one state of the database
 * (a count and its page agree). Outside a transaction it opens a read
 * transaction and sets *own; inside the caller's transaction, which already
 * is one, it does nothing. False with e filled if it cannot begin. */
bool sqlite_snapshot_begin(struct store *st, bool *own, struct err *e);
/* Ends what sqlite_snapshot_begin opened (nothing unless own). */
void sqlite_snapshot_end(struct store *st, bool own);

/* The data version (SQLITE_FCNTL_DATA_VERSION) of the open read
 * transaction into *out: it moves with every commit by any connection or
 * process, so a cache filled at one version is valid while it holds. False
 * outside a read transaction (write transactions included) or if it cannot
 * be read. */
bool sqlite_read_data_version(sqlite3 *db, unsigned *out);

/* The start of a page of a composed list: opens the read snapshot (as
 * sqlite_snapshot_begin) and counts the rows of w (a FROM and WHERE) into
 * *count, so that the page read next agrees with it. The caller ends the
 * snapshot after the page; on false it is already ended (*own false). */
bool sqlite_page_begin(struct store *st, const struct sql_query *w, int64_t *count, bool *own, struct err *e);

/* ---- columns and values ---- */

/* Column i as an arena string, NULL for SQL NULL. */
const char *sqlite_col_text(struct arena *a, sqlite3_stmt *q, int i);

/* Binds a string (copied) or NULL. */
void sqlite_bind_text_or_null(sqlite3_stmt *q, int i, const char *s);
/* Binds a string (not copied: it must outlive q's execution) or NULL. */
void sqlite_bind_text_or_static(sqlite3_stmt *q, int i, const char *s);

/* The users columns, in the order sqlite_user_from_row reads them (the
 * tag ids last, column 32), with
 * the private members (email and email_isvalid, position_lat and
 * position_lng), the credentials (password_hash, tokens_valid_after) and
 * the connection counters (connections_counter and the requests' two)
 * given as SQL text: the columns or constants in their place. */
#define USER_COLUMNS_OF(email, position, credentials, connection_counters)                                         \
    "id, username, real_name, " email ", date_joined_us, bio, location, location_lat, location_lng, " position     \
    ", date_of_birth, description, gender, status, website, avatar, cover, ext_id, reputation, role, " credentials \
    ", followers_counter, followings_counter, " connection_counters                                                \
    ", posts_counter, discussions_counter, categories_counter, tag_ids"
#define USER_CONNECTION_COUNTERS \
    "connections_counter, connection_requests_sent_counter, connection_requests_received_counter"
#define USER_COLUMNS_WITH(email, position, credentials) \
    USER_COLUMNS_OF(email, position, credentials, USER_CONNECTION_COUNTERS)
#define USER_COLUMNS \
    USER_COLUMNS_WITH("email, email_isvalid", "position_lat, position_lng", "password_hash, tokens_valid_after")
/* The columns of a page of users, which no one logs in with: no
 * credentials (NULL and 0 in their place). */
#define USER_PAGE_COLUMNS USER_COLUMNS_WITH("email, email_isvalid", "position_lat, position_lng", "NULL, 0")
/* A page of users for an anonymous caller, who sees no private member:
 * neither those nor the credentials. */
#define USER_PUBLIC_COLUMNS USER_COLUMNS_WITH("NULL, 0", "NULL, NULL", "NULL, 0")
/* The same two for a caller in follow mode, who writes no connection
 * counter (0 in their place). */
#define USER_PAGE_FOLLOW_COLUMNS \
    USER_COLUMNS_OF("email, email_isvalid", "position_lat, position_lng", "NULL, 0", "0, 0, 0")
#define USER_PUBLIC_FOLLOW_COLUMNS USER_COLUMNS_OF("NULL, 0", "NULL, NULL", "NULL, 0", "0, 0, 0")

/* Fills u from a row selected with USER_COLUMNS (first column at `col`). */
void sqlite_user_from_row(struct arena *a, sqlite3_stmt *q, int col, struct user *u);
/* Which columns of a row hold values: all of USER_COLUMNS, those of
 * USER_PAGE_COLUMNS (no credentials) or of USER_PUBLIC_COLUMNS (no private
 * members either); SQLITE_USER_NO_CONNECTION_COUNTERS added for the
 * *_FOLLOW_COLUMNS. */
enum sqlite_user_cols {
    SQLITE_USER_ALL = 0,
    SQLITE_USER_PAGE = 1,
    SQLITE_USER_PUBLIC = 2,
    SQLITE_USER_NO_CONNECTION_COUNTERS = 4,
};
/* sqlite_user_from_row for a row of the page columns above (cols says
 * which): the constants in place of the columns left out are not read, and
 * their members stay zero. */
void sqlite_user_page_from_row(struct arena *a, sqlite3_stmt *q, int col, struct user *u, unsigned cols);
/* sqlite_user_from_row at column 0, as a reader for sqlite_get_row. */
sqlite_row_reader sqlite_read_user;

/* ---- categories ---- */

/* Calls fn (subject "category") for every category whose stored
 * followers_counter differs from its follows by active users; returns the
 * number of differences, -1 on error. Read-only, one statement. */
int64_t sqlite_category_counters_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e);

/* ---- tags ---- */

/* Calls fn (subject "user", name "tag_ids", the numbers of ids stored and
 * of user_tags rows) for every user whose users.tag_ids (migration 025)
 * differs from its user_tags rows; returns the number of differences, -1
 * on error. Read-only, one statement. */
int64_t sqlite_tag_ids_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e);

#endif
