/* search.h - a validated user search (filters, ordering, origin, page)
 * and one page of its results: what the domain builds from a request and
 * the store answers (store_search_users). What the fields mean, and who may
 * find whom, is written in domain/search.h.
 */
#ifndef HEARTH_MODEL_SEARCH_H
#define HEARTH_MODEL_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "model/user.h"

enum {
    SEARCH_MAX_ORDER = 6, /* ordering keys kept; more are ignored */
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

#endif
