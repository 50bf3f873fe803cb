/* pg_todo.c - the store functions not yet written for PostgreSQL: each
 * answers 503 "not_available" (and logs it). Each is removed from here when
 * its pg_*.c implementation lands; this file goes when it is empty. */
#include "core/log.h"
#include "store/pg_internal.h"

static bool todo(struct err *e, const char *name)
{
    log_error("postgresql: %s is not available on PostgreSQL yet", name);
    return err_set(e, ERR_UNAVAILABLE, "not_available", "This operation is not available on PostgreSQL yet.");
}

/* pg.c (to port) */
/* pg_account.c (to port) */
/* pg_account_purge.c (to port) */
/* pg_accounts.c (to port) */
/* pg_avatar.c (to port) */
/* pg_backup.c (to port) */
/* pg_category.c (to port) */
/* pg_export.c (to port) */
/* pg_graph.c (to port) */
/* pg_media.c (to port) */
/* pg_oauth.c (to port) */
/* pg_post.c (to port) */
/* pg_pref.c (to port) */
/* pg_provider.c (to port) */
/* pg_search.c (to port) */
bool pg_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                     struct err *e)
{
    (void)st;
    (void)a;
    (void)q;
    (void)out;
    return todo(e, "search_users");
}

/* pg_search_check.c (to port) */
bool pg_search_users_naive(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out,
                           struct err *e)
{
    (void)st;
    (void)a;
    (void)q;
    (void)out;
    return todo(e, "search_users_naive");
}

int64_t pg_search_check(struct store *st, struct err *e)
{
    (void)st;
    todo(e, "search_check");
    return -1;
}

/* pg_search_plan.c (to port) */
bool pg_search_plan(struct store *st, struct arena *a, const char *term, const char **plan, struct err *e)
{
    (void)st;
    (void)a;
    (void)term;
    (void)plan;
    return todo(e, "search_plan");
}

/* pg_seed.c (to port) */
bool pg_search_reindex(struct store *st, struct err *e)
{
    (void)st;
    return todo(e, "search_reindex");
}

/* pg_seed_file.c (to port) */
bool pg_seed_file(struct store *st, json_t *doc, json_t **ids, struct err *e)
{
    (void)st;
    (void)doc;
    (void)ids;
    return todo(e, "seed_file");
}

/* pg_suggestion.c (to port) */
/* pg_tag.c (to port) */
/* pg_user.c (to port) */
/* pg_ratelimit.c (to port) */
