/* graph_api.c - HTTP ↔ domain for the social graph: lists of followers,
 * followings, connections and hidden users; connection requests; the
 * follow, hide and connection actions; yes/no questions; connection
 * statuses; counters. The rules are in domain/graph.c. */
#include "api/graph_api.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/list_cursor_api.h"
#include "api/user_json.h"
#include "core/clock.h"
#include "core/text.h"
#include "domain/field.h"
#include "domain/graph.h"
#include "domain/prefs.h"

enum {
    GRAPH_PAGE_DEFAULT = 20, /* contract §3 */
    GRAPH_PAGE_MAX = 100,    /* contract §3 */
    PREFER_MAX = 256,        /* bytes of a Prefer header we read; real ones are a few words */
};

/* ================================================================ */
/* lists                                                            */

/* mutual=1|true|True: the caller's own relations first. */
static bool query_mutual(struct request *req)
{
    bool v = false;
    json_t *m = json_object_get(req->query, "mutual");
    return m && http_parse_bool(m, &v) && v;
}

static bool list_users(struct request *req, struct response *resp, struct err *e, enum graph_list_kind kind,
                       int64_t owner)
{
    struct user_view v;
    user_view_init(req, &v);
    struct graph_list_query q = {
        .kind = kind, .user_id = owner, .viewer_id = req->who.user_id, .follow_mode = v.follow_mode};
    q.mutual = kind != GRAPH_LIST_HIDDEN && query_mutual(req);
    http_pagination(req, GRAPH_PAGE_DEFAULT, GRAPH_PAGE_MAX, &q.limit, &q.offset);
    struct user_page page = {0};
    if (!list_cursor_param(req, (int)kind, owner, &q.cursor, e) ||
        !graph_user_list(req->store, req->arena, &q, &page, e))
        return false;
    list_cursor_next(req, q.cursor, page.next_cursor);
    user_page_respond(req, resp, &v, page.items, page.n, page.count, q.limit, q.offset);
    return true;
}

bool graph_api_followers(struct request *req, struct response *resp, struct err *e)
{
    return list_users(req, resp, e, GRAPH_LIST_FOLLOWERS, req->id);
}

bool graph_api_followings(struct request *req, struct response *resp, struct err *e)
{
    return list_users(req, resp, e, GRAPH_LIST_FOLLOWINGS, req->id);
}

bool graph_api_connections(struct request *req, struct response *resp, struct err *e)
{
    return list_users(req, resp, e, GRAPH_LIST_CONNECTIONS, req->id);
}

bool graph_api_hidden_users(struct request *req, struct response *resp, struct err *e)
{
    return list_users(req, resp, e, GRAPH_LIST_HIDDEN, req->who.user_id);
}

bool graph_api_hidden_users_id(struct request *req, struct response *resp, struct err *e)
{
    int64_t *ids = NULL;
    int n = 0;
    if (!graph_hidden_ids(req->store, req->arena, req->who.user_id, &ids, &n, e))
        return false;
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(ids[i]));
    http_json(resp, 200, a);
    return true;
}

/* ================================================================ */
/* connection requests                                              */

static json_t *time_or_null(int64_t us)
{
    if (!us)
        return json_null();
    char s[CLOCK_RFC3339_LEN];
    clock_format(us, s);
    return json_string(s);
}

static bool list_requests(struct request *req, struct response *resp, struct err *e, int64_t owner, bool sent)
{
    int limit, offset;
    http_pagination(req, GRAPH_PAGE_DEFAULT, GRAPH_PAGE_MAX, &limit, &offset);
    struct graph_request_page page;
    if (!graph_request_list(req->store, req->arena, &req->who, owner, sent, limit, offset, &page, e))
        return false;
    struct user me;
    if (!user_get_visible(req->store, req->arena, owner, &me, e))
        return false;
    struct user *others = arena_alloc(req->arena, sizeof *others * (size_t)(page.n > 0 ? page.n : 1));
    for (int i = 0; i < page.n; i++)
        others[i] = page.items[i].other;
    struct user_view v;
    user_view_init(req, &v);
    user_view_relations(req, &v, others, page.n);
    json_t *results = json_array();
    for (int i = 0; i < page.n; i++) {
        const struct graph_request *r = &page.items[i].r;
        json_t *other = user_json(req, &v, &others[i]), *mine = user_json(req, &v, &me);
        json_array_append_new(results, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)r->id, "from_user",
                                                 sent ? mine : other, "to_user", sent ? other : mine, "created",
                                                 time_or_null(r->created_us), "rejected", time_or_null(r->rejected_us),
                                                 "viewed", time_or_null(r->viewed_us)));
    }
    http_json(resp, 200, http_page(req, page.count, limit, offset, results));
    return true;
}

bool graph_api_requests(struct request *req, struct response *resp, struct err *e)
{
    return list_requests(req, resp, e, req->id, false);
}

bool graph_api_requests_sent(struct request *req, struct response *resp, struct err *e)
{
    return list_requests(req, resp, e, req->id, true);
}

bool graph_api_my_requests(struct request *req, struct response *resp, struct err *e)
{
    return list_requests(req, resp, e, req->who.user_id, false);
}

bool graph_api_my_requests_sent(struct request *req, struct response *resp, struct err *e)
{
    return list_requests(req, resp, e, req->who.user_id, true);
}

/* ================================================================ */
/* actions                                                          */

/* Whether the Prefer header (RFC 7240) asks for return=representation:
 * comma-separated preferences, each `name[=value][; params]`, the name
 * case-insensitive, the value possibly quoted. */
static bool prefer_representation(struct request *req)
{
    const char *h = http_header(req, "Prefer");
    if (!h || strlen(h) > PREFER_MAX)
        return false;
    const char *p = h;
    while (*p) {
        size_t n = strcspn(p, ",");
        const char *end = p + n, *s = p;
        while (s < end && isspace((unsigned char)*s))
            s++;
        const char *stop = s + strcspn(s, ";,");
        if (stop > end)
            stop = end;
        while (stop > s && isspace((unsigned char)stop[-1]))
            stop--;
        static const char want[] = "return=representation", quoted[] = "return=\"representation\"";
        size_t len = (size_t)(stop - s);
        if ((len == sizeof want - 1 && !strncasecmp(s, want, len)) ||
            (len == sizeof quoted - 1 && !strncasecmp(s, quoted, len)))
            return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

/* 204, or 200 {"connection_status"} (the caller's relation to {id} after
 * the action) when the client prefers a representation (contract §7). */
static bool act(struct request *req, struct response *resp, struct err *e, enum graph_action action)
{
    if (!graph_act(req->store, &req->who, req->id, action, e))
        return false;
    if (!prefer_representation(req)) {
        http_no_content(resp);
        return true;
    }
    enum graph_status s;
    bool follow_mode = prefs_follow_enabled(req->store, req->arena);
    if (!graph_status_of(req->store, req->arena, req->who.user_id, follow_mode, req->id, &s, e))
        return false;
    const char *name = graph_status_name(s);
    http_json(resp, 200, json_pack("{s:o}", "connection_status", name ? json_string(name) : json_null()));
    http_add_header(resp, "Preference-Applied", "return=representation");
    return true;
}

bool graph_api_follow(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_FOLLOW);
}

bool graph_api_hide(struct request *req, struct response *resp, struct err *e) { return act(req, resp, e, GRAPH_HIDE); }

bool graph_api_connection_request(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_REQUEST);
}

bool graph_api_connection_accept(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_ACCEPT);
}

bool graph_api_connection_reject(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_REJECT);
}

bool graph_api_connection_cancel_reject(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_CANCEL_REJECT);
}

bool graph_api_connection_cancel_request(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_CANCEL_REQUEST);
}

bool graph_api_connection_remove(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_REMOVE);
}

bool graph_api_mark_seen(struct request *req, struct response *resp, struct err *e)
{
    return act(req, resp, e, GRAPH_MARK_SEEN);
}

/* ================================================================ */
/* questions and statuses                                           */

static bool ask(struct request *req, struct response *resp, struct err *e, enum graph_question q, const char *key)
{
    bool answer;
    if (!graph_ask(req->store, req->arena, req->who.user_id, req->id, q, &answer, e))
        return false;
    http_json(resp, 200, json_pack("{s:b}", key, answer));
    return true;
}

bool graph_api_is_followed(struct request *req, struct response *resp, struct err *e)
{
    return ask(req, resp, e, GRAPH_IS_FOLLOWED, "is_followed");
}

bool graph_api_is_follower(struct request *req, struct response *resp, struct err *e)
{
    return ask(req, resp, e, GRAPH_IS_FOLLOWER, "is_follower");
}

bool graph_api_is_connection(struct request *req, struct response *resp, struct err *e)
{
    return ask(req, resp, e, GRAPH_IS_CONNECTION, "is_connection");
}

bool graph_api_is_hidden(struct request *req, struct response *resp, struct err *e)
{
    return ask(req, resp, e, GRAPH_IS_HIDDEN, "is_hidden");
}

bool graph_api_is_hidden_by(struct request *req, struct response *resp, struct err *e)
{
    return ask(req, resp, e, GRAPH_IS_HIDDEN_BY, "is_hidden_by");
}

bool graph_api_connection_status(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    enum graph_status s;
    bool follow_mode = prefs_follow_enabled(req->store, req->arena);
    if (!graph_status_of(req->store, req->arena, req->who.user_id, follow_mode, req->id, &s, e))
        return false;
    const char *name = graph_status_name(s);
    http_json(resp, 200, json_pack("{s:o}", "connection_status", name ? json_string(name) : json_null()));
    return true;
}

/* A positive decimal id of n bytes (leading/trailing spaces allowed). */
static bool parse_id(const char *s, size_t n, int64_t *out)
{
    text_trim_span(&s, &n);
    return text_parse_id(s, n, out);
}

/* The `users` field of a statuses body: a JSON array of ids (numbers or
 * digit strings), or a comma-separated string (forms). At most
 * GRAPH_STATUS_BATCH_MAX ids. */
static bool read_user_ids(struct request *req, int64_t **ids, int *n, struct err *e)
{
    json_t *v = json_is_object(req->body.fields) ? json_object_get(req->body.fields, "users") : NULL;
    if (!v || json_is_null(v))
        return err_field(e, "users", "required", "This field is required.");
    *ids = arena_alloc(req->arena, sizeof **ids * GRAPH_STATUS_BATCH_MAX);
    *n = 0;
    if (json_is_array(v)) {
        if (json_array_size(v) > GRAPH_STATUS_BATCH_MAX)
            return err_field(e, "users", "max_length", "Ensure this field has no more than 100 elements.");
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            int64_t id = 0;
            if (!field_parse_id(item, &id))
                return err_field(e, "users", "invalid", "Each element must be a user id (a positive integer).");
            (*ids)[(*n)++] = id;
        }
        return true;
    }
    if (!json_is_string(v))
        return err_field(e, "users", "not_a_list", "Expected a list of user ids.");
    const char *s = json_string_value(v);
    if (!*s)
        return true;
    for (;;) {
        size_t len = strcspn(s, ",");
        if (*n == GRAPH_STATUS_BATCH_MAX)
            return err_field(e, "users", "max_length", "Ensure this field has no more than 100 elements.");
        if (!parse_id(s, len, &(*ids)[*n]))
            return err_field(e, "users", "invalid", "Each element must be a user id (a positive integer).");
        (*n)++;
        if (!s[len])
            return true;
        s += len + 1;
    }
}

bool graph_api_statuses(struct request *req, struct response *resp, struct err *e)
{
    int64_t *ids = NULL;
    int n = 0;
    if (!read_user_ids(req, &ids, &n, e))
        return false;
    struct graph_relations r;
    bool follow_mode = prefs_follow_enabled(req->store, req->arena);
    if (!graph_relations_load(req->store, req->arena, req->who.user_id, follow_mode, ids, n, &r, e))
        return false;
    json_t *map = json_object();
    for (int i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)ids[i]);
        const char *name = graph_status_name(r.status[i]);
        json_object_set_new(map, key, name ? json_string(name) : json_null());
    }
    http_json(resp, 200, json_pack("{s:o}", "connection_statuses", map));
    return true;
}

/* ================================================================ */
/* counters                                                         */

bool graph_api_counters(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    json_t *o = json_pack("{s:I, s:I, s:I}", "posts", (json_int_t)u.posts_counter, "discussions",
                          (json_int_t)u.discussions_counter, "categories", (json_int_t)u.categories_counter);
    if (prefs_follow_enabled(req->store, req->arena)) {
        json_object_set_new(o, "followers", json_integer(u.followers_counter));
        json_object_set_new(o, "followings", json_integer(u.followings_counter));
    } else {
        json_object_set_new(o, "connections_counter", json_integer(u.connections_counter));
        json_object_set_new(o, "connection_requests_sent_counter", json_integer(u.connection_requests_sent_counter));
        json_object_set_new(o, "connection_requests_received_counter",
                            json_integer(u.connection_requests_received_counter));
    }
    http_json(resp, 200, o);
    return true;
}
