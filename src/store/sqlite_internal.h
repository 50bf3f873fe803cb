/* sqlite_internal.h - what the SQLite backend's files share: the connection
 * struct, the statement cache and small row helpers. Only src/store/sqlite*.c
 * include it. */
#ifndef HEARTH_STORE_SQLITE_INTERNAL_H
#define HEARTH_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/user.h"

enum {
    STORE_BUSY_TIMEOUT_MS = 5000, /* writers wait this long for the write lock */
    STORE_BUSY_POLL_MS = 1,       /* and retry this often (see busy_wait in sqlite.c) */
    STORE_STMT_CACHE = 256,       /* distinct cached statements per connection */
    STORE_TEXT_STMT_CACHE = 64,   /* composed statements (filter combinations) per connection */
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

struct store {
    sqlite3 *db;
    struct cached_stmt cache[STORE_STMT_CACHE];
    struct text_stmt text_cache[STORE_TEXT_STMT_CACHE];
    unsigned text_next; /* round-robin eviction */
};

/* Fills e from the engine's error: 507 storage_full for SQLITE_FULL, 503
 * unavailable for SQLITE_IOERR (both logged at most once per interval, see
 * core/fault.h), otherwise a logged generic 500. Returns false. */
bool sqlite_fail(struct store *st, struct err *e, const char *what);

/* Prepares `sql`, reading `$N` placeholders as parameter N (PostgreSQL's
 * meaning) whatever order they appear in. Returns an SQLite result code. */
int sqlite_prepare(struct store *st, const char *sql, bool persistent, sqlite3_stmt **out);

/* The cached, reset statement for the literal `sql` (cached by address:
 * pass string literals only), or NULL with e filled. */
sqlite3_stmt *sqlite_stmt(struct store *st, const char *sql, struct err *e);

/* Like sqlite_stmt for SQL composed at run time: cached by its text (a few
 * dozen filter combinations), so the same shape is parsed once. Keep values
 * out of the text (bind them), or every call is a new shape. The statement
 * belongs to the cache: reset, never finalize it. */
sqlite3_stmt *sqlite_stmt_text(struct store *st, const char *sql, struct err *e);

/* Column i as an arena string, NULL for SQL NULL. */
const char *sqlite_col_text(struct arena *a, sqlite3_stmt *q, int i);

/* Binds a string or NULL. */
void sqlite_bind_text_or_null(sqlite3_stmt *q, int i, const char *s);

/* Steps a statement that returns no rows or whether a row exists:
 * 1 row, 0 none, -1 error. Resets it. */
int sqlite_exists(struct store *st, sqlite3_stmt *q, struct err *e);

/* Steps a statement expected to finish (INSERT/UPDATE/DELETE); resets it. */
bool sqlite_exec_stmt(struct store *st, sqlite3_stmt *q, struct err *e, const char *what);

/* The users columns, in the order sqlite_user_from_row reads them. */
#define USER_COLUMNS                                                                                            \
    "id, username, real_name, email, email_isvalid, date_joined_us, bio, location, location_lat, location_lng, " \
    "position_lat, position_lng, date_of_birth, description, gender, status, website, avatar, cover, ext_id, "    \
    "reputation, role, password_hash, tokens_valid_after, followers_counter, followings_counter, "                \
    "connections_counter, connection_requests_sent_counter, connection_requests_received_counter, "              \
    "posts_counter, discussions_counter, categories_counter"

/* Fills u from a row selected with USER_COLUMNS (first column at `col`). */
void sqlite_user_from_row(struct arena *a, sqlite3_stmt *q, int col, struct user *u);

#endif
