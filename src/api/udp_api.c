/* udp_api.c - HTTP ↔ domain for the personal data export (udp_api.h), and
 * the archive's JSON members: each is what one of the API's own GET
 * endpoints answers the user (a list: every page of it), rendered by
 * calling that handler with a request made for the user, on the export
 * worker's connection inside the build's read transaction. */
#include "api/udp_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/account_api.h"
#include "api/category_api.h"
#include "api/graph_api.h"
#include "api/post_api.h"
#include "api/tag_api.h"
#include "api/user_api.h"
#include "core/clock.h"
#include "http/router.h"
#include "store/store.h"

/* ================================================================ */
/* the endpoints                                                    */

static json_t *time_or_null(int64_t us)
{
    if (!us)
        return json_null();
    char s[CLOCK_RFC3339_LEN];
    clock_format(us, s);
    return json_string(s);
}

/* The status as the official client's SCDataPortabilityType has it
 * (computing, requested_at, generated_at, downloaded_at; hearth sends no
 * mail about exports: send_email false, email_sent_at null), with
 * hearth's status, started_at, size, error and expires_at. */
static json_t *status_json(const struct data_export_status *s)
{
    bool computing = s->state == DATA_EXPORT_PENDING || s->state == DATA_EXPORT_RUNNING;
    bool ready = s->state == DATA_EXPORT_READY;
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(data_export_state_name(s->state)));
    json_object_set_new(o, "computing", json_boolean(computing));
    json_object_set_new(o, "send_email", json_false());
    json_object_set_new(o, "requested_at", time_or_null(s->requested_us));
    json_object_set_new(o, "started_at", time_or_null(s->started_us));
    json_object_set_new(o, "generated_at", time_or_null(ready ? s->completed_us : 0));
    json_object_set_new(o, "email_sent_at", json_null());
    json_object_set_new(o, "downloaded_at", time_or_null(ready ? s->downloaded_us : 0));
    json_object_set_new(o, "size", ready ? json_integer(s->size_bytes) : json_null());
    json_object_set_new(o, "error", s->error ? json_string(s->error) : json_null());
    json_object_set_new(o, "expires_at", time_or_null(s->expires_us));
    return o;
}

bool udp_api_start(struct request *req, struct response *resp, struct err *e)
{
    struct data_export_status s;
    bool started = false;
    if (!data_export_request(req->store, req->arena, &req->who, req->base, &s, &started, e))
        return false;
    http_json(resp, started ? 202 : 200, status_json(&s));
    return true;
}

bool udp_api_status(struct request *req, struct response *resp, struct err *e)
{
    struct data_export_status s;
    if (!data_export_status_get(req->store, req->arena, req->who.user_id, &s, e))
        return false;
    http_json(resp, 200, status_json(&s));
    return true;
}

bool udp_api_download(struct request *req, struct response *resp, struct err *e)
{
    struct data_export_status s;
    if (!data_export_status_get(req->store, req->arena, req->who.user_id, &s, e))
        return false;
    const void *data = NULL;
    size_t len = 0;
    bool head = !strcmp(req->method, "HEAD");
    if (!data_export_open(req->store, req->arena, req->cfg->data_dir, req->who.user_id, !head, &data, &len, e))
        return false;
    resp->status = 200;
    resp->data = data;
    resp->len = len;
    resp->free_data = data_export_unmap;
    resp->content_type = "application/zip";
    char date[CLOCK_RFC3339_LEN];
    clock_format(s.completed_us, date);
    date[10] = '\0'; /* YYYY-MM-DD */
    /* no user data in the header: the name is the generation date */
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"data-export-%s.zip\"", date));
    http_add_header(resp, "Cache-Control", "private, no-store");
    http_add_header(resp, "X-Content-Type-Options", "nosniff");
    return true;
}

/* ================================================================ */
/* the archive's members                                            */

enum {
    UDP_PAGE = 100, /* the largest page the list endpoints give (contract §3) */
};

/* One member: the endpoint whose answer it holds. */
struct section {
    const char *member;
    http_handler handler;
    const char *path; /* the endpoint's pattern ({id}: the user) */
    bool paged;       /* a contract §3 page: the member is the list of every page's results */
};

static const struct section sections[] = {
    {"profile.json", user_api_me, "/api/v2/user/me/", false},
    {"settings.json", account_api_settings_get, "/api/v2/user/{id}/settings/", false},
    {"followers.json", graph_api_followers, "/api/v2/user/{id}/followers/", true},
    {"followings.json", graph_api_followings, "/api/v2/user/{id}/followings/", true},
    {"connections.json", graph_api_connections, "/api/v2/user/{id}/connections/", true},
    {"connection_requests_received.json", graph_api_my_requests, "/api/v2/user/connection/requests/", true},
    {"connection_requests_sent.json", graph_api_my_requests_sent, "/api/v2/user/connection/requests_sent/", true},
    {"hidden_users.json", graph_api_hidden_users, "/api/v2/user/hidden_users/", true},
    {"posts.json", post_api_user_feed, "/api/v2/user/{id}/feed/", true},
    {"tags.json", tag_api_user_tags, "/api/v2/user/{id}/tags/", false},
    {"categories.json", category_api_user_list, "/api/v2/user/{id}/categories/", false},
};

struct render_env {
    struct store *st;
    const struct config *cfg;
    const struct data_export_job *job;
    struct principal who;
    const char *base;
};

/* The pattern with {id} replaced by the user's id. */
static const char *endpoint_path(struct arena *a, const char *pattern, int64_t id)
{
    const char *at = strstr(pattern, "{id}");
    if (!at)
        return pattern;
    return arena_printf(a, "%.*s%lld%s", (int)(at - pattern), pattern, (long long)id, at + 4);
}

/* Calls the section's handler as a GET by the user (query `offset` for a
 * page); *out is its JSON answer (a new reference). A failure keeps only
 * the handler's code (its strings lived in its arena), copied into a. */
static bool call(const struct render_env *env, struct arena *a, const struct section *s, int offset, json_t **out,
                 struct err *e)
{
    struct arena *ra = arena_new();
    if (!ra)
        return err_internal(e);
    struct request req = {
        .arena = ra,
        .cfg = env->cfg,
        .store = env->st,
        .method = "GET",
        .path = endpoint_path(ra, s->path, env->job->user_id),
        .query = json_object(),
        .id = strstr(s->path, "{id}") ? env->job->user_id : 0,
        .who = env->who,
        .base = env->base,
    };
    if (s->paged) {
        json_object_set_new(req.query, "limit", json_string(arena_printf(ra, "%d", UDP_PAGE)));
        json_object_set_new(req.query, "offset", json_string(arena_printf(ra, "%d", offset)));
    }
    struct response resp = {0};
    struct err he = {0};
    bool ok = s->handler(&req, &resp, &he) && resp.json;
    if (ok)
        *out = json_incref(resp.json);
    else {
        const char *code = he.count && he.entries[0].code ? arena_strdup(a, he.entries[0].code) : "internal";
        err_set(e, he.kind != ERR_NONE ? he.kind : ERR_INTERNAL, code, "A part of the export could not be read.");
    }
    json_decref(resp.json);
    if (resp.free_data)
        resp.free_data((void *)resp.data);
    json_decref(req.query);
    arena_free(ra);
    return ok;
}

/* Appends v as indented JSON to the current member. */
static bool write_json(struct data_export_archive *ar, const json_t *v, struct err *e)
{
    char *text = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (!text)
        return err_internal(e);
    bool ok = data_export_member_write(ar, text, strlen(text), e);
    free(text);
    return ok;
}

static bool write_text(struct data_export_archive *ar, const char *s, struct err *e)
{
    return data_export_member_write(ar, s, strlen(s), e);
}

/* A paged endpoint as one JSON list: every page's results in order. */
static bool render_pages(const struct render_env *env, struct arena *a, const struct section *s,
                         struct data_export_archive *ar, struct err *e)
{
    if (!write_text(ar, "[", e))
        return false;
    int offset = 0;
    for (;;) {
        json_t *page = NULL;
        if (!call(env, a, s, offset, &page, e))
            return false;
        json_t *results = json_object_get(page, "results");
        json_int_t count = json_integer_value(json_object_get(page, "count"));
        size_t n = json_array_size(results);
        bool ok = true;
        for (size_t i = 0; ok && i < n; i++)
            ok = write_text(ar, offset || i ? ",\n" : "\n", e) && write_json(ar, json_array_get(results, i), e);
        json_decref(page);
        if (!ok)
            return false;
        offset += (int)n;
        /* the read transaction holds the count still: the last page is
         * the one that reaches it (or an empty one) */
        if (!n || offset >= count)
            break;
    }
    return write_text(ar, offset ? "\n]\n" : "]\n", e);
}

static bool render(void *ctx, struct store *st, struct arena *a, const struct config *cfg,
                   const struct data_export_job *job, struct data_export_archive *ar, struct err *e)
{
    (void)ctx;
    struct user u;
    int found = store_user_get(st, a, job->user_id, &u, e);
    if (found <= 0)
        return found == 0 ? err_not_found(e) : false;
    /* the user as a caller of their own data; never with a role, so that
     * an administrator's archive holds no other user's private fields */
    struct render_env env = {
        .st = st,
        .cfg = cfg,
        .job = job,
        .who = {.user_id = u.id, .status = u.status, .role = NULL, .username = u.username},
        .base = *job->base_url ? job->base_url : cfg->base_url,
    };
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        const struct section *s = &sections[i];
        if (!data_export_member_begin(ar, s->member, e))
            return false;
        if (s->paged) {
            if (!render_pages(&env, a, s, ar, e))
                return false;
            continue;
        }
        json_t *v = NULL;
        if (!call(&env, a, s, 0, &v, e))
            return false;
        bool ok = write_json(ar, v, e) && write_text(ar, "\n", e);
        json_decref(v);
        if (!ok)
            return false;
    }
    return true;
}

const struct data_export_renderer udp_archive_renderer = {.render = render, .ctx = NULL};
