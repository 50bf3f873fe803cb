/* avatar_api.c - HTTP ↔ domain for avatars: the caller's gallery (rules in
 * domain/avatar.c), the caller's avatar URL, and the generated default
 * image (domain/avatar_image.c) with its caching headers. */
#include "api/avatar_api.h"

#include <string.h>

#include "api/user_json.h"
#include "core/clock.h"
#include "domain/avatar.h"
#include "domain/avatar_image.h"
#include "domain/user.h"

enum {
    /* the image changes only with the username; a day, then revalidated
     * cheaply by its ETag */
    AVATAR_IMAGE_MAX_AGE_S = 24 * 60 * 60,
};

/* The gallery entry {id, primary, avatar, date_uploaded, user}. */
static json_t *avatar_json(struct request *req, const struct user_avatar *v)
{
    char uploaded[CLOCK_RFC3339_LEN];
    clock_format(v->uploaded_us, uploaded);
    return json_pack("{s:I, s:b, s:o, s:s, s:I}", "id", (json_int_t)v->id, "primary", v->primary, "avatar",
                     user_media_url(req, v->file), "date_uploaded", uploaded, "user", (json_int_t)v->user_id);
}

bool avatar_api_list(struct request *req, struct response *resp, struct err *e)
{
    int limit, offset;
    http_pagination(req, AVATAR_PAGE_DEFAULT, AVATAR_PAGE_MAX, &limit, &offset);
    struct avatar_page page;
    if (!avatar_list(req->store, req->arena, &req->who, limit, offset, &page, e))
        return false;
    json_t *results = json_array();
    for (int i = 0; i < page.n; i++)
        json_array_append_new(results, avatar_json(req, &page.items[i]));
    http_json(resp, 200, http_page(req, page.count, limit, offset, results));
    return true;
}

bool avatar_api_add(struct request *req, struct response *resp, struct err *e)
{
    /* the last file of field "avatar", as the profile update takes it */
    const struct http_upload *up = NULL;
    for (size_t i = 0; i < req->body.nuploads; i++)
        if (!strcmp(req->body.uploads[i].field, "avatar"))
            up = &req->body.uploads[i];
    struct user_avatar v;
    if (!avatar_add(req->store, req->arena, req->cfg->media_dir, &req->who, up ? up->data : NULL, up ? up->len : 0,
                    up != NULL, &v, e))
        return false;
    http_json(resp, 201, avatar_json(req, &v));
    return true;
}

bool avatar_api_set_primary(struct request *req, struct response *resp, struct err *e)
{
    if (!avatar_set_primary(req->store, req->arena, &req->who, req->body.fields, e))
        return false;
    http_no_content(resp);
    return true;
}

bool avatar_api_remove(struct request *req, struct response *resp, struct err *e)
{
    if (!avatar_remove(req->store, req->arena, req->cfg->media_dir, &req->who, req->body.fields, e))
        return false;
    http_no_content(resp);
    return true;
}

bool avatar_api_me(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->who.user_id, &u, e))
        return false;
    http_json(resp, 200, json_pack("{s:o}", "avatar", user_media_url(req, u.avatar)));
    return true;
}

/* Whether an If-None-Match value (a list of tags, or "*") names etag;
 * weak tags compare by their opaque part (RFC 9110 13.1.2). */
static bool etag_matches(const char *header, const char *etag)
{
    size_t tag_len = strlen(etag);
    for (const char *p = header; p && *p;) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return true;
        if (!strncmp(p, "W/", 2))
            p += 2;
        size_t n = strcspn(p, " \t,");
        if (n == tag_len && !memcmp(p, etag, n))
            return true;
        p += n;
    }
    return false;
}

bool avatar_api_default_image(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    if (!user_status_active(u.status)) /* deleted: nobody to draw */
        return err_not_found(e);
    char etag[AVATAR_ETAG_LEN];
    size_t len = 0;
    const unsigned char *png = avatar_image_png(req->arena, u.id, u.username, &len, etag);
    http_add_header(resp, "ETag", arena_printf(req->arena, "%s", etag));
    http_add_header(resp, "Cache-Control", arena_printf(req->arena, "public, max-age=%d", AVATAR_IMAGE_MAX_AGE_S));
    const char *inm = http_header(req, "If-None-Match");
    if (inm && etag_matches(inm, etag)) {
        resp->status = 304;
        return true;
    }
    resp->status = 200;
    resp->data = png; /* copied when queued (no free_data) */
    resp->len = len;
    resp->content_type = "image/png";
    http_add_header(resp, "X-Content-Type-Options", "nosniff");
    /* an image is never a document: nothing in it may run if opened directly */
    http_add_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    return true;
}
