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
bool pg_account_profile_write(struct store *st, const struct user *u, struct err *e)
{
    (void)st; (void)u;
    return todo(e, "account_profile_write");
}

bool pg_account_related_users(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, size_t *n, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)ids; (void)n;
    return todo(e, "account_related_users");
}

bool pg_account_soft_delete(struct store *st, int64_t user_id, int64_t now, struct err *e)
{
    (void)st; (void)user_id; (void)now;
    return todo(e, "account_soft_delete");
}

bool pg_account_hard_delete(struct store *st, int64_t user_id, int64_t now, struct err *e)
{
    (void)st; (void)user_id; (void)now;
    return todo(e, "account_hard_delete");
}

bool pg_account_set_email(struct store *st, int64_t user_id, const char *email, bool valid, struct err *e)
{
    (void)st; (void)user_id; (void)email; (void)valid;
    return todo(e, "account_set_email");
}

bool pg_account_set_password(struct store *st, int64_t user_id, const char *hash, int64_t valid_after, struct err *e)
{
    (void)st; (void)user_id; (void)hash; (void)valid_after;
    return todo(e, "account_set_password");
}

int pg_email_change_get(struct store *st, struct arena *a, int64_t user_id, struct email_change *out, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)out;
    todo(e, "email_change_get");
    return -1;
}

bool pg_email_change_put(struct store *st, int64_t user_id, const struct email_change *c, struct err *e)
{
    (void)st; (void)user_id; (void)c;
    return todo(e, "email_change_put");
}

bool pg_email_change_count_attempt(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    return todo(e, "email_change_count_attempt");
}

bool pg_email_change_delete(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    return todo(e, "email_change_delete");
}

int pg_settings_get(struct store *st, int64_t user_id, int out[STORE_SETTINGS_COUNT], struct err *e)
{
    (void)st; (void)user_id; (void)out;
    todo(e, "settings_get");
    return -1;
}

bool pg_settings_put(struct store *st, int64_t user_id, const int values[STORE_SETTINGS_COUNT], struct err *e)
{
    (void)st; (void)user_id; (void)values;
    return todo(e, "settings_put");
}

/* pg_account_purge.c (to port) */
bool pg_account_purge_mark(struct store *st, int64_t user_id, int64_t now_us, struct err *e)
{
    (void)st; (void)user_id; (void)now_us;
    return todo(e, "account_purge_mark");
}

int pg_account_purge_marked(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    todo(e, "account_purge_marked");
    return -1;
}

bool pg_account_purge_unmark(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    return todo(e, "account_purge_unmark");
}

bool pg_account_purge_pending(struct store *st, struct arena *a, int64_t **ids, size_t *n, struct err *e)
{
    (void)st; (void)a; (void)ids; (void)n;
    return todo(e, "account_purge_pending");
}

bool pg_account_purge_batch(struct store *st, int64_t user_id, int limit, int64_t *removed, struct err *e)
{
    (void)st; (void)user_id; (void)limit; (void)removed;
    return todo(e, "account_purge_batch");
}

/* pg_accounts.c (to port) */
bool pg_code_put(struct store *st, int64_t user_id, const char *purpose, const char *code_hash, int64_t created_us, int64_t expires_us, struct err *e)
{
    (void)st; (void)user_id; (void)purpose; (void)code_hash; (void)created_us; (void)expires_us;
    return todo(e, "code_put");
}

int pg_code_get(struct store *st, struct arena *a, const char *code_hash, struct account_code *out, struct err *e)
{
    (void)st; (void)a; (void)code_hash; (void)out;
    todo(e, "code_get");
    return -1;
}

bool pg_code_delete(struct store *st, int64_t id, struct err *e)
{
    (void)st; (void)id;
    return todo(e, "code_delete");
}

bool pg_code_delete_user(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    return todo(e, "code_delete_user");
}

bool pg_signup_put(struct store *st, int64_t user_id, const char *state, int64_t now_us, struct err *e)
{
    (void)st; (void)user_id; (void)state; (void)now_us;
    return todo(e, "signup_put");
}

int pg_signup_get(struct store *st, int64_t user_id, const char **state, struct err *e)
{
    (void)st; (void)user_id; (void)state;
    todo(e, "signup_get");
    return -1;
}

bool pg_signup_delete(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    return todo(e, "signup_delete");
}

bool pg_signup_set_status(struct store *st, int64_t user_id, enum user_status status, struct err *e)
{
    (void)st; (void)user_id; (void)status;
    return todo(e, "signup_set_status");
}

int pg_account_find_username(struct store *st, struct arena *a, const char *username, struct user *out, struct err *e)
{
    (void)st; (void)a; (void)username; (void)out;
    todo(e, "account_find_username");
    return -1;
}

int pg_account_find_email(struct store *st, struct arena *a, const char *email, struct user *out, struct err *e)
{
    (void)st; (void)a; (void)email; (void)out;
    todo(e, "account_find_email");
    return -1;
}

int pg_account_find_ext_id(struct store *st, struct arena *a, int64_t ext_id, struct user *out, struct err *e)
{
    (void)st; (void)a; (void)ext_id; (void)out;
    todo(e, "account_find_ext_id");
    return -1;
}

int pg_client_first_public(struct store *st, struct arena *a, struct oauth_client *out, struct err *e)
{
    (void)st; (void)a; (void)out;
    todo(e, "client_first_public");
    return -1;
}

bool pg_mail_enqueue(struct store *st, const char *kind, const char *recipient, const char *params, int64_t now_us, struct err *e)
{
    (void)st; (void)kind; (void)recipient; (void)params; (void)now_us;
    return todo(e, "mail_enqueue");
}

int pg_mail_due(struct store *st, int64_t now_us, struct err *e)
{
    (void)st; (void)now_us;
    todo(e, "mail_due");
    return -1;
}

int pg_mail_claim(struct store *st, struct arena *a, int64_t now_us, int64_t lease_us, struct mail_row *out, struct err *e)
{
    (void)st; (void)a; (void)now_us; (void)lease_us; (void)out;
    todo(e, "mail_claim");
    return -1;
}

bool pg_mail_sent(struct store *st, int64_t id, int64_t now_us, struct err *e)
{
    (void)st; (void)id; (void)now_us;
    return todo(e, "mail_sent");
}

bool pg_mail_retry(struct store *st, int64_t id, int64_t next_attempt_us, bool give_up, const char *error, struct err *e)
{
    (void)st; (void)id; (void)next_attempt_us; (void)give_up; (void)error;
    return todo(e, "mail_retry");
}

bool pg_mail_prune(struct store *st, int64_t before_us, int64_t *removed, struct err *e)
{
    (void)st; (void)before_us; (void)removed;
    return todo(e, "mail_prune");
}

/* pg_avatar.c (to port) */
int64_t pg_avatar_count(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    todo(e, "avatar_count");
    return -1;
}

bool pg_avatar_list(struct store *st, struct arena *a, int64_t user_id, int limit, int offset, struct user_avatar **out, int *n, int64_t *count, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)limit; (void)offset; (void)out; (void)n; (void)count;
    return todo(e, "avatar_list");
}

int pg_avatar_get(struct store *st, struct arena *a, int64_t user_id, int64_t avatar_id, struct user_avatar *out, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)avatar_id; (void)out;
    todo(e, "avatar_get");
    return -1;
}

int pg_avatar_primary(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)out;
    todo(e, "avatar_primary");
    return -1;
}

int pg_avatar_newest(struct store *st, struct arena *a, int64_t user_id, struct user_avatar *out, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)out;
    todo(e, "avatar_newest");
    return -1;
}

bool pg_avatar_insert(struct store *st, int64_t user_id, const char *file, int64_t uploaded_us, int64_t *id, struct err *e)
{
    (void)st; (void)user_id; (void)file; (void)uploaded_us; (void)id;
    return todo(e, "avatar_insert");
}

bool pg_avatar_set_primary(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e)
{
    (void)st; (void)user_id; (void)avatar_id;
    return todo(e, "avatar_set_primary");
}

bool pg_avatar_delete(struct store *st, int64_t user_id, int64_t avatar_id, struct err *e)
{
    (void)st; (void)user_id; (void)avatar_id;
    return todo(e, "avatar_delete");
}

bool pg_avatar_purge(struct store *st, struct arena *a, int64_t user_id, const char ***files, size_t *n, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)files; (void)n;
    return todo(e, "avatar_purge");
}

/* pg_backup.c (to port) */
/* pg_category.c (to port) */
/* pg_export.c (to port) */
/* pg_graph.c (to port) */
/* pg_media.c (to port) */
/* pg_oauth.c (to port) */
/* pg_post.c (to port) */
/* pg_pref.c (to port) */
/* pg_provider.c (to port) */
bool pg_provider_list(struct store *st, struct arena *a, int64_t user_id, int max, struct provider_assoc **out, int *n, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)max; (void)out; (void)n;
    return todo(e, "provider_list");
}

bool pg_provider_insert(struct store *st, const struct provider_assoc *p, struct err *e)
{
    (void)st; (void)p;
    return todo(e, "provider_insert");
}

int pg_provider_delete(struct store *st, int64_t user_id, const char *provider, const char *ext_id, struct err *e)
{
    (void)st; (void)user_id; (void)provider; (void)ext_id;
    todo(e, "provider_delete");
    return -1;
}

/* pg_search.c (to port) */
bool pg_search_users(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out, struct err *e)
{
    (void)st; (void)a; (void)q; (void)out;
    return todo(e, "search_users");
}

/* pg_search_check.c (to port) */
bool pg_search_users_naive(struct store *st, struct arena *a, const struct search_query *q, struct search_page *out, struct err *e)
{
    (void)st; (void)a; (void)q; (void)out;
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
    (void)st; (void)a; (void)term; (void)plan;
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
    (void)st; (void)doc; (void)ids;
    return todo(e, "seed_file");
}

/* pg_suggestion.c (to port) */
/* pg_tag.c (to port) */
/* pg_user.c (to port) */
