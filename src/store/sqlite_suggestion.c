/* sqlite_suggestion.c - what suggestions read (store.h "suggestions"):
 * the viewer's second-degree users, which users may be suggested to the
 * viewer and how many, the popularity tail, categories matching a term or
 * not followed, and usernames matched exactly.
 *
 * Who may be suggested is written once, as SQL fragments (SUGGESTABLE_*),
 * and used by the filter of candidates, the count and the tail, so the
 * three always agree. Every statement here is driven by an index: the
 * viewer's own edges (follows_follower, connections_user_created, hides,
 * connection_requests), the popularity indexes of 015_suggestion, primary
 * keys; the categories table is scanned (administrators create
 * categories: a community has few).
 */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/portable_sql.h"
#include "store/sqlite_internal.h"

/* ================================================================ */
/* who may be suggested                                             */

/* The candidates among a JSON array of ids ($2), with their popularity. */
#define ELIGIBLE_SQL(suggestable, counter)                                                                       \
    "SELECT u.id, u." counter " FROM json_each($2) j CROSS JOIN users u ON u.id = j.value WHERE u.status = 'a' " \
    "AND " suggestable
/* The tail: walks the popularity index of 015_suggestion from its top. */
#define POPULAR_SQL(suggestable, counter)                                                                          \
    "SELECT " USER_COLUMNS " FROM users WHERE status = 'a' AND " suggestable " AND users.id NOT IN (SELECT value " \
    "FROM json_each($2)) ORDER BY " counter " DESC, id LIMIT $3 OFFSET $4"

/* The statements of one mode. */
struct suggestion_sql {
    const char *first;    /* $1 viewer, $2 limit: the viewer's newest edges to visible users */
    const char *second;   /* $1 a first-degree user, $2 limit: that user's newest edges */
    const char *eligible; /* $1 viewer, $2 JSON array of ids: those that may be suggested, with popularity */
    const char *related;  /* $1 viewer: approved users that may not be suggested */
    const char *popular;  /* $1 viewer, $2 JSON ids to skip, $3 limit, $4 offset: the tail */
};

static const struct suggestion_sql friendship_sql = {
    "SELECT c.other_id FROM connections c CROSS JOIN users u ON u.id = c.other_id WHERE c.user_id = $1 AND "
    "u.status IN ('a', 'b') ORDER BY c.created_us DESC, c.other_id DESC LIMIT $2",
    "SELECT other_id FROM connections WHERE user_id = $1 ORDER BY created_us DESC, other_id DESC LIMIT $2",
    ELIGIBLE_SQL(SUGGESTABLE_FRIEND("u.id"), "connections_counter"),
    "SELECT count(*) FROM users WHERE status = 'a' AND id IN (" RELATED_FRIEND ")",
    POPULAR_SQL(SUGGESTABLE_FRIEND("users.id"), "connections_counter"),
};

static const struct suggestion_sql follow_sql = {
    "SELECT f.followed_id FROM follows f CROSS JOIN users u ON u.id = f.followed_id WHERE f.follower_id = $1 AND "
    "u.status IN ('a', 'b') ORDER BY f.created_us DESC, f.followed_id DESC LIMIT $2",
    "SELECT followed_id FROM follows WHERE follower_id = $1 ORDER BY created_us DESC, followed_id DESC LIMIT $2",
    ELIGIBLE_SQL(SUGGESTABLE_FOLLOW("u.id"), "followers_counter"),
    "SELECT count(*) FROM users WHERE status = 'a' AND id IN (" RELATED_FOLLOW ")",
    POPULAR_SQL(SUGGESTABLE_FOLLOW("users.id"), "followers_counter"),
};

static const struct suggestion_sql *mode_sql(bool follow_mode) { return follow_mode ? &follow_sql : &friendship_sql; }

/* ids[0..n) as a JSON array, for json_each. The caller frees it (buf_free). */
static void ids_json(struct buf *b, const int64_t *ids, int n)
{
    buf_puts(b, "[");
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_puts(b, "]");
}

/* Appends the first column of q's rows to ids (room for *n + max), at
 * most max of them. Resets q. */
static bool collect_ids(struct store *st, sqlite3_stmt *q, int64_t *ids, int *n, int max, struct err *e)
{
    int rc = SQLITE_DONE, got = 0;
    while (got < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        ids[(*n)++] = sqlite3_column_int64(q, 0);
        got++;
    }
    if (got >= max)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "suggestion ids");
}

bool sqlite_suggestion_second_degree(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode,
                                     int first_max, int second_max, int64_t **ids, int *n, struct err *e)
{
    const struct suggestion_sql *s = mode_sql(follow_mode);
    *n = 0;
    *ids = NULL;
    if (first_max <= 0 || second_max <= 0)
        return true;
    int64_t *first = arena_alloc(a, sizeof *first * (size_t)first_max);
    int nfirst = 0;
    sqlite3_stmt *q = sqlite_stmt(st, s->first, e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, viewer_id);
    sqlite3_bind_int64(q, 2, first_max);
    if (!collect_ids(st, q, first, &nfirst, first_max, e))
        return false;
    *ids = arena_alloc(a, sizeof **ids * (size_t)(nfirst > 0 ? nfirst : 1) * (size_t)second_max);
    for (int i = 0; i < nfirst; i++) {
        if (!(q = sqlite_stmt(st, s->second, e)))
            return false;
        sqlite3_bind_int64(q, 1, first[i]);
        sqlite3_bind_int64(q, 2, second_max);
        if (!collect_ids(st, q, *ids, n, second_max, e))
            return false;
    }
    return true;
}

bool sqlite_suggestion_eligible(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode,
                                const int64_t *ids, int n, struct suggestion_candidate **out, int *nout, struct err *e)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
    *nout = 0;
    if (n <= 0)
        return true;
    sqlite3_stmt *q = sqlite_stmt(st, mode_sql(follow_mode)->eligible, e);
    if (!q)
        return false;
    struct buf list = BUF_INIT;
    ids_json(&list, ids, n);
    sqlite3_bind_int64(q, 1, viewer_id);
    sqlite3_bind_text(q, 2, buf_str(&list), -1, SQLITE_TRANSIENT);
    buf_free(&list);
    int rc;
    /* each id at most once in the array, so at most n rows */
    while (*nout < n && (rc = sqlite3_step(q)) == SQLITE_ROW)
        (*out)[(*nout)++] = (struct suggestion_candidate){.user_id = sqlite3_column_int64(q, 0),
                                                          .popularity = sqlite3_column_int64(q, 1)};
    if (*nout >= n)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "suggestion candidates");
}

int64_t sqlite_suggestion_count(struct store *st, int64_t viewer_id, bool follow_mode, struct err *e)
{
    /* approved = visible (list_counts, 008) - blocked (their partial index) */
    int64_t visible = 0, blocked = 0, related = 0;
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT n FROM list_counts WHERE kind = 0 AND level = 0 AND key = 0", e);
    if (!q || sqlite_get_int(st, q, &visible, e) < 0)
        return -1;
    if (!(q = sqlite_stmt(st, "SELECT count(*) FROM users WHERE status = 'b'", e)) ||
        !sqlite_get_count(st, q, &blocked, e))
        return -1;
    if (!(q = sqlite_stmt(st, mode_sql(follow_mode)->related, e)))
        return -1;
    sqlite3_bind_int64(q, 1, viewer_id);
    if (!sqlite_get_count(st, q, &related, e))
        return -1;
    int64_t n = visible - blocked - related;
    return n > 0 ? n : 0;
}

bool sqlite_suggestion_popular(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode,
                               const int64_t *skip, int nskip, int limit, int64_t offset, struct user *out, int *n,
                               struct err *e)
{
    *n = 0;
    if (limit <= 0)
        return true;
    sqlite3_stmt *q = sqlite_stmt(st, mode_sql(follow_mode)->popular, e);
    if (!q)
        return false;
    struct buf list = BUF_INIT;
    ids_json(&list, skip, nskip);
    sqlite3_bind_int64(q, 1, viewer_id);
    sqlite3_bind_text(q, 2, buf_str(&list), -1, SQLITE_TRANSIENT);
    buf_free(&list);
    sqlite3_bind_int64(q, 3, limit);
    sqlite3_bind_int64(q, 4, offset);
    int rc = SQLITE_DONE;
    while (*n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        sqlite_user_from_row(a, q, 0, &out[(*n)++]);
    if (*n >= limit)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "suggestion tail");
}

/* ================================================================ */
/* categories                                                       */

/* Active categories whose folded name or synonyms contain the folded term
 * $1; `m` is how the name matches (enum suggestion_category_match). */
#define CATEGORY_MATCH_WHERE                                                                    \
    " FROM categories k WHERE k.active = 1 AND k.deleted = 0 AND (instr(fold(k.name), $1) > 0 " \
    "OR instr(fold(coalesce(k.name_synonyms, '')), $1) > 0)"
#define CATEGORY_MATCH_KIND                                                                         \
    "CASE WHEN fold(k.name) = $1 THEN 0 WHEN substr(fold(k.name), 1, length($1)) = $1 THEN 1 WHEN " \
    "instr(fold(k.name), $1) > 0 THEN 2 ELSE 3 END"

/* Active categories the viewer $1 does not follow. */
#define CATEGORY_UNFOLLOWED_WHERE                                      \
    " FROM categories k WHERE k.active = 1 AND k.deleted = 0 AND NOT " \
    "EXISTS (SELECT 1 FROM category_follows f WHERE f.user_id = $1 AND f.category_id = k.id)"

bool sqlite_suggestion_category_search(struct store *st, struct arena *a, const char *term, int limit, int offset,
                                       struct suggestion_category_hit **out, int *n, int64_t *count, struct err *e)
{
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(limit > 0 ? limit : 1));
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*)" CATEGORY_MATCH_WHERE, e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, term, -1, SQLITE_TRANSIENT);
    if (!sqlite_get_count(st, q, count, e))
        return false;
    if (limit <= 0 || offset >= *count)
        return true;
    q = sqlite_stmt(st,
                    "SELECT k.id, " CATEGORY_MATCH_KIND " AS m" CATEGORY_MATCH_WHERE
                    " ORDER BY m, k.\"order\", k.id LIMIT $2 OFFSET $3",
                    e);
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, term, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, limit);
    sqlite3_bind_int64(q, 3, offset);
    int rc = SQLITE_DONE;
    while (*n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW)
        (*out)[(*n)++] = (struct suggestion_category_hit){
            .category_id = sqlite3_column_int64(q, 0),
            .match = (enum suggestion_category_match)sqlite3_column_int(q, 1),
        };
    if (*n >= limit)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "category suggestions");
}

bool sqlite_suggestion_category_unfollowed(struct store *st, struct arena *a, int64_t viewer_id, int limit, int offset,
                                           int64_t **ids, int *n, int64_t *count, struct err *e)
{
    *n = 0;
    *ids = arena_alloc(a, sizeof **ids * (size_t)(limit > 0 ? limit : 1));
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT count(*)" CATEGORY_UNFOLLOWED_WHERE, e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, viewer_id);
    if (!sqlite_get_count(st, q, count, e))
        return false;
    if (limit <= 0 || offset >= *count)
        return true;
    /* followers: the active followers search_count keeps (005: m2:<id>) */
    q = sqlite_stmt(st,
                    "SELECT k.id" CATEGORY_UNFOLLOWED_WHERE
                    " ORDER BY coalesce((SELECT c.n FROM search_count c WHERE c.key = 'm2:' || k.id), 0) DESC, "
                    "k.id LIMIT $2 OFFSET $3",
                    e);
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, viewer_id);
    sqlite3_bind_int64(q, 2, limit);
    sqlite3_bind_int64(q, 3, offset);
    return collect_ids(st, q, *ids, n, limit, e);
}

/* ================================================================ */
/* usernames                                                        */

bool sqlite_suggestion_match_usernames(struct store *st, struct arena *a, int64_t viewer_id, const char *const *folded,
                                       int n, struct user **out, int *nout, struct err *e)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
    *nout = 0;
    if (n <= 0)
        return true;
    /* status <> 'u' lets the partial unique index users_username_fold
     * serve the probe (a tombstone may share a released name) */
    sqlite3_stmt *q = sqlite_stmt(
        st,
        "SELECT " USER_COLUMNS " FROM (SELECT key AS pos, value AS name FROM json_each($2)) j CROSS JOIN users "
        "ON users.username_fold = j.name AND users.status <> 'u' WHERE users.status IN ('a', 'b') AND " NOT_HIDDEN_EITHER_WAY(
            "users.id") " ORDER BY j.pos",
        e);
    if (!q)
        return false;
    json_t *names = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(names, json_string(folded[i]));
    char *text = json_dumps(names, JSON_COMPACT);
    json_decref(names);
    if (!text)
        return err_internal(e);
    sqlite3_bind_int64(q, 1, viewer_id);
    sqlite3_bind_text(q, 2, text, -1, SQLITE_TRANSIENT);
    free(text);
    int rc;
    /* usernames are unique among users not hard deleted: one row per name */
    while (*nout < n && (rc = sqlite3_step(q)) == SQLITE_ROW)
        sqlite_user_from_row(a, q, 0, &(*out)[(*nout)++]);
    if (*nout >= n)
        rc = SQLITE_DONE;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? true : sqlite_fail(st, e, "match usernames");
}
