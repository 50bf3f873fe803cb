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
 */
#ifndef HEARTH_STORE_STORE_H
#define HEARTH_STORE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/user.h"

struct store;

/* Opens (creating if needed) the database at `path`: WAL, foreign keys,
 * busy timeout, and the helper SQL functions. NULL with e filled on failure. */
struct store *store_open(const char *path, struct err *e);
void store_close(struct store *st);

/* Applies every embedded migration not yet applied, each in a transaction. */
bool store_migrate(struct store *st, struct err *e);

/* Write transactions (BEGIN IMMEDIATE). Rollback is safe without a begin. */
bool store_begin(struct store *st, struct err *e);
bool store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);

/* ---- users ---- */

int store_user_get(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e);

/* A user by username or email (case-insensitive), any status. */
int store_user_get_by_login(struct store *st, struct arena *a, const char *login, struct user *out, struct err *e);

/* Whether another user (not hard-deleted, id != except_id) holds the value. */
int store_user_username_taken(struct store *st, const char *username, int64_t except_id, struct err *e);
int store_user_email_taken(struct store *st, const char *email, int64_t except_id, struct err *e);
int store_user_ext_id_taken(struct store *st, int64_t ext_id, int64_t except_id, struct err *e);

/* Inserts a user from u's username, email, password_hash, role, ext_id
 * (other fields default); sets date_joined to now. */
bool store_user_insert(struct store *st, const struct user *u, int64_t *id, struct err *e);

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
 * changed the edges or a related user's status). */
bool store_user_counters_recompute(struct store *st, int64_t user_id, struct err *e);

/* Calls fn for every user whose stored counters differ from the recomputed
 * ones (name is the counter's column name); returns the number of
 * differences, -1 on error. Read-only. */
int64_t store_user_counters_check(struct store *st, void (*fn)(void *ctx, int64_t user_id, const char *name,
                                                               int64_t stored, int64_t actual),
                                  void *ctx, struct err *e);

/* Lists users with status a or b matching f (see domain/user.h). */
bool store_user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out,
                     struct err *e);

/* ---- OAuth clients and tokens ---- */

struct oauth_client {
    int64_t id;
    const char *client_id;
    const char *secret_hash; /* NULL for public clients */
    const char *name;
};

bool store_client_insert(struct store *st, const char *client_id, const char *secret_hash, const char *name,
                         struct err *e);
int store_client_get(struct store *st, struct arena *a, const char *client_id, struct oauth_client *out,
                     struct err *e);

struct oauth_token {
    int64_t id;
    int64_t user_id;
    int64_t client_id; /* oauth_clients.id */
    int64_t access_expires, refresh_expires;
};

bool store_token_insert(struct store *st, const struct oauth_token *t, const char *access_hash,
                        const char *refresh_hash, int64_t *id, struct err *e);
int store_token_by_access(struct store *st, const char *access_hash, struct oauth_token *out, struct err *e);
int store_token_by_refresh(struct store *st, const char *refresh_hash, struct oauth_token *out, struct err *e);
bool store_token_delete(struct store *st, int64_t id, struct err *e);
/* Deletes every token of the user except `except_id` (0 = all). */
bool store_token_delete_user(struct store *st, int64_t user_id, int64_t except_id, struct err *e);

/* ---- dynamic preferences ---- */

struct pref {
    int64_t id;
    const char *section;
    const char *name;
    json_t *value; /* owned by the arena */
};

bool store_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e);
int store_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out,
                   struct err *e);
int store_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e);
bool store_pref_set(struct store *st, int64_t id, const json_t *value, struct err *e);

/* ---- account: profile updates, deletes, email, password, settings (issue 3) ---- */

/* (account) */

/* ---- graph: follows, connections, hides, counters (issue 4) ---- */

/* (graph) */

/* ---- tags and user search (issue 6) ---- */

struct tag;
struct tag_filter;
struct tag_page;
struct user_tag;
struct search_query;
struct search_page;

/* Tags (domain/tag.h). Insert and update fill e with 400 `unique` on the
 * name field when (type, name) is taken. */
bool store_tag_insert(struct store *st, const struct tag *t, int64_t *id, struct err *e);
int store_tag_get(struct store *st, struct arena *a, int64_t id, struct tag *out, struct err *e);
bool store_tag_update(struct store *st, const struct tag *t, struct err *e);
/* Tags matching f, by id. */
bool store_tag_list(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out,
                    struct err *e);
/* Gives the tag to the user (idempotent) / takes it away (no-op if absent). */
bool store_tag_assign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e);
bool store_tag_unassign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e);
/* The tags (not deleted) of users[0..n), in that order of users, then by
 * tag id. *out is an arena array of *nout entries. */
bool store_tag_of_users(struct store *st, struct arena *a, const int64_t *users, int n, struct user_tag **out,
                        int *nout, struct err *e);

/* Searches users (domain/search.h): exact count and one page, read in one
 * transaction from the 005_search indexes. */
bool store_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                        struct err *e);

/* The thresholds behind the engine's choices (src/store/sqlite_search.c
 * explains them). Tests lower them to drive every path on a small
 * population; set before searching, not thread-safe. */
struct search_tuning {
    int collect_max, sort_max, walk_max, bitmap_ratio;
};
void store_search_tune(const struct search_tuning *t);

/* The same query answered the slow, obvious way (every user row tested,
 * ordered by SQL): the reference the tests compare store_search_users with. */
bool store_search_users_naive(struct store *st, struct arena *a, const struct search_query *q,
                              struct search_page *out, struct err *e);

/* Compares the search indexes with what the base tables say they should
 * hold; returns the number of differences (0 = in sync), -1 on error.
 * Reads everything: for tests and `hearth check`-style audits. */
int64_t store_search_check(struct store *st, struct err *e);

/* The EXPLAIN QUERY PLAN lines (joined by newlines) of the statements that
 * find the users of a text term of `term`'s length, for the plan test. */
bool store_search_plan(struct store *st, struct arena *a, const char *term, const char **plan, struct err *e);

/* hearth seed: adds a deterministic population (domain/seed in
 * src/store/sqlite_seed.c). */
struct seed_options {
    int64_t users;
    int follows_per_user;
    uint64_t seed;
    void (*progress)(const char *message); /* NULL = quiet */
};

struct seed_stats {
    int64_t users, tags, user_tags, categories, category_follows, follows;
    double seconds_users, seconds_index, seconds_total;
};

bool store_seed(struct store *st, const struct seed_options *o, struct seed_stats *out, struct err *e);

/* Drops the search indexes and builds them again from the base tables
 * (migration 005 re-applied): after a bulk load, or to repair them. */
bool store_search_reindex(struct store *st, struct err *e);

/* Loads a hand-written population (the API tests' fixtures) in one
 * transaction through ordinary inserts: {"tags": [{name, type?, visible?,
 * active?, deleted?}], "categories": [name], "users": [{username,
 * real_name?, location?, location_lat_lng?, position_lat_lng?,
 * date_of_birth?, description?, gender?, status?, role?, email?, tags?:
 * [name], categories?: [name]}], "hides": [[username, hidden username]]}.
 * *ids (new reference): {"users": {username: id}, "tags": {name: id},
 * "categories": {name: id}}. */
bool store_seed_file(struct store *st, json_t *doc, json_t **ids, struct err *e);

/* ---- categories, posts and the feed (issue 5) ---- */

/* (posts) */

#endif
