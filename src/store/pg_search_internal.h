/* pg_search_internal.h - the statements of a PostgreSQL search, shared by
 * the search (pg_search.c), its reference and audit (pg_search_check.c)
 * and its plans (pg_search_plan.c). Only src/store/pg_search*.c include
 * it. */
#ifndef HEARTH_STORE_PG_SEARCH_INTERNAL_H
#define HEARTH_STORE_PG_SEARCH_INTERNAL_H

#include <stdbool.h>

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

#endif
