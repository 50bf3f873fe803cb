/* user_json.c - the one User serializer. */
#include "api/user_json.h"

#include <stdio.h>
#include <string.h>

#include "api/tag_api.h"
#include "core/clock.h"
#include "domain/graph.h"
#include "domain/prefs.h"
#include "domain/tag.h"
#include "http/request.h"
#include "store/store.h"

void user_view_init(struct request *req, struct user_view *v)
{
    v->follow_mode = prefs_follow_enabled(req->store, req->arena);
    v->relations = NULL;
    v->tags_loaded = false;
    v->tags = NULL;
    v->tag_objects = NULL;
    v->ntags = 0;
}

void user_view_relations(struct request *req, struct user_view *v, const struct user *users, int n)
{
    if (!req->who.user_id || n <= 0)
        return;
    int64_t *ids = arena_alloc(req->arena, sizeof *ids * (size_t)n);
    for (int i = 0; i < n; i++)
        ids[i] = users[i].id;
    struct graph_relations *r = arena_alloc(req->arena, sizeof *r);
    struct err e = {0};
    if (graph_relations_load(req->store, req->arena, req->who.user_id, v->follow_mode, ids, n, r, &e))
        v->relations = r;
}

/* The caller's relation to u (contract §5): null when anonymous or oneself. */
static json_t *connection_status_json(struct request *req, const struct user_view *v, const struct user *u)
{
    if (!req->who.user_id || req->who.user_id == u->id)
        return json_null();
    enum graph_status s = GRAPH_STATUS_NONE;
    if (!graph_relations_find(v->relations, u->id, &s)) {
        struct err e = {0}; /* a storage error is logged; the field stays null */
        if (!graph_status_of(req->store, req->arena, req->who.user_id, v->follow_mode, u->id, &s, &e))
            s = GRAPH_STATUS_NONE;
    }
    const char *name = graph_status_name(s);
    return name ? json_string(name) : json_null();
}

static void json_release(void *p) { json_decref(p); }

bool user_view_load_tags(struct request *req, struct user_view *v, const struct user *users, int n, struct err *e)
{
    int64_t *ids = arena_alloc(req->arena, sizeof *ids * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        ids[i] = users[i].id;
    struct user_tag *tags;
    if (!store_tag_of_users(req->store, req->arena, ids, n, &tags, &v->ntags, e))
        return false;
    /* one Tag object per distinct tag of the page (a page shares a few) */
    v->tag_objects = arena_alloc(req->arena, sizeof *v->tag_objects * (size_t)(v->ntags > 0 ? v->ntags : 1));
    for (int i = 0; i < v->ntags; i++) {
        for (int j = 0; j < i && !v->tag_objects[i]; j++)
            if (tags[j].tag.id == tags[i].tag.id)
                v->tag_objects[i] = v->tag_objects[j];
        if (!v->tag_objects[i]) {
            v->tag_objects[i] = tag_json(&tags[i].tag);
            arena_defer(req->arena, json_release, v->tag_objects[i]);
        }
    }
    v->tags = tags;
    v->tags_loaded = true;
    return true;
}

/* The Tag objects of u the caller may see (contract §5): visible and
 * active ones, all of them for the user and admins; never deleted ones. */
static json_t *tags_json(struct request *req, const struct user_view *v, const struct user *u)
{
    const struct user_tag *tags = v->tags;
    int n = v->ntags;
    struct user_tag *own = NULL;
    struct err e = {0};
    if (!v->tags_loaded) {
        /* a lone user: an error only loses the tags, never the reply */
        if (!store_tag_of_users(req->store, req->arena, &u->id, 1, &own, &n, &e))
            n = 0;
        tags = own;
    }
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        if (tags[i].user_id == u->id && tag_visible_to(&tags[i].tag, &req->who, u->id))
            json_array_append_new(out, v->tags_loaded ? json_incref(v->tag_objects[i]) : tag_json(&tags[i].tag));
    return out;
}

json_t *user_media_url(struct request *req, const char *file)
{
    if (!file || !*file)
        return json_null();
    return json_string(arena_printf(req->arena, "%s/media/%s", req->base, file));
}

json_t *user_latlng_json(bool has, double lat, double lng)
{
    if (!has)
        return json_null();
    char s[64];
    snprintf(s, sizeof s, "%.15g,%.15g", lat, lng);
    return json_string(s);
}

static json_t *string_or_empty(const char *s) { return json_string(s ? s : ""); }

static json_t *ext_id_json(const struct user *u) { return u->has_ext_id ? json_integer(u->ext_id) : json_null(); }

json_t *user_json(struct request *req, const struct user_view *v, const struct user *u)
{
    char joined[CLOCK_RFC3339_LEN];
    clock_format(u->date_joined_us, joined);
    bool private_ok = req->who.user_id && (req->who.user_id == u->id || principal_is_admin(&req->who));
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(u->id));
    json_object_set_new(o, "username", string_or_empty(u->username));
    json_object_set_new(o, "real_name", string_or_empty(u->real_name));
    if (private_ok) {
        json_object_set_new(o, "email", u->email ? json_string(u->email) : json_null());
        json_object_set_new(o, "email_isvalid", json_boolean(u->email_isvalid));
    }
    json_object_set_new(o, "date_joined", json_string(joined));
    json_object_set_new(o, "bio", string_or_empty(u->bio));
    json_object_set_new(o, "location", string_or_empty(u->location));
    json_object_set_new(o, "location_lat_lng", user_latlng_json(u->has_location_ll, u->location_lat, u->location_lng));
    if (private_ok)
        json_object_set_new(o, "position_lat_lng",
                            user_latlng_json(u->has_position_ll, u->position_lat, u->position_lng));
    json_object_set_new(o, "date_of_birth", u->date_of_birth ? json_string(u->date_of_birth) : json_null());
    json_object_set_new(o, "description", string_or_empty(u->description));
    json_object_set_new(o, "gender", string_or_empty(u->gender));
    const char status = (char)u->status; /* the letter the contract shows */
    json_object_set_new(o, "status", json_stringn(&status, 1));
    json_object_set_new(o, "website", string_or_empty(u->website));
    json_object_set_new(o, "avatar", user_media_url(req, u->avatar));
    json_object_set_new(o, "cover", user_media_url(req, u->cover));
    json_object_set_new(o, "ext_id", ext_id_json(u));
    json_object_set_new(o, "tags", tags_json(req, v, u));
    json_object_set_new(o, "reputation", json_integer(u->reputation));
    json_object_set_new(o, "community_badge", json_boolean(u->role != NULL));
    json_object_set_new(o, "deleted", json_boolean(u->status == USER_DELETED));
    json_object_set_new(o, "connection_status", connection_status_json(req, v, u));
    if (v->follow_mode) {
        json_object_set_new(o, "followers_counter", json_integer(u->followers_counter));
        json_object_set_new(o, "followings_counter", json_integer(u->followings_counter));
    } else {
        json_object_set_new(o, "connections_counter", json_integer(u->connections_counter));
        json_object_set_new(o, "connection_requests_sent_counter", json_integer(u->connection_requests_sent_counter));
        json_object_set_new(o, "connection_requests_received_counter",
                            json_integer(u->connection_requests_received_counter));
    }
    json_object_set_new(o, "posts_counter", json_integer(u->posts_counter));
    json_object_set_new(o, "discussions_counter", json_integer(u->discussions_counter));
    json_object_set_new(o, "categories_counter", json_integer(u->categories_counter));
    return o;
}

json_t *user_autocomplete_json(struct request *req, const struct user *u)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)u->id, "username", u->username, "real_name",
                     u->real_name ? u->real_name : "", "avatar", user_media_url(req, u->avatar), "ext_id",
                     ext_id_json(u));
}
