/* suggestion.c - the rules of suggestions (suggestion.h): ranking people
 * from the caller's graph and by popularity, merging users and categories
 * into one scored list for a search box, categories to follow, and
 * matching a list of usernames. */
#include "domain/suggestion.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "domain/field.h"
#include "domain/search.h"
#include "domain/user.h"
#include "store/store.h"

/* ================================================================ */
/* people                                                           */

static int compare_ids(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Most shared first, then most popular, then id. */
static int compare_rank(const void *x, const void *y)
{
    const struct suggestion_candidate *p = x, *q = y;
    if (p->shared != q->shared)
        return p->shared > q->shared ? -1 : 1;
    if (p->popularity != q->popularity)
        return p->popularity > q->popularity ? -1 : 1;
    return (p->user_id > q->user_id) - (p->user_id < q->user_id);
}

/* The users the caller's graph reaches that may be suggested, ranked. */
static bool graph_candidates(struct store *st, struct arena *a, int64_t viewer, bool follow_mode,
                             struct suggestion_candidate **out, int *n, struct err *e)
{
    int64_t *edges;
    int nedges;
    if (!store_suggestion_second_degree(st, a, viewer, follow_mode, SUGGESTION_FIRST_DEGREE_MAX,
                                        SUGGESTION_SECOND_DEGREE_MAX, &edges, &nedges, e))
        return false;
    /* distinct users, each with the number of edges reaching it */
    qsort(edges, (size_t)nedges, sizeof *edges, compare_ids);
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(nedges > 0 ? nedges : 1));
    int *shared = arena_alloc(a, sizeof *shared * (size_t)(nedges > 0 ? nedges : 1));
    int nd = 0;
    for (int i = 0; i < nedges; i++) {
        if (edges[i] == viewer)
            continue;
        if (nd && ids[nd - 1] == edges[i]) {
            shared[nd - 1]++;
        } else {
            ids[nd] = edges[i];
            shared[nd++] = 1;
        }
    }
    if (!store_suggestion_eligible(st, a, viewer, follow_mode, ids, nd, out, n, e))
        return false;
    for (int i = 0; i < *n; i++) {
        const int64_t *at = bsearch(&(*out)[i].user_id, ids, (size_t)nd, sizeof *ids, compare_ids);
        (*out)[i].shared = at ? shared[at - ids] : 0;
    }
    qsort(*out, (size_t)*n, sizeof **out, compare_rank);
    return true;
}

bool suggestion_users(struct store *st, struct arena *a, const struct principal *who, bool follow_mode, int limit,
                      int offset, struct user_page *out, struct err *e)
{
    out->count = 0;
    out->n = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    struct suggestion_candidate *ranked;
    int nranked;
    if (!graph_candidates(st, a, who->user_id, follow_mode, &ranked, &nranked, e))
        return false;
    int64_t count = store_suggestion_count(st, who->user_id, follow_mode, e);
    if (count < 0)
        return false;
    /* the candidates are among the users counted (one snapshot) */
    out->count = count > nranked ? count : nranked;
    if (limit <= 0 || offset < 0 || offset >= out->count)
        return true;

    for (int i = offset; i < nranked && out->n < limit; i++) {
        int found = store_user_get(st, a, ranked[i].user_id, &out->items[out->n], e);
        if (found < 0)
            return false;
        out->n += found;
    }
    if (out->n < limit) {
        int64_t *skip = arena_alloc(a, sizeof *skip * (size_t)(nranked > 0 ? nranked : 1));
        for (int i = 0; i < nranked; i++)
            skip[i] = ranked[i].user_id;
        int got = 0;
        int64_t tail_offset = offset > nranked ? offset - nranked : 0;
        if (!store_suggestion_popular(st, a, who->user_id, follow_mode, skip, nranked, limit - out->n, tail_offset,
                                      out->items + out->n, &got, e))
            return false;
        out->n += got;
    }
    return true;
}

/* ================================================================ */
/* search                                                           */

enum {
    SCORE_EXACT = 100, /* hundredths: exact username or category name */
};

/* Scores in hundredths (suggestion.h), by enum suggestion_category_match. */
static const int category_scores[] = {100, 90, 80, 70};

/* A user's score for the folded term (the search's relevance). */
static int user_score(struct arena *a, const char *term, const struct user *u)
{
    const char *name = text_fold(a, u->username ? u->username : "");
    if (!strcmp(name, term))
        return SCORE_EXACT;
    return strncmp(name, term, strlen(term)) ? 25 : 50;
}

/* Users of the search for `raw`, from `offset`, at most `limit`. */
static bool search_page(struct store *st, struct arena *a, const struct principal *who, const char *raw, int64_t offset,
                        int limit, struct search_page *page, struct err *e)
{
    struct user_filter f = {.search = raw, .viewer_id = who->user_id, .limit = limit};
    struct search_query q;
    search_query_from_filter(a, &f, &q);
    q.offset = (int)offset; /* below the caller's int offset */
    return search_users(st, a, &q, page, e);
}

static void add_user(struct arena *a, const char *term, const struct user *u, struct suggestion_page *out)
{
    struct suggestion_item *it = &out->items[out->n++];
    it->is_category = false;
    it->user = *u;
    it->score = user_score(a, term, u) / 100.0;
}

bool suggestion_search(struct store *st, struct arena *a, const struct principal *who, const char *raw_term, int limit,
                       int offset, struct suggestion_page *out, struct err *e)
{
    out->count = 0;
    out->n = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    if (raw_term && strlen(raw_term) > SEARCH_TERM_MAX)
        return field_error_query_max(a, e, "search", FIELD_CODE_MAX_LENGTH, SEARCH_TERM_MAX);
    const char *term = search_term(a, raw_term);
    if (!term)
        return true;

    /* the first user tells whether the username match is exact: it leads */
    struct search_page first;
    if (!search_page(st, a, who, raw_term, 0, 1, &first, e))
        return false;
    int n0 = first.n > 0 && user_score(a, term, &first.items[0]) == SCORE_EXACT;
    if (limit <= 0 || offset < 0)
        return true;
    int64_t end = (int64_t)offset + limit; /* the window [offset, end) of the merged list */

    /* categories sit at [n0, n0 + ncategories) */
    struct suggestion_category_hit *hits;
    int nhits = 0;
    int64_t ncategories = 0;
    int64_t cat_from = offset > n0 ? offset : n0;
    if (!store_suggestion_category_search(st, a, term, (int)(end > cat_from ? end - cat_from : 0), (int)(cat_from - n0),
                                          &hits, &nhits, &ncategories, e))
        return false;
    out->count = first.count + ncategories;

    if (offset < n0)
        add_user(a, term, &first.items[0], out);
    for (int i = 0; i < nhits && out->n < limit; i++) {
        struct suggestion_item *it = &out->items[out->n];
        int found = store_category_get(st, a, hits[i].category_id, &it->category, e);
        if (found < 0)
            return false;
        if (!found)
            continue;
        it->is_category = true;
        it->score = category_scores[hits[i].match] / 100.0;
        out->n++;
    }
    /* the other users: merged position p is the search's user p - ncategories */
    int64_t from = offset > n0 + ncategories ? offset : n0 + ncategories;
    int64_t to = end < out->count ? end : out->count;
    if (from < to && out->n < limit) {
        struct search_page rest;
        if (!search_page(st, a, who, raw_term, from - ncategories, (int)(to - from), &rest, e))
            return false;
        for (int i = 0; i < rest.n && out->n < limit; i++)
            add_user(a, term, &rest.items[i], out);
    }
    return true;
}

/* ================================================================ */
/* categories                                                       */

bool suggestion_categories(struct store *st, struct arena *a, const struct principal *who, int limit, int offset,
                           struct category_page *out, struct err *e)
{
    out->count = 0;
    out->n = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    int64_t *ids;
    int n;
    if (!store_suggestion_category_unfollowed(st, a, who->user_id, limit, offset, &ids, &n, &out->count, e))
        return false;
    for (int i = 0; i < n; i++) {
        int found = store_category_get(st, a, ids[i], &out->items[out->n], e);
        if (found < 0)
            return false;
        out->n += found;
    }
    return true;
}

/* ================================================================ */
/* match                                                            */

bool suggestion_match(struct store *st, struct arena *a, const struct principal *who, const json_t *body,
                      struct user **out, int *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    if (!json_is_array(body))
        return err_set(e, ERR_INVALID, "not_a_list", "Expected a list of usernames, a JSON array of strings.");
    size_t count = json_array_size(body);
    if (count > SUGGESTION_MATCH_MAX)
        return err_set(e, ERR_INVALID, "max_length", "Ensure this list has no more than 100 usernames.");
    const char **folded = arena_alloc(a, sizeof *folded * (count > 0 ? count : 1));
    int nfolded = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(body, i, v)
    {
        if (!json_is_string(v))
            return err_set(e, ERR_INVALID, "invalid",
                           arena_printf(a, "Element %zu is not a string: expected a list of usernames.", i));
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        text_trim_span(&s, &len);
        /* a name far longer than any username (4 bytes a character at
         * most), or with a NUL, cannot match */
        if (!len || len > 4 * (size_t)USER_USERNAME_MAX || memchr(s, '\0', len))
            continue;
        const char *f = text_fold(a, arena_strndup(a, s, len));
        if (*f)
            folded[nfolded++] = f;
    }
    struct user *users;
    int nusers;
    if (!store_suggestion_match_usernames(st, a, who->user_id, folded, nfolded, &users, &nusers, e))
        return false;
    /* each user once, where first named (n <= 100: quadratic is fine) */
    *out = users;
    for (int k = 0; k < nusers; k++) {
        bool seen = false;
        for (int j = 0; j < *n && !seen; j++)
            seen = users[j].id == users[k].id;
        if (!seen)
            users[(*n)++] = users[k];
    }
    return true;
}
