/* search.h - searching users (contract §3, §7, §9): the query, its
 * validation from request parameters, and the rules of what a caller may
 * find. The store answers a validated `struct search_query`
 * (store_search_users in store.h).
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

struct store;
struct principal;

enum {
    SEARCH_MAX_ORDER = 6,   /* ordering keys kept; more are ignored */
    SEARCH_TERM_MAX = 255,  /* bytes of a text filter: longer cannot match any field */
};

enum search_key {
    SEARCH_KEY_RELEVANCE, /* exact username, username prefix, other (needs a term) */
    SEARCH_KEY_USERNAME,
    SEARCH_KEY_REAL_NAME,
    SEARCH_KEY_LOCATION,
    SEARCH_KEY_DATE_JOINED,
    SEARCH_KEY_ID,
    SEARCH_KEY_DISTANCE, /* needs an origin */
};

struct search_order {
    enum search_key key;
    bool desc;
};

enum search_staff { SEARCH_STAFF_ANY, SEARCH_STAFF_ONLY, SEARCH_STAFF_NONE };

struct search_query {
    /* text filters, folded and non-empty; NULL when absent */
    const char *term;
    const char *username, *real_name, *location, *description;
    const char *gender; /* exact users.gender value; NULL = any */
    /* age (contract §7) as bounds on the birth date, yyyymmdd: after < dob <= upto;
     * 0 = unbounded. Users without a birth date never match. */
    bool has_age;
    int dob_after, dob_upto;
    enum search_staff staff;
    int64_t tag_id;      /* carries this tag; 0 = any */
    int64_t category_id; /* follows this category; 0 = any */
    bool has_origin;
    double lat, lng; /* degrees */
    bool has_radius;
    double radius_km;
    /* ordering: the keys given, then id ascending; none = relevance when
     * there is a term, else `fallback` */
    struct search_order order[SEARCH_MAX_ORDER];
    int norder;
    enum search_key fallback;
    int64_t viewer_id;  /* hides of this user apply; 0 = none */
    int64_t exclude_id; /* autocomplete's `exclude`; 0 = none */
    bool nothing;       /* a filter that no user can pass (e.g. a tag the caller may not see) */
    int limit, offset;
};

struct search_page {
    int64_t count;
    struct user *items;
    double *distance; /* per item, km rounded to the metre; NULL without an origin */
    int n;
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
