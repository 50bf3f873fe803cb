/* pg_search_plan.c - the EXPLAIN lines of the statements a lone text term
 * runs on PostgreSQL (its count, then its ranked first page), for the plan
 * test: a term of 1-2 characters must use users_search_words, a longer one
 * the trigram indexes, and neither may read the whole table. */
#include "store/store.h"

#include <string.h>

#include "store/pg_internal.h"
#include "store/pg_search_internal.h"
#include "store/test_hooks.h"

/* Appends the plan of "EXPLAIN <sql>" with b's values, one line each. */
static bool explain(struct store *st, const char *sql, const struct sql_query *b, struct buf *out, struct err *e)
{
    struct buf text = BUF_INIT;
    buf_printf(&text, "EXPLAIN %s", sql);
    PGresult *r = pg_query_custom(st, buf_str(&text), b, e);
    buf_free(&text);
    if (!r)
        return false;
    for (int i = 0; i < PQntuples(r); i++)
        buf_printf(out, "%s\n", PQgetvalue(r, i, 0));
    PQclear(r);
    return true;
}

bool pg_search_plan(struct store *st, struct arena *a, const char *term, const char **plan, struct err *e)
{
    struct search_query q = {.term = term, .limit = 20};
    struct pg_search_sql s;
    pg_search_begin(&s, a, &q, false);
    struct buf out = BUF_INIT, sql = BUF_INIT;
    buf_printf(&sql, "SELECT count(*)%s", buf_str(&s.w.sql));
    bool ok = explain(st, buf_str(&sql), &s.w, &out, e);
    buf_reset(&sql);
    buf_printf(&sql, "SELECT u.id%s", buf_str(&s.w.sql));
    pg_search_order(&s, &sql);
    int lim = sql_int(&s.w, q.limit);
    buf_printf(&sql, " LIMIT $%d", lim);
    ok = ok && explain(st, buf_str(&sql), &s.w, &out, e);
    *plan = arena_strdup(a, buf_str(&out));
    buf_free(&out);
    buf_free(&sql);
    buf_free(&s.w.sql);
    return ok;
}
