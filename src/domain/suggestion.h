/* suggestion.h - suggestions for the caller: people to follow or connect
 * with, what a search box offers while one types (users and categories),
 * categories to follow, and usernames matched exactly (a pasted list).
 *
 * People (GET /suggestion/user/). Who may be suggested is the store's rule
 * (store.h "suggestions"): approved users other than the caller, not
 * hidden either way, not followed (follow mode) or not connected and with
 * no request either way (friendship mode). Ranking:
 *   1. users reached through the caller's graph (followed by those I
 *      follow / friends of my friends), most shared first;
 *   2. then everyone else who may be suggested;
 *   each by the mode's popularity counter (followers, or connections, the
 *   counter the User object shows in that mode), most first, then id.
 * Bounds: the graph part reads the caller's newest
 * SUGGESTION_FIRST_DEGREE_MAX edges and, of each of those users, their
 * newest SUGGESTION_SECOND_DEGREE_MAX edges: at most 2,500 index steps
 * whatever the degrees, so "shared" counts what those edges show. The rest
 * walks a popularity index from its top: a page costs its offset plus its
 * length plus the users left out on the way (the caller's own relations
 * and the graph part), never a scan of all users. The count is exact: the
 * approved users (a maintained count) minus those among the caller's own
 * relations.
 *
 * Search (GET /suggestion/?search=). Users as /user/search/ finds and
 * ranks them (domain/search.h: username or real name; exact username,
 * username prefix, other, then id; users the caller hides left out), and
 * active categories whose name or name_synonyms contain the term (folded:
 * case and accents ignored). Scores, from how the term matches:
 *   user      1.0 the username is the term, 0.5 the username starts with
 *             it, 0.25 any other match (real name, inside the username);
 *   category  1.0 the name is the term, 0.9 the name starts with it, 0.8
 *             the name contains it, 0.7 only a synonym contains it.
 * The kinds interleave by score: the exact username match (at most one)
 * first, then the categories (1.0 to 0.7; by match, order, id), then the
 * other users in the search's order. Categories are few and chosen by the
 * community's administrators, so a name match ranks above a partial
 * username match. count is the sum of both, exact.
 *
 * Categories (GET /suggestion/category/): active categories the caller
 * does not follow, most active followers first, then id.
 *
 * Match (POST /user/match/): a JSON array of at most SUGGESTION_MATCH_MAX
 * strings; the visible users (a, b) whose username is one of them
 * (compared folded), in the order given, each once, leaving out users
 * hidden either way. Deleted users never match.
 */
#ifndef HEARTH_DOMAIN_SUGGESTION_H
#define HEARTH_DOMAIN_SUGGESTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/category.h"
#include "model/principal.h"
#include "model/user.h"

struct store;

enum {
    SUGGESTION_USER_PAGE_DEFAULT = 10, /* the kit's widget shows a few people */
    SUGGESTION_PAGE_DEFAULT = 20,      /* contract §3 */
    SUGGESTION_PAGE_MAX = 100,         /* contract §3 */
    SUGGESTION_FIRST_DEGREE_MAX = 50,  /* the caller's newest edges read for friends of friends */
    SUGGESTION_SECOND_DEGREE_MAX = 50, /* edges read from each of them: 2,500 in all (bench: ~5 ms) */
    SUGGESTION_MATCH_MAX = 100,        /* names per POST /user/match/ (the kit's paste box) */
};

/* A page of people to suggest to `who` (an authenticated caller), ranked
 * as above, with the exact count. */
bool suggestion_users(struct store *st, struct arena *a, const struct principal *who, bool follow_mode, int limit,
                      int offset, struct user_page *out, struct err *e);

/* One search suggestion: a user or a category. */
struct suggestion_item {
    bool is_category;
    double score;
    struct user user;         /* when !is_category */
    struct category category; /* when is_category */
};
struct suggestion_page {
    int64_t count;
    struct suggestion_item *items;
    int n;
};

/* A page of search suggestions for the raw term: none (count 0) when the
 * term is empty or blank; 400 max_length on `search` beyond
 * SEARCH_TERM_MAX bytes. */
bool suggestion_search(struct store *st, struct arena *a, const struct principal *who, const char *raw_term, int limit,
                       int offset, struct suggestion_page *out, struct err *e);

/* A page of categories to suggest to `who`. */
bool suggestion_categories(struct store *st, struct arena *a, const struct principal *who, int limit, int offset,
                           struct category_page *out, struct err *e);

/* Matches a request body (any JSON value) against usernames: 400 unless
 * it is an array of at most SUGGESTION_MATCH_MAX strings (code not_a_list,
 * max_length, or invalid for an element that is not a string). */
bool suggestion_match(struct store *st, struct arena *a, const struct principal *who, const json_t *body,
                      struct user **out, int *n, struct err *e);

#endif
