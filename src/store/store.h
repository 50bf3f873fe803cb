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

/* (search) */

/* ---- categories, posts and the feed (issue 5) ---- */

/* (posts) */

struct category;        /* domain/category.h */
struct category_filter; /* domain/category.h */
struct category_page;   /* domain/category.h */
struct post;            /* domain/post.h */
struct post_page;       /* domain/post.h */

/* A category by id, deleted ones included. */
int store_category_get(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e);

/* Whether another category (id != except_id, deleted ones included) has
 * this name (compared folded) or this slug (compared case-insensitively). */
int store_category_name_taken(struct store *st, const char *name, int64_t except_id, struct err *e);
int store_category_slug_taken(struct store *st, const char *slug, int64_t except_id, struct err *e);

/* Inserts c (every column but id); sets c->id. */
bool store_category_insert(struct store *st, struct category *c, struct err *e);

/* Writes every column of c, found by c->id. */
bool store_category_update(struct store *st, const struct category *c, struct err *e);

/* Adds delta to the categories_counter of every follower of the category:
 * its deleted flag is changing (counter invariant above). In the
 * transaction that changes the flag. */
bool store_category_followers_counter_add(struct store *st, int64_t category_id, int delta, struct err *e);

/* Lists categories matching f (domain/category.h). */
bool store_category_list(struct store *st, struct arena *a, const struct category_filter *f,
                         struct category_page *out, struct err *e);

/* Whether the user follows the category: 1, 0, or -1 on error. */
int store_category_follow_exists(struct store *st, int64_t user_id, int64_t category_id, struct err *e);

/* Adds (follow) or removes the follow and moves the user's
 * categories_counter by one; the category must not be deleted. In a
 * transaction. */
bool store_category_follow_set(struct store *st, int64_t user_id, int64_t category_id, bool follow, struct err *e);

/* The categories the user follows that are not deleted, by order then id,
 * at most max; *out in the arena. */
bool store_category_followed(struct store *st, struct arena *a, int64_t user_id, int max, struct category **out,
                             int *n, struct err *e);

/* The categories of a post (deleted ones included), by order then id. */
bool store_category_of_post(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n,
                            struct err *e);

/* Inserts p (type, author_id, title, slug, html, summary, times) with its
 * categories, and adds one to the author's posts_counter or
 * discussions_counter; sets p->id. In a transaction. */
bool store_post_insert(struct store *st, struct post *p, const int64_t *category_ids, int ncategories,
                       struct err *e);

/* A post or discussion by id, deleted ones included. */
int store_post_get(struct store *st, struct arena *a, int64_t id, struct post *out, struct err *e);

/* Marks p deleted and takes one from its author's counter. In a transaction. */
bool store_post_soft_delete(struct store *st, const struct post *p, struct err *e);

/* The author's posts and discussions that are not deleted, newest first
 * (added, then id), with their total count. */
bool store_post_by_author(struct store *st, struct arena *a, int64_t author_id, int limit, int offset,
                          struct post_page *out, struct err *e);

/* Whether user_id has hidden hidden_id (table hides): 1, 0, -1 on error. */
int store_post_author_hidden(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e);

#endif
