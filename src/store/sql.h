/* sql.h - SQL text composed at run time with its values, for any engine.
 *
 * A query with optional filters is written into `sql` with `$N`
 * placeholders (PostgreSQL's numbering, which the SQLite backend keeps),
 * while its values go into a bounded list in the same order: values never
 * enter the text, so each filter combination is one statement shape. Each
 * backend binds the list to its statement (sqlite_sql.c: sqlite_query_*).
 *
 * Ownership: the text is the caller's (buf_free, or the backend's prepare
 * frees it); text values are borrowed and must outlive the statement's
 * execution. Not thread-safe (one query, one thread).
 */
#ifndef HEARTH_STORE_SQL_H
#define HEARTH_STORE_SQL_H

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/buf.h"

enum {
    /* Values of one composed query: the search builders use at most about
     * 30 (every condition of a query with its bounds). */
    SQL_MAX_BINDS = 48,
};

enum sql_type { SQL_TEXT, SQL_INT, SQL_REAL };

struct sql_value {
    enum sql_type type;
    const char *text; /* SQL_TEXT; NULL binds SQL NULL */
    int64_t i;
    double d;
};

struct sql_query {
    struct buf sql;
    struct sql_value v[SQL_MAX_BINDS];
    int n; /* values added; the last one is $n */
};

/* Add a value and return its placeholder number N (for "$N"). */
static inline int sql_add(struct sql_query *q, struct sql_value v)
{
    assert(q->n >= 0 && q->n < SQL_MAX_BINDS);
    if (q->n >= SQL_MAX_BINDS)
        abort(); /* a builder bug: never write past the list, even with NDEBUG */
    q->v[q->n] = v;
    return ++q->n;
}

static inline int sql_text(struct sql_query *q, const char *s)
{
    return sql_add(q, (struct sql_value){.type = SQL_TEXT, .text = s});
}

static inline int sql_int(struct sql_query *q, int64_t i)
{
    return sql_add(q, (struct sql_value){.type = SQL_INT, .i = i});
}

static inline int sql_real(struct sql_query *q, double d)
{
    return sql_add(q, (struct sql_value){.type = SQL_REAL, .d = d});
}

#endif
