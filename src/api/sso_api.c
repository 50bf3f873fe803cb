/* sso_api.c - signup by an admin, signin of the token's user. */
#include "api/sso_api.h"

#include "domain/tag.h"
#include "domain/user.h"
#include "store/store.h"

static json_t *ext_id_json(const struct user *u) { return u->has_ext_id ? json_integer(u->ext_id) : json_null(); }

/* The user's tag ids (SSOSignUpType/SSOSignInType `tags`: number[]). */
static json_t *tag_ids_json(struct request *req, int64_t user_id, struct err *e)
{
    int64_t *ids;
    int n;
    if (!tag_ids_of_user(req->store, req->arena, user_id, &ids, &n, e))
        return NULL;
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out, json_integer(ids[i]));
    return out;
}

bool sso_api_signup(struct request *req, struct response *resp, struct err *e)
{
    struct user_signup in;
    int64_t id;
    struct user u;
    json_t *tags;
    if (!user_signup_from_json(req->arena, req->body.fields, &in, e) ||
        !user_signup(req->store, req->arena, &in, &id, e) || !user_get_visible(req->store, req->arena, id, &u, e) ||
        !(tags = tag_ids_json(req, u.id, e)))
        return false;
    http_json(resp, 201,
              json_pack("{s:I, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)u.id, "ext_id", ext_id_json(&u), "username",
                        u.username, "email", u.email ? json_string(u.email) : json_null(), "role",
                        u.role ? json_string(u.role) : json_null(), "tags", tags));
    return true;
}

bool sso_api_signin(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    json_t *tags;
    if (!user_get_visible(req->store, req->arena, req->who.user_id, &u, e) || !(tags = tag_ids_json(req, u.id, e)))
        return false;
    http_json(resp, 200,
              json_pack("{s:I, s:o, s:s, s:o, s:o}", "id", (json_int_t)u.id, "ext_id", ext_id_json(&u), "username",
                        u.username, "role", u.role ? json_string(u.role) : json_null(), "tags", tags));
    return true;
}
