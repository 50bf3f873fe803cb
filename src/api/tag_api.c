/* tag_api.c - HTTP <-> domain for tags. The routes are admin-only, except
 * /user/{id}/tags/ (the user or an admin) and the user tag search. */
#include "api/tag_api.h"

#include <string.h>

#include "core/clock.h"
#include "core/json_write.h"
#include "core/text.h"
#include "domain/field.h"
#include "domain/search.h"

json_t *tag_json(const struct tag *t)
{
    char created[CLOCK_RFC3339_LEN];
    clock_format(t->created_us, created);
    return json_pack("{s:I, s:b, s:s, s:s, s:o, s:s, s:b, s:s, s:b}", "id", (json_int_t)t->id, "active", t->active,
                     "name", t->name, "type", t->type, "description",
                     t->description ? json_string(t->description) : json_null(), "color", t->color, "visible",
                     t->visible, "created_at", created, "deleted", t->deleted);
}

void tag_write(struct buf *b, const struct tag *t)
{
    char created[CLOCK_RFC3339_LEN];
    clock_format(t->created_us, created);
    JSON_PUT_LITERAL(b, "{\"id\":");
    json_write_int(b, t->id);
    JSON_PUT_LITERAL(b, ",\"active\":");
    json_put_bool(b, t->active);
    JSON_PUT_LITERAL(b, ",\"name\":");
    json_put_str(b, t->name);
    JSON_PUT_LITERAL(b, ",\"type\":");
    json_put_str(b, t->type);
    JSON_PUT_LITERAL(b, ",\"description\":");
    json_put_str_or_null(b, t->description);
    JSON_PUT_LITERAL(b, ",\"color\":");
    json_put_str(b, t->color);
    JSON_PUT_LITERAL(b, ",\"visible\":");
    json_put_bool(b, t->visible);
    JSON_PUT_LITERAL(b, ",\"created_at\":");
    json_put_str(b, created);
    JSON_PUT_LITERAL(b, ",\"deleted\":");
    json_put_bool(b, t->deleted);
    JSON_PUT_LITERAL(b, "}");
}

/* A boolean query filter: -1 when absent or not a boolean. */
static int flag_param(struct request *req, const char *name)
{
    const char *v = http_query(req, name);
    bool b;
    return v && text_parse_bool(v, strlen(v), &b) ? b : -1;
}

/* Answers the page of tags f selects, with the raw `search` term and the
 * request's limit and offset. */
static bool answer_tags(struct request *req, struct response *resp, struct tag_filter *f, const char *search,
                        struct err *e)
{
    if (search && strlen(search) > SEARCH_TERM_MAX)
        return field_error_query_max(req->arena, e, "search", FIELD_CODE_MAX_LENGTH, SEARCH_TERM_MAX);
    f->search = search_term(req->arena, search);
    http_pagination(req, TAG_PAGE_DEFAULT, TAG_PAGE_MAX, &f->limit, &f->offset);
    struct tag_page page;
    if (!tag_list(req->store, req->arena, f, &page, e))
        return false;
    json_t *results = json_array();
    for (int i = 0; i < page.n; i++)
        json_array_append_new(results, tag_json(&page.items[i]));
    http_json(resp, 200, http_page(req, page.count, f->limit, f->offset, results));
    return true;
}

bool tag_api_list(struct request *req, struct response *resp, struct err *e)
{
    struct tag_filter f = {.visible = flag_param(req, "visible"),
                           .active = flag_param(req, "active"),
                           .deleted = flag_param(req, "deleted")};
    const char *type = http_query(req, "type"), *search = http_query(req, "search");
    if (type && strlen(type) > TAG_TYPE_MAX)
        return err_field(e, "type", FIELD_CODE_INVALID_CHOICE, TAG_TYPE_CHOICES_MESSAGE);
    f.type = type;
    return answer_tags(req, resp, &f, search, e);
}

bool tag_api_create(struct request *req, struct response *resp, struct err *e)
{
    struct tag t;
    if (!tag_create(req->store, req->arena, req->body.fields, &t, e))
        return false;
    http_json(resp, 201, tag_json(&t));
    return true;
}

bool tag_api_get(struct request *req, struct response *resp, struct err *e)
{
    struct tag t;
    if (!tag_get(req->store, req->arena, req->id, &t, e))
        return false;
    http_json(resp, 200, tag_json(&t));
    return true;
}

bool tag_api_patch(struct request *req, struct response *resp, struct err *e)
{
    struct tag t;
    if (!tag_update(req->store, req->arena, req->id, req->body.fields, &t, e))
        return false;
    http_json(resp, 200, tag_json(&t));
    return true;
}

bool tag_api_update(struct request *req, struct response *resp, struct err *e)
{
    struct tag t;
    if (!tag_get(req->store, req->arena, req->id, &t, e))
        return false;
    json_t *body = req->body.fields;
    if (json_is_object(body) && !json_object_get(body, "name"))
        return field_error_required(e, "name");
    return tag_api_patch(req, resp, e);
}

bool tag_api_search_user_tags(struct request *req, struct response *resp, struct err *e)
{
    bool admin = principal_is_admin(&req->who);
    struct tag_filter f = {.type = "user",
                           .visible = admin ? flag_param(req, "visible") : 1,
                           .active = admin ? flag_param(req, "active") : 1,
                           .deleted = 0};
    return answer_tags(req, resp, &f, http_query(req, "search"), e);
}

bool tag_api_assign(struct request *req, struct response *resp, struct err *e)
{
    if (!tag_set_user(req->store, req->arena, req->id, req->body.fields, true, e))
        return false;
    http_no_content(resp);
    return true;
}

bool tag_api_remove(struct request *req, struct response *resp, struct err *e)
{
    if (!tag_set_user(req->store, req->arena, req->id, req->body.fields, false, e))
        return false;
    http_no_content(resp);
    return true;
}

bool tag_api_user_tags(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    /* contract §9: a missing id is 404 before any ownership check */
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    if (req->who.user_id != u.id && !principal_is_admin(&req->who))
        return err_forbidden(e, "You can only see your own tags.");
    struct tag *tags;
    int n;
    if (!tag_list_of_user(req->store, req->arena, u.id, &tags, &n, e))
        return false;
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out, tag_json(&tags[i]));
    http_json(resp, 200, out);
    return true;
}
