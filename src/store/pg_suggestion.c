/* pg_suggestion.c - what suggestions read (store.h "suggestions"), for the
 * PostgreSQL backend (the SQLite one is sqlite_suggestion.c, which says
 * why each statement is shaped as it is; the statements here keep those
 * shapes and indexes, 004_content's).
 *
 * Differences: id sets are bigint[] parameters (= ANY) instead of JSON
 * arrays; the categories' folded names and synonyms are their stored
 * name_fold and name_synonyms_fold (the table is scanned, as in SQLite:
 * categories are few); the unfollowed categories are ordered by their
 * active followers as categories.followers_counter keeps them (the same
 * number as SQLite's search_count m2:<id>, which belongs to user search). */
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"
#include "store/portable_sql.h"

/* ================================================================ */
/* who may be suggested                                             */

/* The candidates among the ids $2 (bigint[]), with their popularity. */
#define ELIGIBLE_SQL(suggestable, counter) \
    "SELECT u.id, u." counter " FROM users u WHERE u.id = ANY($2) AND u.status = 'a' AND " suggestable
/* The tail: walks the popularity index of 004_content from its top. */
#define POPULAR_SQL(suggestable, counter)                                                                   \
    "SELECT " PG_USER_COLUMNS " FROM users WHERE status = 'a' AND " suggestable " AND users.id <> ALL($2) " \
    "ORDER BY " counter " DESC, id LIMIT $3 OFFSET $4"

/* The statements of one mode. */
struct suggestion_sql {
    const char *first;    /* $1 viewer, $2 limit: the viewer's newest edges to visible users */
    const char *second;   /* $1 a first-degree user, $2 limit: that user's newest edges */
    const char *eligible; /* $1 viewer, $2 ids: those that may be suggested, with popularity */
    const char *related;  /* $1 viewer: approved users that may not be suggested */
    const char *popular;  /* $1 viewer, $2 ids to skip, $3 limit, $4 offset: the tail */
};

static const struct suggestion_sql friendship_sql = {
    "SELECT c.other_id FROM connections c JOIN users u ON u.id = c.other_id WHERE c.user_id = $1 AND "
    "u.status IN ('a', 'b') ORDER BY c.created_us DESC, c.other_id DESC LIMIT $2",
    "SELECT other_id FROM connections WHERE user_id = $1 ORDER BY created_us DESC, other_id DESC LIMIT $2",
    ELIGIBLE_SQL(SUGGESTABLE_FRIEND("u.id"), "connections_counter"),
    "SELECT count(*) FROM users WHERE status = 'a' AND id IN (" RELATED_FRIEND ")",
    POPULAR_SQL(SUGGESTABLE_FRIEND("users.id"), "connections_counter"),
};

static const struct suggestion_sql follow_sql = {
    "SELECT f.followed_id FROM follows f JOIN users u ON u.id = f.followed_id WHERE f.follower_id = $1 AND "
    "u.status IN ('a', 'b') ORDER BY f.created_us DESC, f.followed_id DESC LIMIT $2",
    "SELECT followed_id FROM follows WHERE follower_id = $1 ORDER BY created_us DESC, followed_id DESC LIMIT $2",
    ELIGIBLE_SQL(SUGGESTABLE_FOLLOW("u.id"), "followers_counter"),
    "SELECT count(*) FROM users WHERE status = 'a' AND id IN (" RELATED_FOLLOW ")",
    POPULAR_SQL(SUGGESTABLE_FOLLOW("users.id"), "followers_counter"),
};

static const struct suggestion_sql *mode_sql(bool follow_mode) { return follow_mode ? &follow_sql : &friendship_sql; }

/* Appends the first column of r's rows to ids (room for *n + max), at most
 * max of them. Clears r. */
static void collect_ids(PGresult *r, int64_t *ids, int *n, int max)
{
    int rows = PQntuples(r);
    for (int i = 0; i < rows && i < max; i++)
        ids[(*n)++] = pg_col_int(r, i, 0);
    PQclear(r);
}

bool pg_suggestion_second_degree(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, int first_max,
                                 int second_max, int64_t **ids, int *n, struct err *e)
{
    const struct suggestion_sql *s = mode_sql(follow_mode);
    *n = 0;
    *ids = NULL;
    if (first_max <= 0 || second_max <= 0)
        return true;
    int64_t *first = arena_alloc(a, sizeof *first * (size_t)first_max);
    int nfirst = 0;
    PGresult *r = pg_run(st, e, s->first, "ii", viewer_id, (int64_t)first_max);
    if (!r)
        return false;
    collect_ids(r, first, &nfirst, first_max);
    *ids = arena_alloc(a, sizeof **ids * (size_t)(nfirst > 0 ? nfirst : 1) * (size_t)second_max);
    for (int i = 0; i < nfirst; i++) {
        if (!(r = pg_run(st, e, s->second, "ii", first[i], (int64_t)second_max)))
            return false;
        collect_ids(r, *ids, n, second_max);
    }
    return true;
}

bool pg_suggestion_eligible(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *ids,
                            int n, struct suggestion_candidate **out, int *nout, struct err *e)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
    *nout = 0;
    if (n <= 0)
        return true;
    PGresult *r = pg_run(st, e, mode_sql(follow_mode)->eligible, "ia", viewer_id, ids, (size_t)n);
    if (!r)
        return false;
    int rows = PQntuples(r);
    /* each id at most once in the array, so at most n rows */
    for (int i = 0; i < rows && *nout < n; i++)
        (*out)[(*nout)++] =
            (struct suggestion_candidate){.user_id = pg_col_int(r, i, 0), .popularity = pg_col_int(r, i, 1)};
    PQclear(r);
    return true;
}

int64_t pg_suggestion_count(struct store *st, int64_t viewer_id, bool follow_mode, struct err *e)
{
    /* approved = visible (list_counts) - blocked (their partial index) */
    int64_t visible = 0, blocked = 0, related = 0;
    if (pg_int(st, &visible, e, "SELECT n FROM list_counts WHERE kind = 0 AND level = 0 AND key = 0", "") < 0 ||
        !pg_count(st, &blocked, e, "SELECT count(*) FROM users WHERE status = 'b'", "") ||
        !pg_count(st, &related, e, mode_sql(follow_mode)->related, "i", viewer_id))
        return -1;
    int64_t n = visible - blocked - related;
    return n > 0 ? n : 0;
}

bool pg_suggestion_popular(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *skip,
                           int nskip, int limit, int64_t offset, struct user *out, int *n, struct err *e)
{
    *n = 0;
    if (limit <= 0)
        return true;
    static const int64_t none = 0;
    PGresult *r = pg_run(st, e, mode_sql(follow_mode)->popular, "iaii", viewer_id, nskip > 0 ? skip : &none,
                         (size_t)(nskip > 0 ? nskip : 0), (int64_t)limit, offset);
    if (!r)
        return false;
    int rows = PQntuples(r);
    for (int i = 0; i < rows && *n < limit; i++)
        pg_user_from_row(a, r, i, 0, &out[(*n)++]);
    PQclear(r);
    return true;
}

/* ================================================================ */
/* categories                                                       */

/* Active categories the viewer $1 does not follow. */
#define CATEGORY_UNFOLLOWED_WHERE                                      \
    " FROM categories k WHERE k.active = 1 AND k.deleted = 0 AND NOT " \
    "EXISTS (SELECT 1 FROM category_follows f WHERE f.user_id = $1 AND f.category_id = k.id)"

/* Active categories whose folded name or synonyms contain the folded term
 * $1; `m` is how the name matches (enum suggestion_category_match). */
#define CATEGORY_MATCH_WHERE                                                                    \
    " FROM categories k WHERE k.active = 1 AND k.deleted = 0 AND (strpos(k.name_fold, $1) > 0 " \
    "OR strpos(coalesce(k.name_synonyms_fold, ''), $1) > 0)"
#define CATEGORY_MATCH_KIND                                                            \
    "CASE WHEN k.name_fold = $1 THEN 0 WHEN starts_with(k.name_fold, $1) THEN 1 WHEN " \
    "strpos(k.name_fold, $1) > 0 THEN 2 ELSE 3 END"

bool pg_suggestion_category_search(struct store *st, struct arena *a, const char *term, int limit, int offset,
                                   struct suggestion_category_hit **out, int *n, int64_t *count, struct err *e)
{
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(limit > 0 ? limit : 1));
    if (!pg_count(st, count, e, "SELECT count(*)" CATEGORY_MATCH_WHERE, "s", term))
        return false;
    if (limit <= 0 || offset >= *count)
        return true;
    PGresult *r = pg_run(st, e,
                         "SELECT k.id, " CATEGORY_MATCH_KIND " AS m" CATEGORY_MATCH_WHERE
                         " ORDER BY m, k.\"order\", k.id LIMIT $2 OFFSET $3",
                         "sii", term, (int64_t)limit, (int64_t)offset);
    if (!r)
        return false;
    int rows = PQntuples(r);
    for (int i = 0; i < rows && *n < limit; i++)
        (*out)[(*n)++] = (struct suggestion_category_hit){
            .category_id = pg_col_int(r, i, 0),
            .match = (enum suggestion_category_match)pg_col_int(r, i, 1),
        };
    PQclear(r);
    return true;
}

bool pg_suggestion_category_unfollowed(struct store *st, struct arena *a, int64_t viewer_id, int limit, int offset,
                                       int64_t **ids, int *n, int64_t *count, struct err *e)
{
    *n = 0;
    *ids = arena_alloc(a, sizeof **ids * (size_t)(limit > 0 ? limit : 1));
    if (!pg_count(st, count, e, "SELECT count(*)" CATEGORY_UNFOLLOWED_WHERE, "i", viewer_id))
        return false;
    if (limit <= 0 || offset >= *count)
        return true;
    /* followers: the active followers (a, b) followers_counter keeps */
    PGresult *r = pg_run(
        st, e, "SELECT k.id" CATEGORY_UNFOLLOWED_WHERE " ORDER BY k.followers_counter DESC, k.id LIMIT $2 OFFSET $3",
        "iii", viewer_id, (int64_t)limit, (int64_t)offset);
    if (!r)
        return false;
    collect_ids(r, *ids, n, limit);
    return true;
}

/* ================================================================ */
/* usernames                                                        */

bool pg_suggestion_match_usernames(struct store *st, struct arena *a, int64_t viewer_id, const char *const *folded,
                                   int n, struct user **out, int *nout, struct err *e)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
    *nout = 0;
    if (n <= 0)
        return true;
    json_t *names = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(names, json_string(folded[i]));
    char *text = json_dumps(names, JSON_COMPACT);
    json_decref(names);
    if (!text)
        return err_internal(e);
    /* status <> 'u' lets the partial unique index on username_fold serve
     * the probe (a tombstone may share a released name) */
    PGresult *r = pg_run(st, e,
                         "SELECT " PG_USER_COLUMNS " FROM json_array_elements_text($2::json) WITH ORDINALITY "
                         "AS j(name, pos) JOIN users ON users.username_fold = j.name AND users.status <> 'u' "
                         "WHERE users.status IN ('a', 'b') AND " NOT_HIDDEN_EITHER_WAY("users.id") " ORDER BY j.pos",
                         "is", viewer_id, text);
    free(text);
    if (!r)
        return false;
    int rows = PQntuples(r);
    /* usernames are unique among users not hard deleted: one row per name */
    for (int i = 0; i < rows && *nout < n; i++)
        pg_user_from_row(a, r, i, 0, &(*out)[(*nout)++]);
    PQclear(r);
    return true;
}
