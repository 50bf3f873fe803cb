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
/* pg_backup.c (to port) */
/* pg_category.c (to port) */
int pg_category_get(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e)
{
    (void)st; (void)a; (void)id; (void)out;
    todo(e, "category_get");
    return -1;
}

int pg_category_name_taken(struct store *st, const char *name, int64_t except_id, struct err *e)
{
    (void)st; (void)name; (void)except_id;
    todo(e, "category_name_taken");
    return -1;
}

int pg_category_slug_taken(struct store *st, const char *slug, int64_t except_id, struct err *e)
{
    (void)st; (void)slug; (void)except_id;
    todo(e, "category_slug_taken");
    return -1;
}

bool pg_category_insert(struct store *st, struct category *c, struct err *e)
{
    (void)st; (void)c;
    return todo(e, "category_insert");
}

bool pg_category_update(struct store *st, const struct category *c, struct err *e)
{
    (void)st; (void)c;
    return todo(e, "category_update");
}

bool pg_category_followers_counter_add(struct store *st, int64_t category_id, int delta, struct err *e)
{
    (void)st; (void)category_id; (void)delta;
    return todo(e, "category_followers_counter_add");
}

bool pg_category_list(struct store *st, struct arena *a, const struct category_filter *f, struct category_page *out, struct err *e)
{
    (void)st; (void)a; (void)f; (void)out;
    return todo(e, "category_list");
}

int pg_category_follow_exists(struct store *st, int64_t user_id, int64_t category_id, struct err *e)
{
    (void)st; (void)user_id; (void)category_id;
    todo(e, "category_follow_exists");
    return -1;
}

bool pg_category_follow_set(struct store *st, int64_t user_id, int64_t category_id, bool follow, struct err *e)
{
    (void)st; (void)user_id; (void)category_id; (void)follow;
    return todo(e, "category_follow_set");
}

bool pg_category_followed(struct store *st, struct arena *a, int64_t user_id, int max, struct category **out, int *n, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)max; (void)out; (void)n;
    return todo(e, "category_followed");
}

bool pg_category_of_post(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n, struct err *e)
{
    (void)st; (void)a; (void)post_id; (void)out; (void)n;
    return todo(e, "category_of_post");
}

/* pg_export.c (to port) */
int pg_export_get(struct store *st, struct arena *a, int64_t user_id, struct store_export *out, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)out;
    todo(e, "export_get");
    return -1;
}

bool pg_export_request(struct store *st, int64_t user_id, int64_t now_us, const char *base_url, struct err *e)
{
    (void)st; (void)user_id; (void)now_us; (void)base_url;
    return todo(e, "export_request");
}

int pg_export_claim(struct store *st, struct arena *a, int64_t now_us, const char *file_name, struct store_export *out, struct err *e)
{
    (void)st; (void)a; (void)now_us; (void)file_name; (void)out;
    todo(e, "export_claim");
    return -1;
}

int pg_export_finish(struct store *st, int64_t user_id, const char *file_name, enum store_export_status status, int64_t now_us, int64_t size_bytes, const char *error, struct err *e)
{
    (void)st; (void)user_id; (void)file_name; (void)status; (void)now_us; (void)size_bytes; (void)error;
    todo(e, "export_finish");
    return -1;
}

bool pg_export_recover(struct store *st, int max_attempts, const char *error, int64_t now_us, int64_t *requeued, int64_t *failed, struct err *e)
{
    (void)st; (void)max_attempts; (void)error; (void)now_us; (void)requeued; (void)failed;
    return todo(e, "export_recover");
}

bool pg_export_mark_downloaded(struct store *st, int64_t user_id, int64_t now_us, struct err *e)
{
    (void)st; (void)user_id; (void)now_us;
    return todo(e, "export_mark_downloaded");
}

bool pg_export_expire(struct store *st, int64_t before_us, int64_t *removed, struct err *e)
{
    (void)st; (void)before_us; (void)removed;
    return todo(e, "export_expire");
}

bool pg_export_file_names(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e)
{
    (void)st; (void)a; (void)names; (void)n;
    return todo(e, "export_file_names");
}

bool pg_export_media(struct store *st, struct arena *a, int64_t user_id, struct store_export_file **out, size_t *n, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)out; (void)n;
    return todo(e, "export_media");
}

/* pg_graph.c (to port) */
bool pg_graph_statuses(struct store *st, int64_t a_id, int64_t b_id, enum user_status *a_status, enum user_status *b_status, struct err *e)
{
    (void)st; (void)a_id; (void)b_id; (void)a_status; (void)b_status;
    return todo(e, "graph_statuses");
}

bool pg_graph_counters_add(struct store *st, int64_t user_id, const struct graph_counter_delta *d, struct err *e)
{
    (void)st; (void)user_id; (void)d;
    return todo(e, "graph_counters_add");
}

int pg_graph_follow_exists(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e)
{
    (void)st; (void)follower_id; (void)followed_id;
    todo(e, "graph_follow_exists");
    return -1;
}

bool pg_graph_follow_insert(struct store *st, int64_t follower_id, int64_t followed_id, int64_t now_us, struct err *e)
{
    (void)st; (void)follower_id; (void)followed_id; (void)now_us;
    return todo(e, "graph_follow_insert");
}

bool pg_graph_follow_delete(struct store *st, int64_t follower_id, int64_t followed_id, struct err *e)
{
    (void)st; (void)follower_id; (void)followed_id;
    return todo(e, "graph_follow_delete");
}

int pg_graph_connected(struct store *st, int64_t user_id, int64_t other_id, struct err *e)
{
    (void)st; (void)user_id; (void)other_id;
    todo(e, "graph_connected");
    return -1;
}

bool pg_graph_connection_insert(struct store *st, int64_t a_id, int64_t b_id, int64_t now_us, struct err *e)
{
    (void)st; (void)a_id; (void)b_id; (void)now_us;
    return todo(e, "graph_connection_insert");
}

bool pg_graph_connection_delete(struct store *st, int64_t a_id, int64_t b_id, struct err *e)
{
    (void)st; (void)a_id; (void)b_id;
    return todo(e, "graph_connection_delete");
}

int pg_graph_request_get(struct store *st, int64_t from_id, int64_t to_id, struct graph_request *out, struct err *e)
{
    (void)st; (void)from_id; (void)to_id; (void)out;
    todo(e, "graph_request_get");
    return -1;
}

bool pg_graph_request_insert(struct store *st, int64_t from_id, int64_t to_id, int64_t now_us, struct err *e)
{
    (void)st; (void)from_id; (void)to_id; (void)now_us;
    return todo(e, "graph_request_insert");
}

bool pg_graph_request_delete(struct store *st, int64_t id, struct err *e)
{
    (void)st; (void)id;
    return todo(e, "graph_request_delete");
}

bool pg_graph_request_set_rejected(struct store *st, int64_t id, int64_t rejected_us, struct err *e)
{
    (void)st; (void)id; (void)rejected_us;
    return todo(e, "graph_request_set_rejected");
}

bool pg_graph_request_set_viewed(struct store *st, int64_t id, int64_t now_us, struct err *e)
{
    (void)st; (void)id; (void)now_us;
    return todo(e, "graph_request_set_viewed");
}

int pg_graph_hide_exists(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e)
{
    (void)st; (void)user_id; (void)hidden_id;
    todo(e, "graph_hide_exists");
    return -1;
}

bool pg_graph_hide_insert(struct store *st, int64_t user_id, int64_t hidden_id, int64_t now_us, struct err *e)
{
    (void)st; (void)user_id; (void)hidden_id; (void)now_us;
    return todo(e, "graph_hide_insert");
}

bool pg_graph_hide_delete(struct store *st, int64_t user_id, int64_t hidden_id, struct err *e)
{
    (void)st; (void)user_id; (void)hidden_id;
    return todo(e, "graph_hide_delete");
}

int64_t pg_graph_hide_count(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    todo(e, "graph_hide_count");
    return -1;
}

bool pg_graph_relations(struct store *st, struct arena *a, int64_t viewer_id, const int64_t *ids, int n, struct graph_relation_row **rows, int *nrows, struct err *e)
{
    (void)st; (void)a; (void)viewer_id; (void)ids; (void)n; (void)rows; (void)nrows;
    return todo(e, "graph_relations");
}

bool pg_graph_user_list(struct store *st, struct arena *a, const struct graph_list_query *lq, struct user_page *out, struct err *e)
{
    (void)st; (void)a; (void)lq; (void)out;
    return todo(e, "graph_user_list");
}

bool pg_graph_hidden_ids(struct store *st, struct arena *a, int64_t user_id, int max, int64_t **ids, int *n, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)max; (void)ids; (void)n;
    return todo(e, "graph_hidden_ids");
}

bool pg_graph_request_list(struct store *st, struct arena *a, int64_t user_id, bool sent, int limit, int offset, struct graph_request_page *out, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)sent; (void)limit; (void)offset; (void)out;
    return todo(e, "graph_request_list");
}

/* pg_media.c (to port) */
bool pg_media_referenced(struct store *st, struct arena *a, const char ***names, size_t *n, struct err *e)
{
    (void)st; (void)a; (void)names; (void)n;
    return todo(e, "media_referenced");
}

/* pg_oauth.c (to port) */
bool pg_client_insert(struct store *st, const char *client_id, const char *secret_hash, const char *name, struct err *e)
{
    (void)st; (void)client_id; (void)secret_hash; (void)name;
    return todo(e, "client_insert");
}

int pg_client_get(struct store *st, struct arena *a, const char *client_id, struct oauth_client *out, struct err *e)
{
    (void)st; (void)a; (void)client_id; (void)out;
    todo(e, "client_get");
    return -1;
}

bool pg_token_insert(struct store *st, const struct oauth_token *t, const char *access_hash, const char *refresh_hash, int64_t *id, struct err *e)
{
    (void)st; (void)t; (void)access_hash; (void)refresh_hash; (void)id;
    return todo(e, "token_insert");
}

int pg_token_by_access(struct store *st, const char *access_hash, struct oauth_token *out, struct err *e)
{
    (void)st; (void)access_hash; (void)out;
    todo(e, "token_by_access");
    return -1;
}

int pg_token_by_refresh(struct store *st, const char *refresh_hash, struct oauth_token *out, struct err *e)
{
    (void)st; (void)refresh_hash; (void)out;
    todo(e, "token_by_refresh");
    return -1;
}

bool pg_token_delete(struct store *st, int64_t id, struct err *e)
{
    (void)st; (void)id;
    return todo(e, "token_delete");
}

bool pg_token_delete_user(struct store *st, int64_t user_id, int64_t except_id, struct err *e)
{
    (void)st; (void)user_id; (void)except_id;
    return todo(e, "token_delete_user");
}

bool pg_token_purge_expired(struct store *st, int64_t now, struct err *e)
{
    (void)st; (void)now;
    return todo(e, "token_purge_expired");
}

/* pg_post.c (to port) */
bool pg_post_insert(struct store *st, struct post *p, const int64_t *category_ids, int ncategories, struct err *e)
{
    (void)st; (void)p; (void)category_ids; (void)ncategories;
    return todo(e, "post_insert");
}

int pg_post_get(struct store *st, struct arena *a, int64_t id, struct post *out, struct err *e)
{
    (void)st; (void)a; (void)id; (void)out;
    todo(e, "post_get");
    return -1;
}

bool pg_post_soft_delete(struct store *st, const struct post *p, struct err *e)
{
    (void)st; (void)p;
    return todo(e, "post_soft_delete");
}

bool pg_post_by_author(struct store *st, struct arena *a, int64_t author_id, int limit, int offset, struct post_page *out, struct err *e)
{
    (void)st; (void)a; (void)author_id; (void)limit; (void)offset; (void)out;
    return todo(e, "post_by_author");
}

/* pg_pref.c (to port) */
void pg_pref_cache_free(struct store *st) { (void)st; }

bool pg_pref_list(struct store *st, struct arena *a, struct pref **out, int *n, struct err *e)
{
    (void)st; (void)a; (void)out; (void)n;
    return todo(e, "pref_list");
}

int pg_pref_get(struct store *st, struct arena *a, const char *section, const char *name, struct pref *out, struct err *e)
{
    (void)st; (void)a; (void)section; (void)name; (void)out;
    todo(e, "pref_get");
    return -1;
}

int pg_pref_get_id(struct store *st, struct arena *a, int64_t id, struct pref *out, struct err *e)
{
    (void)st; (void)a; (void)id; (void)out;
    todo(e, "pref_get_id");
    return -1;
}

bool pg_pref_set(struct store *st, int64_t id, const json_t *value, struct err *e)
{
    (void)st; (void)id; (void)value;
    return todo(e, "pref_set");
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
bool pg_seed(struct store *st, const struct seed_options *o, struct seed_stats *out, struct err *e)
{
    (void)st; (void)o; (void)out;
    return todo(e, "seed");
}

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
bool pg_suggestion_second_degree(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, int first_max, int second_max, int64_t **ids, int *n, struct err *e)
{
    (void)st; (void)a; (void)viewer_id; (void)follow_mode; (void)first_max; (void)second_max; (void)ids; (void)n;
    return todo(e, "suggestion_second_degree");
}

bool pg_suggestion_eligible(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *ids, int n, struct suggestion_candidate **out, int *nout, struct err *e)
{
    (void)st; (void)a; (void)viewer_id; (void)follow_mode; (void)ids; (void)n; (void)out; (void)nout;
    return todo(e, "suggestion_eligible");
}

int64_t pg_suggestion_count(struct store *st, int64_t viewer_id, bool follow_mode, struct err *e)
{
    (void)st; (void)viewer_id; (void)follow_mode;
    todo(e, "suggestion_count");
    return -1;
}

bool pg_suggestion_popular(struct store *st, struct arena *a, int64_t viewer_id, bool follow_mode, const int64_t *skip, int nskip, int limit, int64_t offset, struct user *out, int *n, struct err *e)
{
    (void)st; (void)a; (void)viewer_id; (void)follow_mode; (void)skip; (void)nskip; (void)limit; (void)offset; (void)out; (void)n;
    return todo(e, "suggestion_popular");
}

bool pg_suggestion_category_search(struct store *st, struct arena *a, const char *term, int limit, int offset, struct suggestion_category_hit **out, int *n, int64_t *count, struct err *e)
{
    (void)st; (void)a; (void)term; (void)limit; (void)offset; (void)out; (void)n; (void)count;
    return todo(e, "suggestion_category_search");
}

bool pg_suggestion_category_unfollowed(struct store *st, struct arena *a, int64_t viewer_id, int limit, int offset, int64_t **ids, int *n, int64_t *count, struct err *e)
{
    (void)st; (void)a; (void)viewer_id; (void)limit; (void)offset; (void)ids; (void)n; (void)count;
    return todo(e, "suggestion_category_unfollowed");
}

bool pg_suggestion_match_usernames(struct store *st, struct arena *a, int64_t viewer_id, const char *const *folded, int n, struct user **out, int *nout, struct err *e)
{
    (void)st; (void)a; (void)viewer_id; (void)folded; (void)n; (void)out; (void)nout;
    return todo(e, "suggestion_match_usernames");
}

/* pg_tag.c (to port) */
bool pg_tag_insert(struct store *st, const struct tag *t, int64_t *id, struct err *e)
{
    (void)st; (void)t; (void)id;
    return todo(e, "tag_insert");
}

int pg_tag_get(struct store *st, struct arena *a, int64_t id, struct tag *out, struct err *e)
{
    (void)st; (void)a; (void)id; (void)out;
    todo(e, "tag_get");
    return -1;
}

bool pg_tag_update(struct store *st, const struct tag *t, struct err *e)
{
    (void)st; (void)t;
    return todo(e, "tag_update");
}

bool pg_tag_list(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out, struct err *e)
{
    (void)st; (void)a; (void)f; (void)out;
    return todo(e, "tag_list");
}

bool pg_tag_assign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e)
{
    (void)st; (void)tag_id; (void)user_id;
    return todo(e, "tag_assign");
}

bool pg_tag_unassign(struct store *st, int64_t tag_id, int64_t user_id, struct err *e)
{
    (void)st; (void)tag_id; (void)user_id;
    return todo(e, "tag_unassign");
}

bool pg_tag_of_users(struct store *st, struct arena *a, const int64_t *users, int n, struct user_tag **out, int *nout, struct err *e)
{
    (void)st; (void)a; (void)users; (void)n; (void)out; (void)nout;
    return todo(e, "tag_of_users");
}

bool pg_tag_addressable(struct store *st, struct arena *a, int64_t user_id, int max, struct tag **out, int *n, struct err *e)
{
    (void)st; (void)a; (void)user_id; (void)max; (void)out; (void)n;
    return todo(e, "tag_addressable");
}

/* pg_user.c (to port) */
int pg_user_get(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e)
{
    (void)st; (void)a; (void)id; (void)out;
    todo(e, "user_get");
    return -1;
}

int pg_user_get_by_login(struct store *st, struct arena *a, const char *login, struct user *out, struct err *e)
{
    (void)st; (void)a; (void)login; (void)out;
    todo(e, "user_get_by_login");
    return -1;
}

int pg_user_username_taken(struct store *st, const char *username, int64_t except_id, struct err *e)
{
    (void)st; (void)username; (void)except_id;
    todo(e, "user_username_taken");
    return -1;
}

int pg_user_email_taken(struct store *st, const char *email, int64_t except_id, struct err *e)
{
    (void)st; (void)email; (void)except_id;
    todo(e, "user_email_taken");
    return -1;
}

int pg_user_ext_id_taken(struct store *st, int64_t ext_id, int64_t except_id, struct err *e)
{
    (void)st; (void)ext_id; (void)except_id;
    todo(e, "user_ext_id_taken");
    return -1;
}

bool pg_user_insert(struct store *st, const struct user *u, int64_t *id, struct err *e)
{
    (void)st; (void)u; (void)id;
    return todo(e, "user_insert");
}

int64_t pg_user_count(struct store *st, struct err *e)
{
    (void)st;
    todo(e, "user_count");
    return -1;
}

bool pg_user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out, struct err *e)
{
    (void)st; (void)a; (void)f; (void)out;
    return todo(e, "user_list");
}

bool pg_user_counters_recompute(struct store *st, int64_t user_id, struct err *e)
{
    (void)st; (void)user_id;
    return todo(e, "user_counters_recompute");
}

int64_t pg_user_counters_check(struct store *st, store_counter_fn *fn, void *ctx, struct err *e)
{
    (void)st; (void)fn; (void)ctx;
    todo(e, "user_counters_check");
    return -1;
}

