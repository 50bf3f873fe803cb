/* search_api.c - HTTP <-> domain for searching users. */
#include "api/search_api.h"

#include "api/user_json.h"
#include "core/json_write.h"
#include "domain/search.h"

static const char *query_param(void *ctx, const char *name) { return http_query(ctx, name); }

bool search_api_users(struct request *req, struct response *resp, struct err *e)
{
    struct search_query q = {0};
    struct search_page page;
    http_pagination(req, USER_PAGE_DEFAULT, USER_PAGE_MAX, &q.limit, &q.offset);
    if (!search_query_from_params(req->store, req->arena, &req->who, query_param, req, &q, e) ||
        !search_users(req->store, req->arena, &q, &page, e))
        return false;
    struct user_view v;
    user_view_init(req, &v);
    user_view_relations(req, &v, page.items, page.n); /* connection_status: one query for the page */
    if (!user_view_load_tags(req, &v, page.items, page.n, e))
        return false;
    struct buf results = BUF_INIT;
    buf_append(&results, "[", 1);
    for (int i = 0; i < page.n; i++) {
        buf_append(&results, i ? ",{" : "{", i ? 2 : 1);
        user_write_members(&results, req, &v, &page.items[i]);
        if (page.distance) {
            json_t *d = json_real(page.distance[i]); /* jansson's text of a real, as every other one */
            buf_puts(&results, ",\"distance\":");
            if (!d || !json_write(&results, d))
                buf_append(&results, "null", 4);
            json_decref(d);
        }
        buf_append(&results, "}", 1);
    }
    buf_append(&results, "]", 1);
    http_page_text(req, resp, page.count, q.limit, q.offset, &results);
    return true;
}
