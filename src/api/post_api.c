/* post_api.c - HTTP ↔ domain for posts, discussions and the user feed, and
 * the Post and Discussion objects (schemas/post.md, discussion.md). */
#include "api/post_api.h"

#include <string.h>

#include "api/category_api.h"
#include "api/user_json.h"
#include "core/clock.h"
#include "domain/post.h"

static json_t *time_json(int64_t us)
{
    char s[CLOCK_RFC3339_LEN];
    clock_format(us, s);
    return json_string(s);
}

/* The Post or Discussion object of p; `author` is a User object (a
 * reference is taken). Media, polls, locations, comments, votes and shares
 * do not exist in hearth: their fields carry honest empty values. NULL with
 * e filled if the categories cannot be read. */
static json_t *post_json(struct request *req, const struct post *p, json_t *author, struct err *e)
{
    struct category *cats;
    int ncats;
    if (!post_categories(req->store, req->arena, p->id, &cats, &ncats, e))
        return NULL;
    json_t *categories = category_json_array(req, cats, ncats, e);
    if (!categories)
        return NULL;
    bool discussion = !strcmp(p->type, POST_TYPE_DISCUSSION);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "type", json_string(p->type));
    if (discussion) {
        json_object_set_new(o, "title", json_string(p->title ? p->title : ""));
        json_object_set_new(o, "slug", json_string(p->slug ? p->slug : ""));
    }
    json_object_set_new(o, "categories", categories);
    json_object_set_new(o, "media_type", json_null());
    json_object_set_new(o, "medias", json_array());
    json_object_set_new(o, "location", json_null());
    json_object_set_new(o, "poll", json_null());
    json_object_set_new(o, "last_activity_at", time_json(p->last_activity_us));
    json_object_set(o, "author", author);
    json_object_set_new(o, "added_at", time_json(p->added_us));
    json_object_set_new(o, "html", json_string(p->html));
    json_object_set_new(o, "summary", json_string(p->summary));
    json_object_set_new(o, "deleted", json_boolean(p->deleted));
    json_object_set_new(o, "collapsed", json_false());
    json_object_set_new(o, "comment_count", json_integer(0));
    json_object_set_new(o, "share_count", json_integer(0));
    json_object_set_new(o, "vote_count", json_integer(0));
    json_object_set_new(o, "voted", json_false());
    json_object_set_new(o, "flag_count", json_integer(0));
    json_object_set_new(o, "addressing", json_array());
    if (discussion) {
        json_object_set_new(o, "view_count", json_integer(0));
        json_object_set_new(o, "follower_count", json_integer(0));
    }
    return o;
}

/* Renders p with its author as the response, with `status`. */
static bool respond_post(struct request *req, struct response *resp, int status, const struct post *p,
                         const struct user *author, struct err *e)
{
    struct user_view v;
    user_view_init(req, &v);
    json_t *author_json = user_json(req, &v, author);
    json_t *o = post_json(req, p, author_json, e);
    json_decref(author_json);
    if (!o)
        return false;
    http_json(resp, status, o);
    return true;
}

static bool create(struct request *req, struct response *resp, struct err *e, const char *type)
{
    struct post p;
    struct user author;
    if (!post_create(req->store, req->arena, &req->who, type, req->body.fields, &p, &author, e))
        return false;
    return respond_post(req, resp, 201, &p, &author, e);
}

static bool get(struct request *req, struct response *resp, struct err *e, const char *type)
{
    struct post p;
    struct user author;
    if (!post_get(req->store, req->arena, &req->who, type, req->id, &p, &author, e))
        return false;
    return respond_post(req, resp, 200, &p, &author, e);
}

static bool delete_one(struct request *req, struct response *resp, struct err *e, const char *type)
{
    if (!post_delete(req->store, req->arena, &req->who, type, req->id, e))
        return false;
    http_no_content(resp);
    return true;
}

bool post_api_create_post(struct request *req, struct response *resp, struct err *e)
{
    return create(req, resp, e, POST_TYPE_POST);
}

bool post_api_create_discussion(struct request *req, struct response *resp, struct err *e)
{
    return create(req, resp, e, POST_TYPE_DISCUSSION);
}

bool post_api_get_post(struct request *req, struct response *resp, struct err *e)
{
    return get(req, resp, e, POST_TYPE_POST);
}

bool post_api_get_discussion(struct request *req, struct response *resp, struct err *e)
{
    return get(req, resp, e, POST_TYPE_DISCUSSION);
}

bool post_api_delete_post(struct request *req, struct response *resp, struct err *e)
{
    return delete_one(req, resp, e, POST_TYPE_POST);
}

bool post_api_delete_discussion(struct request *req, struct response *resp, struct err *e)
{
    return delete_one(req, resp, e, POST_TYPE_DISCUSSION);
}

bool post_api_user_feed(struct request *req, struct response *resp, struct err *e)
{
    int limit, offset;
    http_pagination(req, POST_PAGE_DEFAULT, POST_PAGE_MAX, &limit, &offset);
    struct user author;
    struct post_page page;
    if (!post_user_feed(req->store, req->arena, &req->who, req->id, limit, offset, &author, &page, e))
        return false;
    struct user_view v;
    user_view_init(req, &v);
    json_t *author_json = user_json(req, &v, &author); /* one author for every item */
    json_t *results = json_array();
    for (int i = 0; i < page.n; i++) {
        json_t *obj = post_json(req, &page.items[i], author_json, e);
        if (!obj) {
            json_decref(results);
            json_decref(author_json);
            return false;
        }
        json_array_append_new(results, json_pack("{s:s, s:o, s:[], s:b}", "type", page.items[i].type,
                                                 page.items[i].type, obj, "seen_by_id", "has_boost", 0));
    }
    json_decref(author_json);
    http_json(resp, 200, http_page(req, page.count, limit, offset, results));
    return true;
}
