/* category_api.c - HTTP ↔ domain for categories, and the Category object. */
#include "api/category_api.h"

#include <string.h>

#include "core/clock.h"
#include "domain/field.h"

static json_t *text_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *category_json(const struct category *c)
{
    char lastmod[CLOCK_RFC3339_LEN];
    clock_format(c->lastmod_us, lastmod);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "order", json_integer(c->order));
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "name_synonyms", text_or_null(c->name_synonyms));
    json_object_set_new(o, "slug", json_string(c->slug));
    json_object_set_new(o, "slogan", text_or_null(c->slogan));
    json_object_set_new(o, "html_info", text_or_null(c->html_info));
    json_object_set_new(o, "seo_title", text_or_null(c->seo_title));
    json_object_set_new(o, "seo_description", text_or_null(c->seo_description));
    json_object_set_new(o, "auto_follow", json_string(c->auto_follow));
    json_object_set_new(o, "active", json_boolean(c->active));
    json_object_set_new(o, "deleted", json_boolean(c->deleted));
    /* hearth stores no category images: every image field is honestly null */
    static const char *const images[] = {"image_original", "image_bigger", "image_big",
                                         "image_medium",   "image_small",  "emotional_image_original"};
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
        json_object_set_new(o, images[i], json_null());
    json_object_set_new(o, "emotional_image_position", json_integer(c->emotional_image_position));
    json_object_set_new(o, "lastmod_datetime", json_string(lastmod));
    json_object_set_new(o, "stream_order_by", json_string(c->stream_order_by));
    json_object_set_new(o, "tags", json_array());
    json_object_set_new(o, "content_only_staff", json_boolean(c->content_only_staff));
    json_object_set_new(o, "followers_counter", json_integer(c->followers_counter));
    if (c->followed != CATEGORY_FOLLOWED_UNKNOWN)
        json_object_set_new(o, "followed", json_boolean(c->followed == CATEGORY_FOLLOWED_YES));
    return o;
}

json_t *category_json_array(struct request *req, struct category *items, int n, struct err *e)
{
    if (!category_fill_followed(req->store, &req->who, items, n, e))
        return NULL;
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, category_json(&items[i]));
    return list;
}

/* The Category object of c for the caller (see category_json_array). */
static json_t *category_json_for(struct request *req, struct category *c, struct err *e)
{
    return category_fill_followed(req->store, &req->who, c, 1, e) ? category_json(c) : NULL;
}

/* A boolean query parameter: 1 true, 0 false, -1 absent; 400 if invalid. */
static int query_bool(struct request *req, const char *name, struct err *e)
{
    bool b = false;
    return field_bool_value(http_query(req, name), name, &b, e) == FIELD_GIVEN ? b : -1;
}

bool category_api_list(struct request *req, struct response *resp, struct err *e)
{
    struct category_filter f = {0};
    f.search = http_query(req, "search");
    if (f.search && strlen(f.search) > CATEGORY_SEARCH_MAX)
        field_error_query_max(req->arena, e, "search", FIELD_CODE_INVALID, CATEGORY_SEARCH_MAX);
    f.active = query_bool(req, "active", e);
    f.deleted = query_bool(req, "deleted", e) == 1;
    if (err_any(e))
        return false;
    category_parse_ordering(http_query(req, "ordering"), &f);
    http_pagination(req, CATEGORY_PAGE_DEFAULT, CATEGORY_PAGE_MAX, &f.limit, &f.offset);
    struct category_page page;
    if (!category_list(req->store, req->arena, &f, &page, e))
        return false;
    json_t *results = category_json_array(req, page.items, page.n, e);
    if (!results)
        return false;
    http_json(resp, 200, http_page(req, page.count, f.limit, f.offset, results));
    return true;
}

bool category_api_create(struct request *req, struct response *resp, struct err *e)
{
    struct category c;
    json_t *o;
    if (!category_create(req->store, req->arena, req->body.fields, &c, e) || !(o = category_json_for(req, &c, e)))
        return false;
    http_json(resp, 201, o);
    return true;
}

bool category_api_get(struct request *req, struct response *resp, struct err *e)
{
    struct category c;
    json_t *o;
    if (!category_get(req->store, req->arena, req->id, &c, e) || !(o = category_json_for(req, &c, e)))
        return false;
    http_json(resp, 200, o);
    return true;
}

bool category_api_update(struct request *req, struct response *resp, struct err *e)
{
    struct category c;
    json_t *o;
    if (!category_update(req->store, req->arena, req->id, req->body.fields, &c, e) ||
        !(o = category_json_for(req, &c, e)))
        return false;
    http_json(resp, 200, o);
    return true;
}

bool category_api_delete(struct request *req, struct response *resp, struct err *e)
{
    if (!category_delete(req->store, req->arena, req->id, e))
        return false;
    http_no_content(resp);
    return true;
}

/* Whether the client asked for a body (contract §7's Prefer convention). */
static bool wants_representation(struct request *req)
{
    const char *prefer = http_header(req, "Prefer");
    return prefer && strstr(prefer, "return=representation");
}

bool category_api_follow(struct request *req, struct response *resp, struct err *e)
{
    bool following;
    if (!category_follow_toggle(req->store, req->arena, &req->who, req->id, &following, e))
        return false;
    if (wants_representation(req))
        http_json(resp, 200, json_pack("{s:b}", "is_followed", following));
    else
        http_no_content(resp);
    return true;
}

bool category_api_is_followed(struct request *req, struct response *resp, struct err *e)
{
    bool followed;
    if (!category_is_followed(req->store, req->arena, &req->who, req->id, &followed, e))
        return false;
    http_json(resp, 200, json_pack("{s:b}", "is_followed", followed));
    return true;
}

bool category_api_user_list(struct request *req, struct response *resp, struct err *e)
{
    struct category *items;
    int n;
    /* `mutual` (the official client's optional flag) is not supported and ignored */
    json_t *list;
    if (!category_followed_by(req->store, req->arena, req->id, &items, &n, e) ||
        !(list = category_json_array(req, items, n, e)))
        return false;
    http_json(resp, 200, list);
    return true;
}
