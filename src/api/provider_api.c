/* provider_api.c - HTTP <-> domain for provider associations. */
#include "api/provider_api.h"

#include "domain/provider.h"

/* {user_id, provider, ext_id, profile_url, show_in_profile, metadata}, as
 * the official client's SCUserProviderAssociationType. */
static json_t *provider_json(const struct provider_assoc *p)
{
    json_t *metadata = json_loads(p->metadata ? p->metadata : "{}", 0, NULL);
    return json_pack("{s:I, s:s, s:s, s:o, s:b, s:o}", "user_id", (json_int_t)p->user_id, "provider", p->provider,
                     "ext_id", p->ext_id, "profile_url", p->profile_url ? json_string(p->profile_url) : json_null(),
                     "show_in_profile", p->show_in_profile, "metadata", metadata ? metadata : json_object());
}

bool provider_api_list(struct request *req, struct response *resp, struct err *e)
{
    struct provider_assoc *items;
    int n;
    if (!provider_list(req->store, req->arena, &req->who, req->id, &items, &n, e))
        return false;
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out, provider_json(&items[i]));
    http_json(resp, 200, out);
    return true;
}

bool provider_api_create(struct request *req, struct response *resp, struct err *e)
{
    struct provider_assoc p;
    if (!provider_create(req->store, req->arena, &req->who, req->id, req->body.fields, &p, e))
        return false;
    http_json(resp, 201, provider_json(&p));
    return true;
}

bool provider_api_delete(struct request *req, struct response *resp, struct err *e)
{
    if (!provider_delete(req->store, req->arena, &req->who, req->id, req->body.fields, e))
        return false;
    http_no_content(resp);
    return true;
}
