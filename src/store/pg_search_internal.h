/* pg_search_internal.h - the statements of a PostgreSQL search, shared by
 * the search (pg_search.c), its reference and audit (pg_search_check.c)
 * and its plans (pg_search_plan.c). Only src/store/pg_search*.c include
 * it. */
#ifndef HEARTH_STORE_PG_SEARCH_INTERNAL_H
#define HEARTH_STORE_PG_SEARCH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "model/search.h"
#include "store/pg_search.h"
#include "store/sql.h"

enum { PG_SEARCH_MAX_SHORT = 1 + PG_SEARCH_FIELDS }; /* text conditions of one query */

/* A query's FROM and WHERE (users u) and its values. With `naive`, short
 * terms are a superset (strpos) the caller narrows with the word-start
 * test (short_terms on short_fields, 1 << field), and no index form is
 * chosen: the reference that checks the search. */
struct pg_search_sql {
    struct arena *a;
    const struct search_query *q;
    bool naive;
    bool skipped; /* only the users the viewer hides and the excluded one */
    bool members; /* tag and category as lists of ids read first (few members) */
    struct sql_query w;
    int lat_bind, lng_bind; /* the origin in 1e-7 degree; 0 without one */
    const char *short_terms[PG_SEARCH_MAX_SHORT];
    int short_fields[PG_SEARCH_MAX_SHORT];
    int nshort;
};

/* Whether a term matches word starts only (1-2 characters, contract §3). */
bool pg_search_short(const char *term);

/* Fills s from q: the origin's values, then the FROM and WHERE into s->w
 * (the caller frees s->w.sql). */
void pg_search_begin(struct pg_search_sql *s, struct arena *a, const struct search_query *q, bool naive);
void pg_search_where(struct pg_search_sql *s);

/* ", <distance> AS dist" (NULL without an origin), for the SELECT list. */
void pg_search_dist_column(const struct pg_search_sql *s, struct buf *out);

/* " ORDER BY ...": the query's order, then u.id. May add values to s->w. */
void pg_search_order(struct pg_search_sql *s, struct buf *out);

/* ---- pg_search_count.c: the maintained counts (search_count) ---- */

/* What a user's count keys depend on: the four folds, the gender, the
 * birth date as stored, staff, whether it has search coordinates. */
struct pg_search_user {
    const char *fold[PG_SEARCH_FIELDS];
    const char *gender, *date_of_birth;
    bool staff, geo;
};
typedef void pg_search_key_fn(void *arg, const char *key);

/* Calls fn with each count key of an active user, as the triggers of
 * 008_search_counts.sql write them (its tags and categories aside). */
void pg_search_user_keys(const struct pg_search_user *u, pg_search_key_fn *fn, void *arg);

/* The number of search_count keys whose n differs from a recount of the
 * tables (missing keys included); -1 on error. */
int64_t pg_search_counts_check(struct store *st, struct err *e);

/* The exact count of q without its viewer's hides and exclude, when its
 * conditions are one that a key counts (a lone text term of up to three
 * characters, a tag, a category) or a mix of gender, age, staff and "has
 * coordinates"; -2 when no key answers, -1 on error. */
int64_t pg_search_keyed_count(struct store *st, const struct search_query *q, struct err *e);

/* The active members of q's tag or category (the smaller, with both),
 * and in *active all active users; -1 on error. */
int64_t pg_search_link_size(struct store *st, const struct search_query *q, int64_t *active, struct err *e);

/* ---- pg_search_geo.c: radius counts from search_cell ---- */

/* Whether q is a radius alone (hides and exclude aside) that the cell
 * counts answer: not near a pole or the antimeridian, not too wide. */
bool pg_search_radius_fits(const struct search_query *q);

/* The exact count of the active users within q's radius, without its
 * viewer's hides and exclude; -1 on error. */
int64_t pg_search_radius_count(struct store *st, struct arena *a, const struct search_query *q, struct err *e);

/* Whether a distance page of q can come from search_geo_point
 * (015_search_geo.sql): an origin, at most a radius, hides and exclude. */
bool pg_search_near_fits(const struct search_query *q);

/* The ids of q's page in (distance, id) order, from the nearest points
 * of search_geo_point that hold it and each point's first users in id
 * order: 1 with ids[0..*n), 0 when the grid does not reach (near a pole
 * or the antimeridian, or no radius and fewer users than the page within
 * its widest circle), -1 on error. */
int pg_search_near_ids(struct store *st, struct arena *a, const struct search_query *q, int64_t **ids, int *n,
                       struct err *e);

/* A distance page of q with a radius that pg_search_radius_fits: its
 * count (less the viewer's hides and the excluded user) and its page's
 * ids in (distance, id) order with their distances, in a statement for
 * the count and one per ring of points: 1 with *count, ids[0..*n) and
 * km[0..*n), 0 when the grid does not
 * reach, -1 on error. */
int pg_search_radius_page(struct store *st, struct arena *a, const struct search_query *q, int64_t *count,
                          int64_t **ids, double **km, int *n, struct err *e);

#endif
