/* user_json.c - the one User serializer. */
#include "api/user_json.h"

#include <stdio.h>
#include <string.h>

#include "api/tag_api.h"
#include "core/clock.h"
#include "core/geo.h"
#include "core/json_write.h"
#include "domain/graph.h"
#include "domain/prefs.h"
#include "domain/tag.h"
#include "http/request.h"
#include "http/response.h"
#include "store/store.h"

void user_view_init(struct request *req, struct user_view *v)
{
    v->follow_mode = prefs_follow_enabled(req->store, req->arena);
    v->relations = NULL;
    v->tags_loaded = false;
    v->tags = NULL;
    v->tag_text = NULL;
    v->tag_len = NULL;
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

/* The caller's relation to u (contract §5): NULL when anonymous or oneself. */
static const char *connection_status_name(struct request *req, const struct user_view *v, const struct user *u)
{
    if (!req->who.user_id || req->who.user_id == u->id)
        return NULL;
    enum graph_status s = GRAPH_STATUS_NONE;
    if (!graph_relations_find(v->relations, u->id, &s)) {
        struct err e = {0}; /* a storage error is logged; the field stays null */
        if (!graph_status_of(req->store, req->arena, req->who.user_id, v->follow_mode, u->id, &s, &e))
            s = GRAPH_STATUS_NONE;
    }
    return graph_status_name(s);
}

/* The tags (not deleted) of users[0..n) from their rows' tag ids, as
 * store_tag_of_users gives them (the users' order, each user's tags by
 * tag id), the tags themselves read by id once each: 1 done, 0 when a row
 * was read without its tag ids (the caller asks store_tag_of_users), -1 on
 * error. */
static int tags_from_rows(struct request *req, const struct user *users, int n, struct user_tag **out, int *nout,
                          struct err *e)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        if (!users[i].has_tag_ids)
            return 0;
        total += users[i].ntag_ids;
    }
    struct arena *a = req->arena;
    int64_t *distinct = arena_alloc(a, sizeof *distinct * (size_t)(total > 0 ? total : 1));
    int ndistinct = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < users[i].ntag_ids; k++) {
            int d = 0;
            while (d < ndistinct && distinct[d] != users[i].tag_ids[k])
                d++;
            if (d == ndistinct)
                distinct[ndistinct++] = users[i].tag_ids[k];
        }
    struct tag *tags = NULL;
    int ntags = 0;
    if (ndistinct > 0 && !store_tag_by_ids(req->store, a, distinct, ndistinct, &tags, &ntags, e))
        return -1;
    struct user_tag *v = arena_alloc(a, sizeof *v * (size_t)(total > 0 ? total : 1));
    int m = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < users[i].ntag_ids; k++)
            for (int t = 0; t < ntags; t++)
                if (tags[t].id == users[i].tag_ids[k]) {
                    if (!tags[t].deleted)
                        v[m++] = (struct user_tag){.user_id = users[i].id, .tag = tags[t]};
                    break;
                }
    *out = v;
    *nout = m;
    return 1;
}

/* The tags of users[0..n): from their rows' tag ids when they carry them,
 * else through user_tags. */
static bool tags_of_users(struct request *req, const struct user *users, int n, struct user_tag **out, int *nout,
                          struct err *e)
{
    int done = tags_from_rows(req, users, n, out, nout, e);
    if (done != 0)
        return done > 0;
    int64_t *ids = arena_alloc(req->arena, sizeof *ids * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        ids[i] = users[i].id;
    return store_tag_of_users(req->store, req->arena, ids, n, out, nout, e);
}

bool user_view_load_tags(struct request *req, struct user_view *v, const struct user *users, int n, struct err *e)
{
    struct user_tag *tags;
    if (!tags_of_users(req, users, n, &tags, &v->ntags, e))
        return false;
    size_t slots = (size_t)(v->ntags > 0 ? v->ntags : 1);
    v->tag_text = arena_alloc(req->arena, sizeof *v->tag_text * slots);
    v->tag_len = arena_alloc(req->arena, sizeof *v->tag_len * slots);
    v->tags = tags;
    v->tags_loaded = true;
    return true;
}

/* The text of the page's tag i: written once per distinct tag (a page
 * shares a few), and only for tags someone sees. */
static void put_page_tag(struct buf *b, struct request *req, const struct user_view *v, int i)
{
    if (!v->tag_text[i]) {
        for (int j = 0; j < v->ntags && !v->tag_text[i]; j++)
            if (v->tag_text[j] && v->tags[j].tag.id == v->tags[i].tag.id) {
                v->tag_text[i] = v->tag_text[j];
                v->tag_len[i] = v->tag_len[j];
            }
        if (!v->tag_text[i]) {
            size_t at = b->len;
            tag_write(b, &v->tags[i].tag);
            v->tag_len[i] = b->len - at;
            v->tag_text[i] = arena_strndup(req->arena, b->data + at, v->tag_len[i]);
            return;
        }
    }
    buf_append(b, v->tag_text[i], v->tag_len[i]);
}

/* ---- writing ---- */

static char *media_url(struct request *req, const char *file)
{
    return file && *file ? arena_printf(req->arena, "%s/media/%s", req->base, file) : NULL;
}

static void put_latlng(struct buf *b, bool has, double lat, double lng)
{
    if (!has) {
        json_put_bytes(b, "null", 4);
        return;
    }
    char s[2 * GEO_FORMAT_LEN + 4] = "\""; /* ASCII */
    int n = 1 + geo_format(lat, s + 1);
    s[n++] = ',';
    n += geo_format(lng, s + n);
    s[n++] = '"';
    json_put_bytes(b, s, (size_t)n);
}

/* The Tag objects of u the caller may see (contract §5): visible and
 * active ones, all of them for the user and admins; never deleted ones. */
static void put_tags(struct buf *b, struct request *req, const struct user_view *v, const struct user *u)
{
    const struct user_tag *tags = v->tags;
    int n = v->ntags;
    struct user_tag *own = NULL;
    struct err e = {0};
    if (!v->tags_loaded) {
        /* a lone user: an error only loses the tags, never the reply */
        if (!tags_of_users(req, u, 1, &own, &n, &e))
            n = 0;
        tags = own;
    }
    json_put_bytes(b, "[", 1);
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (tags[i].user_id != u->id || !tag_visible_to(&tags[i].tag, &req->who, u->id))
            continue;
        if (!first)
            json_put_bytes(b, ",", 1);
        first = false;
        if (v->tags_loaded)
            put_page_tag(b, req, v, i);
        else
            tag_write(b, &tags[i].tag);
    }
    json_put_bytes(b, "]", 1);
}

void user_write_members(struct buf *b, struct request *req, const struct user_view *v, const struct user *u)
{
    char joined[CLOCK_RFC3339_LEN];
    clock_format(u->date_joined_us, joined);
    bool private_ok = req->who.user_id && (req->who.user_id == u->id || principal_is_admin(&req->who));
    JSON_PUT_LITERAL(b, "\"id\":");
    json_put_int(b, u->id);
    JSON_PUT_LITERAL(b, ",\"username\":");
    json_put_str(b, u->username);
    JSON_PUT_LITERAL(b, ",\"real_name\":");
    json_put_str(b, u->real_name);
    if (private_ok) {
        JSON_PUT_LITERAL(b, ",\"email\":");
        json_put_str_or_null(b, u->email);
        JSON_PUT_LITERAL(b, ",\"email_isvalid\":");
        json_put_bool(b, u->email_isvalid);
    }
    JSON_PUT_LITERAL(b, ",\"date_joined\":\""); /* ASCII digits and punctuation */
    json_put_bytes(b, joined, strlen(joined));
    JSON_PUT_LITERAL(b, "\"");
    JSON_PUT_LITERAL(b, ",\"bio\":");
    json_put_str(b, u->bio);
    JSON_PUT_LITERAL(b, ",\"location\":");
    json_put_str(b, u->location);
    JSON_PUT_LITERAL(b, ",\"location_lat_lng\":");
    put_latlng(b, u->has_location_ll, u->location_lat, u->location_lng);
    if (private_ok) {
        JSON_PUT_LITERAL(b, ",\"position_lat_lng\":");
        put_latlng(b, u->has_position_ll, u->position_lat, u->position_lng);
    }
    JSON_PUT_LITERAL(b, ",\"date_of_birth\":");
    json_put_str_or_null(b, u->date_of_birth);
    JSON_PUT_LITERAL(b, ",\"description\":");
    json_put_str(b, u->description);
    JSON_PUT_LITERAL(b, ",\"gender\":");
    json_put_str(b, u->gender);
    const char status[2] = {(char)u->status, '\0'}; /* the letter the contract shows */
    JSON_PUT_LITERAL(b, ",\"status\":");
    if (status[0] >= 'a' && status[0] <= 'z') { /* nothing to escape */
        const char quoted[3] = {'"', status[0], '"'};
        json_put_bytes(b, quoted, 3);
    } else {
        json_put_str(b, status);
    }
    JSON_PUT_LITERAL(b, ",\"website\":");
    json_put_str(b, u->website);
    JSON_PUT_LITERAL(b, ",\"avatar\":");
    json_put_str_or_null(b, media_url(req, u->avatar));
    JSON_PUT_LITERAL(b, ",\"cover\":");
    json_put_str_or_null(b, media_url(req, u->cover));
    JSON_PUT_LITERAL(b, ",\"ext_id\":");
    if (u->has_ext_id)
        json_put_int(b, u->ext_id);
    else
        json_put_bytes(b, "null", 4);
    JSON_PUT_LITERAL(b, ",\"tags\":");
    put_tags(b, req, v, u);
    JSON_PUT_LITERAL(b, ",\"reputation\":");
    json_put_int(b, u->reputation);
    JSON_PUT_LITERAL(b, ",\"community_badge\":");
    json_put_bool(b, u->role != NULL);
    JSON_PUT_LITERAL(b, ",\"deleted\":");
    json_put_bool(b, u->status == USER_DELETED);
    JSON_PUT_LITERAL(b, ",\"connection_status\":");
    json_put_str_or_null(b, connection_status_name(req, v, u));
    if (v->follow_mode) {
        JSON_PUT_LITERAL(b, ",\"followers_counter\":");
        json_put_int(b, u->followers_counter);
        JSON_PUT_LITERAL(b, ",\"followings_counter\":");
        json_put_int(b, u->followings_counter);
    } else {
        JSON_PUT_LITERAL(b, ",\"connections_counter\":");
        json_put_int(b, u->connections_counter);
        JSON_PUT_LITERAL(b, ",\"connection_requests_sent_counter\":");
        json_put_int(b, u->connection_requests_sent_counter);
        JSON_PUT_LITERAL(b, ",\"connection_requests_received_counter\":");
        json_put_int(b, u->connection_requests_received_counter);
    }
    JSON_PUT_LITERAL(b, ",\"posts_counter\":");
    json_put_int(b, u->posts_counter);
    JSON_PUT_LITERAL(b, ",\"discussions_counter\":");
    json_put_int(b, u->discussions_counter);
    JSON_PUT_LITERAL(b, ",\"categories_counter\":");
    json_put_int(b, u->categories_counter);
}

void user_write(struct buf *b, struct request *req, const struct user_view *v, const struct user *u)
{
    json_put_bytes(b, "{", 1);
    user_write_members(b, req, v, u);
    json_put_bytes(b, "}", 1);
}

void user_write_array(struct buf *b, struct request *req, const struct user_view *v, const struct user *users, int n)
{
    json_put_bytes(b, "[", 1);
    for (int i = 0; i < n; i++) {
        if (i)
            json_put_bytes(b, ",", 1);
        user_write(b, req, v, &users[i]);
    }
    json_put_bytes(b, "]", 1);
}

void user_page_respond(struct request *req, struct response *resp, struct user_view *v, const struct user *users, int n,
                       int64_t count, int limit, int offset)
{
    user_view_relations(req, v, users, n); /* connection_status: one query for the page */
    struct err ignored = {0};              /* without them, each user's tags are read alone */
    (void)user_view_load_tags(req, v, users, n, &ignored);
    struct buf b = BUF_INIT;
    buf_reserve(&b, 1024 + 1024 * (size_t)(n > 0 ? n : 0)); /* a User object is under 1 KiB */
    http_page_begin(req, &b, count, limit, offset);
    user_write_array(&b, req, v, users, n);
    http_page_end(resp, &b);
}

/* ---- as jansson values, for objects that embed a user ---- */

json_t *user_json(struct request *req, const struct user_view *v, const struct user *u)
{
    struct buf b = BUF_INIT;
    user_write(&b, req, v, u);
    json_t *o = json_loadb(b.data, b.len, 0, NULL);
    buf_free(&b);
    return o;
}

json_t *user_media_url(struct request *req, const char *file)
{
    const char *url = media_url(req, file);
    return url ? json_string(url) : json_null();
}

json_t *user_latlng_json(bool has, double lat, double lng)
{
    if (!has)
        return json_null();
    char s[2 * GEO_FORMAT_LEN + 2];
    int n = geo_format(lat, s);
    s[n++] = ',';
    geo_format(lng, s + n);
    return json_string_nocheck(s); /* ASCII */
}

static json_t *ext_id_json(const struct user *u) { return u->has_ext_id ? json_integer(u->ext_id) : json_null(); }

json_t *user_autocomplete_json(struct request *req, const struct user *u)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)u->id, "username", u->username, "real_name",
                     u->real_name ? u->real_name : "", "avatar", user_media_url(req, u->avatar), "ext_id",
                     ext_id_json(u));
}
