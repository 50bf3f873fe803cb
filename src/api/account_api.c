/* account_api.c - HTTP ↔ domain for the account lifecycle: profile updates
 * (JSON, form or multipart), delete, email change and confirmation,
 * password change, notification settings. */
#include "api/account_api.h"

#include <string.h>

#include "api/user_json.h"
#include "domain/account.h"
#include "domain/settings.h"
#include "http/parse.h"

/* avatar/cover sent back as the URL the User object shows for them (a
 * client PUTting the object it read) mean "unchanged": drop them. */
static void drop_unchanged_images(struct request *req, const struct user *u)
{
    static const char *const names[] = {"avatar", "cover"};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(req->body.fields, names[i]);
        const char *file = i == 0 ? u->avatar : u->cover;
        if (!json_is_string(v) || !file)
            continue;
        json_t *url = user_media_url(req, file);
        if (json_is_string(url) && !strcmp(json_string_value(url), json_string_value(v)))
            json_object_del(req->body.fields, names[i]);
        json_decref(url);
    }
}

bool account_api_update(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    if (json_is_object(req->body.fields))
        drop_unchanged_images(req, &u);
    struct account_upload uploads[HTTP_MAX_UPLOADS];
    size_t n = 0;
    for (size_t i = 0; i < req->body.nuploads && n < HTTP_MAX_UPLOADS; i++)
        uploads[n++] = (struct account_upload){
            .field = req->body.uploads[i].field, .data = req->body.uploads[i].data, .len = req->body.uploads[i].len};
    if (!account_update_profile(req->store, req->arena, req->cfg->media_dir, &req->who, req->id, req->body.fields,
                                uploads, n, e) ||
        !user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    struct user_view v;
    user_view_init(req, &v);
    http_json(resp, 200, user_json(req, &v, &u));
    return true;
}

bool account_api_delete(struct request *req, struct response *resp, struct err *e)
{
    /* the specification: hard=1 is a hard delete, anything else soft */
    const char *hard_param = http_query(req, "hard");
    bool hard = false;
    if (hard_param) {
        json_t *v = json_string(hard_param);
        if (v && !http_parse_bool(v, &hard))
            hard = false;
        json_decref(v);
    }
    if (!account_delete(req->store, req->arena, req->cfg->media_dir, &req->who, req->id, hard, e))
        return false;
    http_no_content(resp);
    return true;
}

bool account_api_change_email(struct request *req, struct response *resp, struct err *e)
{
    const char *code = NULL;
    if (!account_change_email(req->store, req->arena, &req->who, req->id, req->body.fields, http_client_address(req),
                              &code, e))
        return false;
    if (code)
        http_json(resp, 200, json_pack("{s:s}", "validation_code", code));
    else
        http_no_content(resp);
    return true;
}

bool account_api_confirm_email(struct request *req, struct response *resp, struct err *e)
{
    if (!account_confirm_email(req->store, req->arena, req->id, req->body.fields, e))
        return false;
    http_no_content(resp);
    return true;
}

bool account_api_change_password(struct request *req, struct response *resp, struct err *e)
{
    if (!account_change_password(req->store, req->arena, &req->who, req->id, req->body.fields, http_client_address(req),
                                 e))
        return false;
    http_no_content(resp);
    return true;
}

static json_t *settings_json(const struct user_settings *s)
{
    json_t *o = json_object();
    for (int i = 0; i < SETTINGS_COUNT; i++)
        json_object_set_new(o, settings_names[i], json_integer(s->values[i]));
    return o;
}

bool account_api_settings_get(struct request *req, struct response *resp, struct err *e)
{
    struct user_settings s;
    if (!settings_get(req->store, req->arena, &req->who, req->id, &s, e))
        return false;
    http_json(resp, 200, settings_json(&s));
    return true;
}

bool account_api_settings_update(struct request *req, struct response *resp, struct err *e)
{
    struct user_settings s;
    if (!settings_update(req->store, req->arena, &req->who, req->id, req->body.fields, &s, e))
        return false;
    http_json(resp, 200, settings_json(&s));
    return true;
}
