/* tag_api.c - HTTP <-> domain for tags. The routes are admin-only, except
 * /user/{id}/tags/ (the user or an admin) and the user tag search. */
#include "api/tag_api.h"

#include <stdint.h>
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

/* The text of the tags this thread wrote last, reused for a tag whose
 * every member is equal (the whole tag is the key: never stale). A page
 * of users shares a few tags, and so do the pages that follow. */
enum { TAG_TEXT_SLOTS = 16, TAG_TEXT_ROOM = 1536 };
struct tag_text {
    int64_t id, created_us;
    bool used, active, visible, deleted, has_description;
    size_t text_at, text_len;
    char data[TAG_TEXT_ROOM]; /* type, name, description, color (each NUL-ended), then the text */
};
static _Thread_local struct tag_text tag_texts[TAG_TEXT_SLOTS];

/* The end of the string at p when it equals s, else NULL. */
static const char *same_string(const char *p, const char *s)
{
    size_t n = strlen(s);
    return memcmp(p, s, n + 1) ? NULL : p + n + 1;
}

static bool tag_text_matches(const struct tag_text *c, const struct tag *t)
{
    if (!c->used || c->id != t->id || c->created_us != t->created_us || c->active != t->active ||
        c->visible != t->visible || c->deleted != t->deleted || c->has_description != (t->description != NULL))
        return false;
    const char *p = same_string(c->data, t->type);
    p = p ? same_string(p, t->name) : NULL;
    p = p && t->description ? same_string(p, t->description) : p;
    p = p ? same_string(p, t->color) : NULL;
    return p != NULL;
}

/* Keeps text[0..n) as the text of t, when it fits. */
static void tag_text_keep(struct tag_text *c, const struct tag *t, const char *text, size_t n)
{
    const char *parts[] = {t->type, t->name, t->description ? t->description : "", t->color};
    size_t len[4], total = n;
    for (int i = 0; i < 4; i++)
        total += (len[i] = strlen(parts[i])) + 1;
    c->used = false;
    if (total > sizeof c->data)
        return;
    char *p = c->data;
    for (int i = 0; i < 4; i++) {
        if (i == 2 && !t->description)
            continue;
        memcpy(p, parts[i], len[i] + 1);
        p += len[i] + 1;
    }
    memcpy(p, text, n);
    c->id = t->id;
    c->created_us = t->created_us;
    c->active = t->active;
    c->visible = t->visible;
    c->deleted = t->deleted;
    c->has_description = t->description != NULL;
    c->text_at = (size_t)(p - c->data);
    c->text_len = n;
    c->used = true;
}

static void tag_write_text(struct buf *b, const struct tag *t)
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

void tag_write(struct buf *b, const struct tag *t)
{
    struct tag_text *c = &tag_texts[(uint64_t)t->id % TAG_TEXT_SLOTS];
    if (tag_text_matches(c, t)) {
        json_put_bytes(b, c->data + c->text_at, c->text_len);
        return;
    }
    size_t at = b->len;
    tag_write_text(b, t);
    tag_text_keep(c, t, b->data + at, b->len - at);
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
