/* account_service_api.c - HTTP ↔ domain for /api/v2/account/ (signup.h). */
#include "api/account_service_api.h"

#include "api/user_json.h"
#include "auth/oauth.h"
#include "domain/signup.h"
#include "domain/user.h"

static bool user_reply(struct request *req, struct response *resp, int status, int64_t id, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, id, &u, e))
        return false;
    struct user_view v;
    user_view_init(req, &v);
    http_json(resp, status, user_json(req, &v, &u));
    return true;
}

bool account_service_create(struct request *req, struct response *resp, struct err *e)
{
    int64_t id;
    if (!signup_create(req->store, req->arena, &req->who, req->body.fields, http_client_address(req), &id, e))
        return false;
    return user_reply(req, resp, 201, id, e);
}

bool account_service_verify(struct request *req, struct response *resp, struct err *e)
{
    int64_t id, client_row;
    bool awaiting;
    /* the client first: a code is not used up by a request that cannot
     * receive its token */
    if (!oauth_request_client(req, &client_row, e) ||
        !signup_verify(req->store, req->arena, req->body.fields, http_client_address(req), &id, &awaiting, e))
        return false;
    if (awaiting) {
        http_json(resp, 200, json_pack("{s:b}", "user_awaiting_approval", 1));
        return true;
    }
    json_t *token = oauth_tokens_for_user(req, id, client_row, e);
    if (!token)
        return false;
    http_json(resp, 200, json_pack("{s:o}", "token", token));
    http_add_header(resp, "Cache-Control", "no-store");
    return true;
}

bool account_service_verify_code(struct request *req, struct response *resp, struct err *e)
{
    bool valid;
    if (!signup_code_check(req->store, req->arena, req->body.fields, http_client_address(req), &valid, e))
        return false;
    http_json(resp, 200, json_pack("{s:b}", "is_valid", valid));
    return true;
}

bool account_service_recover(struct request *req, struct response *resp, struct err *e)
{
    if (!signup_recover(req->store, req->arena, req->body.fields, http_client_address(req), e))
        return false;
    http_no_content(resp);
    return true;
}

bool account_service_reset(struct request *req, struct response *resp, struct err *e)
{
    if (!signup_reset(req->store, req->arena, req->body.fields, http_client_address(req), e))
        return false;
    http_no_content(resp);
    return true;
}

bool account_service_search(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!signup_search(req->store, req->arena, http_query(req, "username"), http_query(req, "email"),
                       http_query(req, "ext_id"), http_query(req, "provider"), &u, e))
        return false;
    struct user_view v;
    user_view_init(req, &v);
    http_json(resp, 200, user_json(req, &v, &u));
    return true;
}
