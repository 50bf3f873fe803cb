/* suggestion_api.c - HTTP <-> domain for suggestions: people, search-box
 * suggestions (users and categories), categories, and matching pasted
 * usernames. Users are rendered as everywhere else (user_json.h),
 * categories by category_json. */
#include "api/suggestion_api.h"

#include "api/category_api.h"
#include "api/user_json.h"
#include "domain/category.h"
#include "domain/suggestion.h"

/* Renders users[0..n) as User objects (connection_status and tags loaded
 * for all of them at once). */
static json_t *users_json(struct request *req, struct user_view *v, const struct user *users, int n)
{
    user_view_relations(req, v, users, n);
    struct err ignored = {0}; /* without them, each user's tags are read alone */
    (void)user_view_load_tags(req, v, users, n, &ignored);
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out, user_json(req, v, &users[i]));
    return out;
}

bool suggestion_api_users(struct request *req, struct response *resp, struct err *e)
{
    int limit, offset;
    http_pagination(req, SUGGESTION_USER_PAGE_DEFAULT, SUGGESTION_PAGE_MAX, &limit, &offset);
    struct user_view v;
    user_view_init(req, &v);
    struct user_page page;
    if (!suggestion_users(req->store, req->arena, &req->who, v.follow_mode, limit, offset, &page, e))
        return false;
    http_json(resp, 200, http_page(req, page.count, limit, offset, users_json(req, &v, page.items, page.n)));
    return true;
}

bool suggestion_api_search(struct request *req, struct response *resp, struct err *e)
{
    /* present but empty is an empty page; absent is an error */
    json_t *search = json_object_get(req->query, "search");
    if (!json_is_string(search))
        return err_field(e, "search", "required", "This field is required.");
    int limit, offset;
    http_pagination(req, SUGGESTION_PAGE_DEFAULT, SUGGESTION_PAGE_MAX, &limit, &offset);
    struct suggestion_page page;
    if (!suggestion_search(req->store, req->arena, &req->who, json_string_value(search), limit, offset, &page, e))
        return false;
    /* the page's users, rendered together */
    struct user *users = arena_alloc(req->arena, sizeof *users * (size_t)(page.n > 0 ? page.n : 1));
    int nusers = 0;
    for (int i = 0; i < page.n; i++)
        if (!page.items[i].is_category)
            users[nusers++] = page.items[i].user;
    /* and `followed` of its categories, as on every Category object */
    for (int i = 0; i < page.n; i++)
        if (page.items[i].is_category && !category_fill_followed(req->store, &req->who, &page.items[i].category, 1, e))
            return false;
    struct user_view v;
    user_view_init(req, &v);
    json_t *rendered = users_json(req, &v, users, nusers);
    json_t *results = json_array();
    for (int i = 0, u = 0; i < page.n; i++) {
        const struct suggestion_item *it = &page.items[i];
        json_t *o = it->is_category ? json_pack("{s:s, s:f, s:o}", "type", "category", "score", it->score, "category",
                                                category_json(&it->category))
                                    : json_pack("{s:s, s:f, s:O}", "type", "user", "score", it->score, "user",
                                                json_array_get(rendered, (size_t)u++));
        json_array_append_new(results, o);
    }
    json_decref(rendered);
    http_json(resp, 200, http_page(req, page.count, limit, offset, results));
    return true;
}

bool suggestion_api_categories(struct request *req, struct response *resp, struct err *e)
{
    int limit, offset;
    http_pagination(req, SUGGESTION_PAGE_DEFAULT, SUGGESTION_PAGE_MAX, &limit, &offset);
    struct category_page page;
    if (!suggestion_categories(req->store, req->arena, &req->who, limit, offset, &page, e))
        return false;
    json_t *results = category_json_array(req, page.items, page.n, e);
    if (!results)
        return false;
    http_json(resp, 200, http_page(req, page.count, limit, offset, results));
    return true;
}

bool suggestion_api_match(struct request *req, struct response *resp, struct err *e)
{
    struct user *users;
    int n;
    if (!suggestion_match(req->store, req->arena, &req->who, req->body.fields, &users, &n, e))
        return false;
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out, user_autocomplete_json(req, &users[i]));
    http_json(resp, 200, out);
    return true;
}
