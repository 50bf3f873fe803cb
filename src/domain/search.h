/* search.h - searching users (contract §3, §7, §9): the query's validation
 * from request parameters, and the rules of what a caller may find. The
 * store answers a validated `struct search_query` (model/search.h) with
 * store_search_users (store.h).
 *
 * Semantics, shared by /user/search/, the text filters of /user/ and
 * /user/autocomplete/:
 * - text terms are folded (NFKC, case folded, accents stripped); a term of
 *   one or two characters matches the start of a word, a longer one matches
 *   anywhere;
 * - `term` (search/user) matches the username or the real name and ranks
 *   exact username, then username prefix, then the other matches, then id;
 * - filters combine with AND; only active users (status a or b), never the
 *   users the viewer hid;
 * - with an origin, users without coordinates (position, else location) are
 *   left out and each result has its distance in km (rounded to the metre);
 *   `radius` keeps those within it (inclusive).
 */
#ifndef HEARTH_DOMAIN_SEARCH_H
#define HEARTH_DOMAIN_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/user.h"
#include "model/search.h"

struct store;
struct principal;

enum {
    SEARCH_TERM_MAX = 255, /* bytes of a text filter: longer cannot match any field */
};

/* Reads and validates the parameters of GET /user/search/ (contract §3, §7)
 * for the caller `who`. 400 with the field named on an invalid age,
 * lat_lng, radius, boolean, tag, category or gender; 400 on user_position
 * without a stored position or location. */
bool search_query_from_params(struct store *st, struct arena *a, const struct principal *who,
                              const char *(*param)(void *ctx, const char *name), void *ctx, struct search_query *q,
                              struct err *e);

/* Parses an `ordering` value against the keys allowed by the endpoint
 * (names[i] is the name of keys[i], n of them); unknown names are ignored,
 * distance is ignored without an origin. */
void search_parse_ordering(const char *ordering, const char *const *names, const enum search_key *keys, int n,
                           bool has_origin, struct search_query *q);

/* Folds a text filter into the query form: trimmed, folded, NULL when empty. */
const char *search_term(struct arena *a, const char *raw);

/* Runs the query. */
bool search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                  struct err *e);

/* The query of a /user/ or /user/autocomplete/ filter (contract §3, §9):
 * same matching and ranking, ordering keys of /user/, default id. */
void search_query_from_filter(struct arena *a, const struct user_filter *f, struct search_query *q);

#endif
