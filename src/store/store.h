/* store.h - the storage interface. All SQL lives behind it.
 *
 * One `struct store` is one database connection, used by one thread at a
 * time (each HTTP worker and each password worker owns one). The SQLite
 * backend is src/store/sqlite.c; a PostgreSQL backend would implement this
 * same header. Results are copied into the caller's arena.
 *
 * Conventions: functions returning bool fill `e` on failure (500 for engine
 * errors, whose details go to the log, never to clients). Lookups return
 * an int: 1 found, 0 not found, -1 error (e filled).
 *
 * Each declaration states its contract in three words:
 *   Tx       in: must run inside the caller's write transaction
 *                (store_begin ... store_commit), with the other statements
 *                of the same change;
 *            any: inside or outside one (alone, a statement is its own);
 *            snapshot: its reads must agree (a count and its page), so it
 *                runs them in one read snapshot: the caller's transaction,
 *                or one it opens and ends itself;
 *            own: it opens its own transactions: call it outside one.
 *   Alloc    what it allocates and where. "in a": the caller's arena,
 *            released with it (nothing to free by hand); "none": nothing
 *            outlives the call; heap allocations say who frees them.
 *   Returns  bool: true, or false with e filled; lookup: 1 found (out
 *            filled), 0 not found (out untouched), -1 error (e filled);
 *            count: >= 0, or -1 with e filled.
 * Seeding is declared in store/seed.h, the hooks for tests and audits in
 * store/test_hooks.h.
 */
#ifndef HEARTH_STORE_STORE_H
#define HEARTH_STORE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/avatar.h"
#include "model/user.h"

struct store;

/* Opens the database `path` names: a postgresql:// or postgres:// URL is
 * a PostgreSQL database (libpq's URL, the password from it or from
 * PGPASSWORD or ~/.pgpass), anything else an SQLite file.
 * SQLite: opens (creating if needed) the database at `path`: WAL, foreign keys,
 * busy timeout, and the helper SQL functions. NULL with e filled on failure.
 * Tx: none yet. Alloc: heap (the connection, its statement caches);
 * store_close frees it. Returns: the store, or NULL with e filled. */
struct store *store_open(const char *path, struct err *e);
/* Whether `db` (a --db value) names a PostgreSQL database: a
 * postgresql:// or postgres:// URL. */
bool store_is_postgres(const char *db);

/* The database address for messages: `db` with the password of a
 * PostgreSQL URL replaced by "***" (a path is copied as it is). */
void store_address_redacted(const char *db, char *out, size_t size);

/* Tx: a transaction left open is rolled back by SQLite. Alloc: frees what
 * store_open made; NULL is a no-op. */
void store_close(struct store *st);

/* Applies every embedded migration not yet applied, each in a transaction.
 * Tx: own (one per migration): call outside a transaction. Alloc: none.
 * Returns: bool. */
bool store_migrate(struct store *st, struct err *e);

/* Runs an administrator's SQL script (`hearth sql`) on this connection, so
 * the SQL functions the schema's triggers call are available, and writes
 * each result row to `out`: columns joined by '|' (sqlite3's list mode), or
 * with `json` one JSON array of row objects per statement that returns rows.
 * Tx: the script's own (autocommit unless it begins one). Alloc: none
 * (rows go to out). Returns: bool; a statement that fails gives 400
 * "invalid" with the engine's message. */
bool store_exec_script(struct store *st, const char *sql, bool json, FILE *out, struct err *e);

/* Copies the whole database to `path` while others may keep reading and
 * writing it (SQLite's online backup API): into a temporary file beside
 * `path`, synced, then renamed onto it, so `path` is never a partial copy.
 * An existing `path` is refused (400) unless `overwrite`.
 * Tx: its own read snapshot. Alloc: none. Returns: bool. */
bool store_backup(struct store *st, const char *path, bool overwrite, struct err *e);

/* Write transactions (BEGIN IMMEDIATE). Rollback is safe without a begin.
 * Tx: begin must be called outside one. Alloc: none. Returns: bool (begin,
 * commit); a failed commit rolls back. */
bool store_begin(struct store *st, struct err *e);
bool store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);

/* A read transaction for the statements that follow (one snapshot of the
 * database, one check of the file), ended by store_rollback or
 * store_commit. It takes no lock until the first statement reads.
 * store_begin ends it before writing (the writes then see the newest
 * state), so a request may open one and still write.
 * Tx: ends any transaction open. Alloc: none. Returns: bool. */
bool store_read_begin(struct store *st, struct err *e);
/* Ends the request: a read transaction store_read_begin opened is ended
 * (committed if a statement wrote in it), and any other transaction left
 * open is rolled back, as store_rollback. Tx: ends any. Alloc: none. */
void store_read_end(struct store *st);

/* Whether a failed request may simply run again: PostgreSQL rolled its
 * transaction back because another writer met it (serialization failure,
 * deadlock, a lock wait past its bound). The request layer retries up to
 * STORE_CONFLICT_RETRIES times before answering the 503 in e. Never true
 * on SQLite. */
enum { STORE_CONFLICT_RETRIES = 3 };
bool store_error_retryable(const struct err *e);

/* Locks the rows of the users a write transaction is about to change,
 * after store_begin and before reading the state the write depends on
 * (their statuses, an edge, a counter): two writers of the same users then
 * run one after the other, as they do under SQLite's single writer. `ids`
 * may hold duplicates and zeros (skipped); they are locked in id order, so
 * two transactions locking the same users cannot deadlock. SQLite: no-op
 * (BEGIN IMMEDIATE already serializes writers).
 * Tx: in. Alloc: none. Returns: bool. */
bool store_lock_users(struct store *st, const int64_t *ids, size_t n, struct err *e);

/* Durability of commits, for every store_open after the call (set once at
 * start): false (the default) is SQLite's synchronous=NORMAL in WAL mode,
 * which survives a crash of the process but may lose the last commits on
 * a power loss or OS crash; true is synchronous=FULL, which syncs the log
 * on every commit. On PostgreSQL, false keeps the server's
 * synchronous_commit and true sets it to on for hearth's sessions. */
void store_set_sync_full(bool full);

/* ---- users ---- */

/* Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_user_get(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e);

/* A user by username or email (case-insensitive), any status.
 * Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_user_get_by_login(struct store *st, struct arena *a, const char *login, struct user *out, struct err *e);

/* Whether another user (not hard-deleted, id != except_id) holds the value.
 * Tx: any; inside the writing transaction for a check that holds. Alloc:
 * none. Returns: lookup (1 taken). */
int store_user_username_taken(struct store *st, const char *username, int64_t except_id, struct err *e);
int store_user_email_taken(struct store *st, const char *email, int64_t except_id, struct err *e);
int store_user_ext_id_taken(struct store *st, int64_t ext_id, int64_t except_id, struct err *e);

/* Inserts a user from u's username, email, password_hash, role, ext_id
 * (other fields default); sets date_joined to now.
 * Tx: any. Alloc: none; *id set. Returns: bool; a UNIQUE conflict is 400
 * "unique". */
bool store_user_insert(struct store *st, const struct user *u, int64_t *id, struct err *e);

/* Tx: any. Alloc: none. Returns: count. */
int64_t store_user_count(struct store *st, struct err *e);

/* Counters (kept in the user row, changed in the same transaction as the
 * edge) obey one invariant, which these two functions compute from the
 * edges: a counter counts only edges whose other user is active (a or b).
 *   followers_counter    follows.followed_id = U, follower active
 *   followings_counter   follows.follower_id = U, followed active
 *   connections_counter  connections.user_id = U, other active
 *   connection_requests_sent_counter      requests from U (rejected ones too, §9), to an active user
 *   connection_requests_received_counter  requests to U not rejected, from an active user
 *   posts_counter / discussions_counter   U's posts of that type not deleted
 *   categories_counter   U's category follows of categories not deleted
 * Recomputes and stores U's counters (use inside the transaction that
 * changed the edges or a related user's status).
 * Tx: in. Alloc: none. Returns: bool. */
bool store_user_counters_recompute(struct store *st, int64_t user_id, struct err *e);

/* A stored count that differs from what the tables give: whose it is
 * (`subject` "user" or "category", and its id) and which count. */
typedef void store_counter_fn(void *ctx, const char *subject, int64_t id, const char *name, int64_t stored,
                              int64_t actual);

/* Calls fn for every user whose stored counters differ from the recomputed
 * ones (name is the counter's column name), then for every maintained list
 * count that differs from the tables (see sqlite_list.h), then for every
 * category whose followers_counter (its follows by active users, kept by
 * the triggers of migration 009) differs; returns the number of
 * differences, -1 on error. Read-only.
 * Tx: any (one statement: one snapshot). Alloc: none; fn's strings are
 * static. Returns: count. */
int64_t store_user_counters_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e);

/* Lists users with status a or b matching f (see model/user.h).
 * Tx: snapshot (count and page agree). Alloc: out->items and their strings
 * in a (room for f->limit). Returns: bool. */
bool store_user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                     struct err *e);

/* ---- OAuth clients and tokens ---- */

struct oauth_client {
    int64_t id;
    const char *client_id;
    const char *secret_hash; /* NULL for public clients */
    const char *name;
};

/* Tx: any. Alloc: none. Returns: bool. */
bool store_client_insert(struct store *st, const char *client_id, const char *secret_hash, const char *name,
                         struct err *e);
/* Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_client_get(struct store *st, struct arena *a, const char *client_id, struct oauth_client *out, struct err *e);

struct oauth_token {
    int64_t id;
    int64_t user_id;
    int64_t client_id; /* oauth_clients.id */
    int64_t access_expires, refresh_expires;
};

/* Tx: any. Alloc: none; *id set. Returns: bool. */
bool store_token_insert(struct store *st, const struct oauth_token *t, const char *access_hash,
                        const char *refresh_hash, int64_t *id, struct err *e);
/* Tx: any. Alloc: none (out holds numbers only). Returns: lookup (each). */
int store_token_by_access(struct store *st, const char *access_hash, struct oauth_token *out, struct err *e);
int store_token_by_refresh(struct store *st, const char *refresh_hash, struct oauth_token *out, struct err *e);
/* Tx: any. Alloc: none. Returns: bool. */
bool store_token_delete(struct store *st, int64_t id, struct err *e);
/* Deletes the token pairs whose refresh token expired before `now`.
 * Tx: any. Alloc: none. Returns: bool. */
bool store_token_purge_expired(struct store *st, int64_t now, struct err *e);

/* Deletes every token of the user except `except_id` (0 = all).
 * Tx: any; in the transaction that changes the password or status. Alloc:
 * none. Returns: bool. */
bool store_token_delete_user(struct store *st, int64_t user_id, int64_t except_id, struct err *e);

/* ---- dynamic preferences ---- */

struct pref {
    int64_t id;
    const char *section;
    const char *name;
    json_t *value; /* owned by the arena */
};

/* Tx: any. Alloc: *out (n entries), strings and values in a (json values
 * released with a). Returns: bool. */
bool store_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e);
/* Served from the connection's cache of the preferences, validated against
 * the database's preference version once per transaction (every change of
 * prefs, from any process, bumps it; outside a transaction, once per call).
 * Tx: any. Alloc: out's strings and value in a. Returns: lookup (each). */
int store_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out,
                   struct err *e);
int store_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e);
/* Tx: any. Alloc: none (value is copied). Returns: bool. */
bool store_pref_set(struct store *st, int64_t id, const json_t *value, struct err *e);

/* ---- account: profile updates, deletes, email, password, settings ---- */

/* (account) */

/* Writes the profile columns of u (real_name and its fold, bio, location,
 * location/position coordinates, date_of_birth, description, gender,
 * website, avatar, cover) to the row u->id.
 * Tx: in (with the fold and search index updates its triggers make).
 * Alloc: none. Returns: bool. */
bool store_account_profile_write(struct store *st, const struct user *u, struct err *e);

/* The ids of every other user joined to `user_id` by a follow, connection
 * or connection request, in either direction (whose counters a change of
 * its status or edges can move). *ids is an arena array.
 * Tx: in (the ids must still be related when their counters are fixed).
 * Alloc: *ids in a. Returns: bool. */
bool store_account_related_users(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, size_t *n,
                                 struct err *e);

/* Soft delete: status d, every OAuth token and the pending email change
 * deleted, JWTs issued before `now` (seconds) invalid. Edges stay.
 * Tx: in. Alloc: none. Returns: bool. */
bool store_account_soft_delete(struct store *st, int64_t user_id, int64_t now, struct err *e);

/* Hard delete: deletes every row of the user in follows, connections,
 * connection_requests and hides (both directions), user_tags,
 * category_follows, posts (and their post_categories), user_settings,
 * email_changes and oauth_tokens; turns the row into a tombstone (status u,
 * profile, email, ext_id, role, password and counters cleared; username kept
 * but released by the partial unique indexes). Run inside a transaction.
 * Tx: in. Alloc: none. Returns: bool. */
bool store_account_hard_delete(struct store *st, int64_t user_id, int64_t now, struct err *e);

/* Sets the email (and its fold) and email_isvalid. 400 "unique" if another
 * user holds the address.
 * Tx: any. Alloc: none. Returns: bool. */
bool store_account_set_email(struct store *st, int64_t user_id, const char *email, bool valid, struct err *e);

/* Sets the password hash and tokens_valid_after (seconds).
 * Tx: any; in the transaction that deletes the other tokens. Alloc: none.
 * Returns: bool. */
bool store_account_set_password(struct store *st, int64_t user_id, const char *hash, int64_t valid_after,
                                struct err *e);

/* A pending email change (contract §7): one per user. */
struct email_change {
    const char *new_email;
    const char *code_hash; /* token_hash_hex of the validation code */
    int64_t expires_us;
    int attempts; /* wrong codes so far */
};

/* Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_email_change_get(struct store *st, struct arena *a, int64_t user_id, struct email_change *out, struct err *e);
/* Inserts or replaces the user's pending change (attempts back to 0).
 * Tx: any. Alloc: none. Returns: bool (put, count_attempt, delete). */
bool store_email_change_put(struct store *st, int64_t user_id, const struct email_change *c, struct err *e);
bool store_email_change_count_attempt(struct store *st, int64_t user_id, struct err *e);
bool store_email_change_delete(struct store *st, int64_t user_id, struct err *e);

/* Notification settings (schemas/userSettings.md), in the order of
 * settings_names (domain/settings.h). get: 1 with the stored row, 0 when the
 * user has none yet (out untouched). put: inserts or replaces the row. */
enum { STORE_SETTINGS_COUNT = 7 };
/* Tx: any. Alloc: none. Returns: get a lookup, put a bool. */
int store_settings_get(struct store *st, int64_t user_id, int out[STORE_SETTINGS_COUNT], struct err *e);
bool store_settings_put(struct store *st, int64_t user_id, const int values[STORE_SETTINGS_COUNT], struct err *e);

/* ---- graph: follows, connections, hides, counters ---- */

/* (graph) */

/* The status (a, b, d, u) of each of two users, read in the current
 * transaction; '\0' for an id that does not exist.
 * Tx: in (the statuses must hold until the edge change commits). Alloc:
 * none. Returns: bool. */
bool store_graph_statuses(struct store *st, int64_t a_id, int64_t b_id, enum user_status *a_status,
                          enum user_status *b_status, struct err *e);

/* Adds the deltas to the user's graph counters (same transaction as the
 * edge change; see the invariant above store_user_counters_recompute). */
struct graph_counter_delta {
    int64_t followers, followings, connections, requests_sent, requests_received;
};
/* Tx: in. Alloc: none. Returns: bool. */
bool store_graph_counters_add(struct store *st, int64_t user_id, const struct graph_counter_delta *d, struct err *e);

/* Edges. The *_exists lookups return 1, 0 or -1 (error).
 * Tx: in (each: the rules read and write the edges in one transaction).
 * Alloc: none. Returns: the *_exists and store_graph_connected lookups
 * 1/0/-1; the others bool. */
int store_graph_follow_exists(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e);
bool store_graph_follow_insert(struct store *st, int64_t follower_id, int64_t followed_id, int64_t now_us,
                               struct err *e);
bool store_graph_follow_delete(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e);

int store_graph_connected(struct store *st, int64_t user_id, int64_t other_id, struct err *e);
/* Both direction rows at once. */
bool store_graph_connection_insert(struct store *st, int64_t a_id, int64_t b_id, int64_t now_us, struct err *e);
bool store_graph_connection_delete(struct store *st, int64_t a_id, int64_t b_id, struct err *e);

/* A connection request row (contract §7, §9). Times 0 when unset. */
struct graph_request {
    int64_t id, from_user_id, to_user_id;
    int64_t created_us, rejected_us, viewed_us;
};
/* Tx: in, as the edges. Alloc: none. Returns: get a lookup, the others
 * bool. */
int store_graph_request_get(struct store *st, int64_t from_id, int64_t to_id, struct graph_request *out, struct err *e);
bool store_graph_request_insert(struct store *st, int64_t from_id, int64_t to_id, int64_t now_us, struct err *e);
bool store_graph_request_delete(struct store *st, int64_t id, struct err *e);
/* Sets rejected_us (0 clears it: the request is pending again). */
bool store_graph_request_set_rejected(struct store *st, int64_t id, int64_t rejected_us, struct err *e);
/* Sets viewed_us unless already set (the first view is kept). */
bool store_graph_request_set_viewed(struct store *st, int64_t id, int64_t now_us, struct err *e);

/* Tx: in, as the edges. Alloc: none. Returns: exists a lookup, insert and
 * delete bool, count a count. */
int store_graph_hide_exists(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e);
bool store_graph_hide_insert(struct store *st, int64_t user_id, int64_t hidden_id, int64_t now_us, struct err *e);
bool store_graph_hide_delete(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e);
/* How many users `user_id` hides (any status). -1 on error. */
int64_t store_graph_hide_count(struct store *st, int64_t user_id, struct err *e);

/* The viewer's relations to a set of users, as (id, kind) rows; only
 * users with status a or b appear. A user may appear with several kinds.
 * follow_mode: only GRAPH_REL_FOLLOWS rows (the one kind that mode shows);
 * else only the other three (the connection kinds). */
enum graph_relation_kind {
    GRAPH_REL_FOLLOWS = 1, /* viewer follows them */
    GRAPH_REL_CONNECTED,   /* connected */
    GRAPH_REL_SENT,        /* a request from the viewer exists (pending or rejected) */
    GRAPH_REL_RECEIVED,    /* a pending (not rejected) request from them exists */
};
struct graph_relation_row {
    int64_t user_id;
    enum graph_relation_kind kind;
};
/* Tx: any. Alloc: *rows (*nrows, at most 3n) in a. Returns: bool. */
bool store_graph_relations(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *ids,
                           int n, struct graph_relation_row **rows, int *nrows, struct err *e);

/* Lists of users: whose edges, as seen by whom. */
enum graph_list_kind {
    GRAPH_LIST_FOLLOWERS,   /* users following user_id */
    GRAPH_LIST_FOLLOWINGS,  /* users user_id follows */
    GRAPH_LIST_CONNECTIONS, /* users connected to user_id */
    GRAPH_LIST_HIDDEN,      /* users user_id hides (viewer_id and mutual are ignored) */
};
struct graph_list_query {
    enum graph_list_kind kind;
    int64_t user_id;
    int64_t viewer_id; /* leaves out users the viewer hides; 0 = anonymous */
    bool mutual;       /* users the viewer follows (connections: is connected to) first */
    bool follow_mode;  /* the caller writes followers/followings counters only: the
                        * connection counters may be left 0 */
    int limit, offset;
    const char *cursor; /* the keyset cursor (store/list_plan.h) the client passed, NULL = none */
};
/* Active users (a, b) of the list, newest edge first (then user id,
 * descending). count comes from user_id's counters (exact by the
 * invariant) minus the viewer's hidden users in the list, so that no page
 * needs to scan the whole edge list.
 * The users carry no credentials (password_hash NULL, tokens_valid_after
 * 0), and for an anonymous viewer may carry no private members either
 * (email, email_isvalid, position: only the user and admins see them).
 * Tx: snapshot (counters and page agree). Alloc: out->items (room for
 * q->limit) and their strings in a. Returns: bool. */
bool store_graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *q, struct user_page *out,
                           struct err *e);

/* Whether text is a keyset cursor this server made (the `cursor` of
 * user_filter and graph_list_query): of the user list (list -1; whether
 * it is of the page's ordering is the list's own check), or of the edge
 * list `list` (enum graph_list_kind) of owner. Engine-neutral (no
 * connection). Tx: none. Alloc: in a. Returns: bool (false: the field
 * `cursor` invalid). */
bool store_list_cursor_check(struct arena *a, const char *text, int list, int64_t owner, struct err *e);

/* Ids of the active users `user_id` hides, newest first, at most max.
 * Tx: any. Alloc: *ids (room for max) in a. Returns: bool. */
bool store_graph_hidden_ids(struct store *st, struct arena *a, int64_t user_id, int max, int64_t **ids, int *n,
                            struct err *e);

/* Connection requests of user_id, newest first, with the other user
 * loaded: received = pending requests to user_id from active users;
 * sent = requests from user_id (rejected ones too) to active users.
 * count comes from user_id's counters (same invariant). */
struct graph_request_item {
    struct graph_request r;
    struct user other; /* the sender (received) or the recipient (sent) */
};
struct graph_request_page {
    int64_t count;
    struct graph_request_item *items;
    int n;
};
/* Tx: snapshot (counter and page agree). Alloc: out->items (room for
 * limit) and their strings in a. Returns: bool. */
bool store_graph_request_list(struct store *st, struct arena *a, int64_t user_id, bool sent, int limit, int offset,
                              struct graph_request_page *out, struct err *e);

/* ---- tags and user search ---- */

struct tag;
struct tag_filter;
struct tag_page;
struct user_tag;
struct search_query;
struct search_page;

/* Tags (model/tag.h). Insert and update fill e with 400 `unique` on the
 * name field when (type, name) is taken.
 * Tx: any. Alloc: none; *id set. Returns: bool. */
bool store_tag_insert(struct store *st, const struct tag *t, int64_t *id, struct err *e);
/* Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_tag_get(struct store *st, struct arena *a, int64_t id, struct tag *out, struct err *e);
/* Tx: any. Alloc: none. Returns: bool. */
bool store_tag_update(struct store *st, const struct tag *t, struct err *e);
/* Tags matching f, by id.
 * Tx: snapshot (count and page agree). Alloc: out->items (room for
 * f->limit) and their strings in a. Returns: bool. */
bool store_tag_list(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out, struct err *e);
/* Gives the tag to the user (idempotent) / takes it away (no-op if absent).
 * Tx: any (each). Alloc: none. Returns: bool. */
bool store_tag_assign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e);
bool store_tag_unassign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e);
/* The tags (not deleted) of users[0..n), in that order of users, then by
 * tag id. *out is an arena array of *nout entries.
 * Tx: any; inside a snapshot to agree with the page it decorates. Alloc:
 * *out and its strings in a. Returns: bool. */
bool store_tag_of_users(struct store *st, struct arena *a, const int64_t *users, int n, struct user_tag **out,
                        int *nout, struct err *e);
/* The tags whose ids are ids[0..n) (distinct), deleted ones included, in
 * the order of ids; an id without a tag is left out. *out is an arena
 * array of *nout entries. The pages of users whose rows carry their tag ids
 * (struct user's tag_ids) decorate them with these, instead of
 * store_tag_of_users.
 * Tx: any. Alloc: *out and its strings in a. Returns: bool. */
bool store_tag_by_ids(struct store *st, struct arena *a, const int64_t *ids, int n, struct tag **out, int *nout,
                      struct err *e);

/* Searches users (model/search.h): exact count and one page, read in one
 * transaction from the 005_search indexes.
 * Tx: snapshot (count and page agree). Alloc: out->items, out->distance
 * and their strings in a. Returns: bool. */
bool store_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                        struct err *e);

/* ---- suggestions (sqlite_suggestion.c) ---- */

/* The graph of user suggestions is the community mode's: follows in follow
 * mode, connections in friendship mode. A user may be suggested to the
 * viewer when approved (status a: not blocked, not deleted), not the
 * viewer, not hidden by the viewer nor hiding the viewer, and not related:
 * not followed by the viewer (follow mode), or not connected and with no
 * connection request either way, pending or rejected (friendship mode).
 * The popularity of a user is the mode's counter: followers_counter, or
 * connections_counter. Read these in one snapshot (a GET handler runs in
 * one) for a count and its page to agree. */

/* The users at the end of the viewer's second-degree edges: of the
 * viewer's newest `first_max` edges to visible users (a, b), each of those
 * users' newest `second_max` edges; one entry per edge, so a user reached
 * through k of them appears k times. Entries may be the viewer or users
 * that may not be suggested. At most first_max * second_max index steps.
 * Tx: any. Alloc: *ids (at most first_max * second_max) in a. Returns:
 * bool. */
bool store_suggestion_second_degree(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode,
                                    int first_max, int second_max, int64_t **ids, int *n, struct err *e);

struct suggestion_candidate {
    int64_t user_id;
    int64_t popularity; /* the mode's counter */
    int shared;         /* the domain's: second-degree edges reaching the user */
};
/* Those of ids[0..n) (distinct) that may be suggested, in no set order,
 * with their popularity (shared left 0). One primary-key probe per id.
 * Tx: any. Alloc: *out (room for n) in a. Returns: bool. */
bool store_suggestion_eligible(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode,
                               const int64_t *ids, int n, struct suggestion_candidate **out, int *nout, struct err *e);

/* How many users may be suggested: approved users (list_counts minus the
 * blocked, counted in their partial index) minus the approved users among
 * the viewer and the viewer's relations (the viewer's own edges).
 * Tx: any. Alloc: none. Returns: count. */
int64_t store_suggestion_count(struct store *st, int64_t viewer_id, bool follow_mode, struct err *e);

/* Users that may be suggested and are not in skip[0..nskip), most popular
 * first, then by id; `limit` of them from `offset`, into out (room for
 * limit). Walks the mode's popularity index (015_suggestion): offset +
 * limit + the users left out on the way, never the whole table.
 * Tx: any. Alloc: out's strings in a. Returns: bool. */
bool store_suggestion_popular(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode,
                              const int64_t *skip, int nskip, int limit, int64_t offset, struct user *out, int *n,
                              struct err *e);

/* How a category's name matches a search term (better first). */
enum suggestion_category_match {
    SUGGESTION_CATEGORY_EXACT,    /* the name is the term */
    SUGGESTION_CATEGORY_PREFIX,   /* the name starts with it */
    SUGGESTION_CATEGORY_CONTAINS, /* the name contains it */
    SUGGESTION_CATEGORY_SYNONYM,  /* only its name_synonyms contain it */
};
struct suggestion_category_hit {
    int64_t category_id;
    enum suggestion_category_match match;
};
/* Active categories (not deleted) whose name or name_synonyms contain the
 * folded term (compared folded: case and accents ignored): *count of them,
 * and `limit` from `offset` by match, then order, then id.
 * Tx: snapshot (count and page agree: run inside the caller's). Alloc:
 * *out (room for limit) in a. Returns: bool. */
bool store_suggestion_category_search(struct store *st, struct arena *a, const char *term, int limit, int offset,
                                      struct suggestion_category_hit **out, int *n, int64_t *count, struct err *e);

/* Active categories (not deleted) the viewer does not follow: *count of
 * them, and the ids of `limit` from `offset`, most active followers first
 * (005's maintained search_count), then id.
 * Tx: snapshot (count and page agree: run inside the caller's). Alloc:
 * *ids (room for limit) in a. Returns: bool. */
bool store_suggestion_category_unfollowed(struct store *st, struct arena *a, int64_t viewer_id, int limit, int offset,
                                          int64_t **ids, int *n, int64_t *count, struct err *e);

/* The visible users (a, b) whose folded username is one of folded[0..n)
 * (already folded, as username_fold), in the order of the names, leaving
 * out users the viewer hides or who hide the viewer. A user named twice
 * appears twice. One unique-index probe per name.
 * Tx: any. Alloc: *out (room for n) and its strings in a. Returns: bool. */
bool store_suggestion_match_usernames(struct store *st, struct arena *a, int64_t viewer_id, const char *const *folded,
                                      int n, struct user **out, int *nout, struct err *e);

/* ---- categories, posts and the feed ---- */

/* (posts) */

struct category;        /* model/category.h */
struct category_filter; /* model/category.h */
struct category_page;   /* model/category.h */
struct post;            /* model/post.h */
struct post_page;       /* model/post.h */

/* A category by id, deleted ones included.
 * Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_category_get(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e);

/* Whether another category (id != except_id, deleted ones included) has
 * this name (compared folded) or this slug (compared case-insensitively).
 * Tx: any; inside the writing transaction for a check that holds. Alloc:
 * none. Returns: lookup (1 taken; each). */
int store_category_name_taken(struct store *st, const char *name, int64_t except_id, struct err *e);
int store_category_slug_taken(struct store *st, const char *slug, int64_t except_id, struct err *e);

/* Inserts c (every column but id); sets c->id.
 * Tx: any. Alloc: none; c->id set. Returns: bool; a UNIQUE conflict is 400
 * "unique". */
bool store_category_insert(struct store *st, struct category *c, struct err *e);

/* Writes every column of c, found by c->id.
 * Tx: any. Alloc: none. Returns: bool; a UNIQUE conflict is 400 "unique". */
bool store_category_update(struct store *st, const struct category *c, struct err *e);

/* Adds delta to the categories_counter of every follower of the category:
 * its deleted flag is changing (counter invariant above). In the
 * transaction that changes the flag.
 * Tx: in. Alloc: none. Returns: bool. */
bool store_category_followers_counter_add(struct store *st, int64_t category_id, int delta, struct err *e);

/* Lists categories matching f (model/category.h).
 * Tx: snapshot (count and page agree). Alloc: out->items and their strings
 * in a. Returns: bool. */
bool store_category_list(struct store *st, struct arena *a, const struct category_filter *f, struct category_page *out,
                         struct err *e);

/* Whether the user follows the category: 1, 0, or -1 on error.
 * Tx: any; in the transaction of store_category_follow_set to act on it.
 * Alloc: none. Returns: lookup. */
int store_category_follow_exists(struct store *st, int64_t user_id, int64_t category_id, struct err *e);

/* Adds (follow) or removes the follow and moves the user's
 * categories_counter by one; the category must not be deleted. In a
 * transaction.
 * Tx: in. Alloc: none. Returns: bool. */
bool store_category_follow_set(struct store *st, int64_t user_id, int64_t category_id, bool follow, struct err *e);

/* The categories the user follows that are not deleted, by order then id,
 * at most max; *out in the arena.
 * Tx: any. Alloc: *out and its strings in a. Returns: bool. */
bool store_category_followed(struct store *st, struct arena *a, int64_t user_id, int max, struct category **out, int *n,
                             struct err *e);

/* The categories of a post (deleted ones included), by order then id.
 * Tx: any. Alloc: *out and its strings in a. Returns: bool. */
bool store_category_of_post(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n,
                            struct err *e);

/* Inserts p (type, author_id, title, slug, html, summary, times) with its
 * categories, and adds one to the author's posts_counter or
 * discussions_counter; sets p->id. In a transaction.
 * Tx: in. Alloc: none; p->id set. Returns: bool. */
bool store_post_insert(struct store *st, struct post *p, const int64_t *category_ids, int ncategories, struct err *e);

/* A post or discussion by id, deleted ones included.
 * Tx: any. Alloc: out's strings in a. Returns: lookup. */
int store_post_get(struct store *st, struct arena *a, int64_t id, struct post *out, struct err *e);

/* Marks p deleted and takes one from its author's counter. In a transaction.
 * Tx: in. Alloc: none. Returns: bool; 400 "already_deleted" when it was. */
bool store_post_soft_delete(struct store *st, const struct post *p, struct err *e);

/* The author's posts and discussions that are not deleted, newest first
 * (added, then id), with their total count.
 * Tx: snapshot (count and page agree). Alloc: out->items (room for limit)
 * and their strings in a. Returns: bool. */
bool store_post_by_author(struct store *st, struct arena *a, int64_t author_id, int limit, int offset,
                          struct post_page *out, struct err *e);

/* ---- hard deletes in batches (sqlite_account_purge.c) ---- */

/* Marks a hard delete of user_id as begun (account_purges); idempotent.
 * Tx: in. Alloc: none. Returns: bool. */
bool store_account_purge_mark(struct store *st, int64_t user_id, int64_t now_us, struct err *e);

/* Whether a hard delete of user_id has begun and not finished.
 * Tx: any. Alloc: none. Returns: lookup. */
int store_account_purge_marked(struct store *st, int64_t user_id, struct err *e);

/* Removes the mark.
 * Tx: in. Alloc: none. Returns: bool. */
bool store_account_purge_unmark(struct store *st, int64_t user_id, struct err *e);

/* The users whose hard delete has begun and not finished, oldest first.
 * Tx: any. Alloc: *ids in a. Returns: bool. */
bool store_account_purge_pending(struct store *st, struct arena *a, int64_t **ids, size_t *n, struct err *e);

/* Removes at most `limit` of user_id's edges (follows, connections,
 * connection requests, hides; both directions) and takes what they counted
 * from the counters of both ends, so that counters that equalled what the
 * edges give still do when the batch commits. *removed: edges removed
 * (< limit: none are left).
 * Tx: in (one batch per transaction). Alloc: none. Returns: bool. */
bool store_account_purge_batch(struct store *st, int64_t user_id, int limit, int64_t *removed, struct err *e);

/* ---- avatar gallery (sqlite_avatar.c) ---- */

/* A user's gallery: rows of user_avatars, at most one primary, whose file
 * users.avatar always equals (NULL when none is primary). Every function
 * that changes the primary writes both. */

/* A page of user_id's gallery, oldest first, and its size (*count).
 * Tx: snapshot. Alloc: *out (up to limit entries) and the files in a.
 * Returns: bool. */
bool store_avatar_list(struct store *st, struct arena *a, int64_t user_id, int limit, int offset,
                       struct user_avatar **out, int *n, int64_t *count, struct err *e);
/* The number of entries of user_id's gallery.
 * Tx: any (in, when the count bounds an insert). Alloc: none. Returns: count. */
int64_t store_avatar_count(struct store *st, int64_t user_id, struct err *e);
/* Entry avatar_id, if it belongs to user_id (someone else's is "not found").
 * Tx: any. Alloc: out->file in a. Returns: lookup. */
int store_avatar_get(struct store *st, struct arena *a, int64_t user_id, int64_t avatar_id, struct user_avatar *out,
                     struct err *e);
/* user_id's primary entry / newest entry (highest id).
 * Tx: any. Alloc: out->file in a. Returns: lookup. */
int store_avatar_primary(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e);
int store_avatar_newest(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e);
/* Adds a non-primary entry for `file`; *id is its id.
 * Tx: in. Alloc: none (file copied). Returns: bool. */
bool store_avatar_insert(struct store *st, int64_t user_id, const char *file, int64_t uploaded_us, int64_t *id,
                         struct err *e);
/* Makes avatar_id (an entry of user_id) the only primary and its file
 * users.avatar; avatar_id 0: none is primary and users.avatar is NULL.
 * Tx: in. Alloc: none. Returns: bool. */
bool store_avatar_set_primary(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e);
/* Removes entry avatar_id of user_id (users.avatar is the caller's: see
 * store_avatar_set_primary). Tx: in. Alloc: none. Returns: bool. */
bool store_avatar_delete(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e);
/* Removes every entry of user_id (hard delete); *files are their files,
 * for removal after the commit. Tx: in. Alloc: *files and the strings in a.
 * Returns: bool. */
bool store_avatar_purge(struct store *st, struct arena *a, int64_t user_id, const char ***files, size_t *n,
                        struct err *e);

/* ---- media housekeeping (sqlite_media.c) ---- */

/* Every media file name a row references (avatars and covers of every
 * user, tombstones included; the files of avatar galleries), sorted by
 * strcmp and without duplicates, as an arena array of arena strings.
 * Tx: any (read-only). Alloc: *names and the strings in a. Returns: bool. */
bool store_media_referenced(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e);

/* ---- provider associations and addressing tags (sqlite_provider.c) ---- */

struct provider_assoc; /* model/provider.h */

/* The user's associations, oldest first, at most max.
 * Tx: any. Alloc: *out and its strings in a. Returns: bool. */
bool store_provider_list(struct store *st, struct arena *a, int64_t user_id, int max, struct provider_assoc **out,
                         int *n, struct err *e);

/* Inserts p. A taken (provider, ext_id) is 400 "unique" on ext_id; a second
 * account of the same provider for the user is 400 "unique" on provider.
 * (A hard delete removes the rows: a trigger of migration 011.)
 * Tx: in (the first check holds until the insert). Alloc: none. Returns:
 * bool. */
bool store_provider_insert(struct store *st, const struct provider_assoc *p, struct err *e);

/* Deletes the user's association (provider, ext_id).
 * Tx: any. Alloc: none. Returns: lookup (1 deleted, 0 none). */
int store_provider_delete(struct store *st, int64_t user_id, const char *provider, const char *ext_id, struct err *e);

/* Active, not deleted tags of type user, by name then id, at most max:
 * every one (user_id 0), or those user_id carries that are also visible.
 * Tx: any. Alloc: *out and its strings in a. Returns: bool. */
bool store_tag_addressable(struct store *st, struct arena *a, int64_t user_id, int max, struct tag **out, int *n,
                           struct err *e);

/* ---- state several servers share (health, rate limits, secrets, first start) ---- */

/* A trivial query on this connection (GET /health): the database answers.
 * Tx: any. Alloc: none. Returns: bool (503 when it does not answer). */
bool store_ping(struct store *st, struct err *e);

/* Whether this backend keeps the failed-attempt counters of auth/ratelimit.h
 * for every server on the database: PostgreSQL (an UNLOGGED table,
 * auth_failures), not SQLite (one server per database file: the counters
 * stay in the process's memory, and store_ratelimit_* are not called). */
bool store_ratelimit_shared(struct store *st);

/* The counter of `key_hex` (a hash of the key, hex) if its window started
 * after `live_after` (now minus the window): 1 with *count and
 * *window_start, 0 none live, -1 error. Tx: none (each call commits on its
 * own: a failure counts even when the request's transaction rolls back;
 * call outside a transaction). Alloc: none. */
int store_ratelimit_get(struct store *st, const char *key_hex, int64_t live_after, int *count, int64_t *window_start,
                        struct err *e);
/* Counts one failure of `key_hex`: a new window starting at `now` when it
 * has none live (started at or before live_after), else one more. One
 * statement (an upsert), so concurrent servers never lose a count. Now and
 * then also deletes the expired counters. Tx: none, as above. Returns: bool. */
bool store_ratelimit_fail(struct store *st, const char *key_hex, int64_t now, int64_t live_after, struct err *e);
/* Forgets the counter of `key_hex`. Tx: none, as above. Returns: bool. */
bool store_ratelimit_reset(struct store *st, const char *key_hex, struct err *e);

/* The server secret `name`, shared by every server on the database: the
 * stored value, or `candidate` stored as it when there is none yet (the
 * first server to store one wins; the others read its value). Copied into
 * out[size]. Returns 1 with out filled, 0 when this backend keeps no
 * secrets (SQLite: one server per file; the data directory keeps them),
 * -1 error. Tx: none (own statements; call outside a transaction). */
int store_server_secret(struct store *st, const char *name, const char *candidate, char *out, size_t size,
                        struct err *e);

/* Around the first-start bootstrap (the first admin and OAuth client):
 * several servers starting at once on an empty database take turns, so
 * exactly one creates them (PostgreSQL: a session advisory lock; SQLite:
 * nothing: one server per database file). Tx: none.
 * Returns: bool (lock); unlock is safe without a lock. */
bool store_bootstrap_lock(struct store *st, struct err *e);
void store_bootstrap_unlock(struct store *st);

#endif
