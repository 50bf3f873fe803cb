/* user_service_api.c - HTTP <-> domain for the rest of the official
 * client's UserService (user_service_api.h). */
#include "api/user_service_api.h"

#include <string.h>

#include "api/tag_api.h"
#include "core/buf.h"
#include "core/text.h"
#include "domain/field.h"
#include "domain/user.h"
#include "domain/user_service.h"

bool user_service_api_check_email_token(struct request *req, struct response *resp, struct err *e)
{
    bool valid;
    if (!email_token_check(req->store, req->arena, &req->who, req->id, http_query(req, "email_token"), &valid, e))
        return false;
    http_json(resp, 200, json_pack("{s:b}", "is_valid", valid));
    return true;
}

/* A bare array, as the kit's useSCFetchAddressingTagList reads it. */
bool user_service_api_addressing_tags(struct request *req, struct response *resp, struct err *e)
{
    struct tag *tags;
    int n;
    if (!addressing_tags(req->store, req->arena, &req->who, &tags, &n, e))
        return false;
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out, tag_json(&tags[i]));
    http_json(resp, 200, out);
    return true;
}

/* ================================================================ */
/* platform URL                                                     */

/* `next`: a path on the platform ("/settings"), not another site. */
static bool valid_next(const char *s)
{
    if (s[0] != '/' || s[1] == '/' || text_chars(s) > PLATFORM_NEXT_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '\\')
            return false;
    return true;
}

/* A Host header: a name, IPv4 or [IPv6] address, and an optional port. */
static bool valid_host(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > PLATFORM_HOST_MAX || s[0] == '.' || s[0] == ':')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == ':' || c == '[' || c == ']'))
            return false;
    }
    return true;
}

/* Appends s percent-encoded (everything but unreserved characters and '/'). */
static void append_escaped(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", c)) {
            buf_append(b, (const char *)p, 1);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, esc, 3);
        }
    }
}

/* Staff only. The configured --platform-url (with `next` as a query
 * parameter), else the API explorer of this server. The official client
 * types a token_details too: hearth mints no token for another site. */
bool user_service_api_platform_url(struct request *req, struct response *resp, struct err *e)
{
    if (!req->who.role || !*req->who.role)
        return err_forbidden(e, "Only staff members can open the community's platform.");
    const char *next = http_query(req, "next");
    if (next && !valid_next(next))
        return err_field(e, "next", FIELD_CODE_INVALID,
                         arena_printf(req->arena,
                                      "Expected a path on the platform: starting with one '/', at most %d "
                                      "characters, without spaces.",
                                      PLATFORM_NEXT_MAX));
    const char *url;
    if (req->cfg->platform_url[0]) {
        struct buf b = BUF_INIT;
        buf_puts(&b, req->cfg->platform_url);
        if (next) {
            buf_puts(&b, strchr(req->cfg->platform_url, '?') ? "&next=" : "?next=");
            append_escaped(&b, next);
        }
        url = arena_strdup(req->arena, buf_str(&b));
        buf_free(&b);
    } else if (req->cfg->base_url[0]) {
        url = arena_printf(req->arena, "%s/api/docs/", req->cfg->base_url);
    } else {
        const char *host = http_header(req, "Host");
        if (!valid_host(host))
            return err_set(e, ERR_INVALID, "invalid_host", "The Host header is not a valid host name.");
        url = arena_printf(req->arena, "http://%s/api/docs/", host);
    }
    http_json(resp, 200, json_pack("{s:s}", "platform_url", url));
    return true;
}

/* ================================================================ */
/* features hearth does not have                                    */

/* No loyalty programme: every user has 0 points. Any authenticated caller
 * may read them, as SelfCommunity's own client tests read another user's. */
bool user_service_api_loyalty_points(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    http_json(resp, 200, json_pack("{s:i}", "points", 0));
    return true;
}

/* No live streams: the user's list is an empty page. */
bool user_service_api_live_streams(struct request *req, struct response *resp, struct err *e)
{
    struct user u;
    if (!user_get_visible(req->store, req->arena, req->id, &u, e))
        return false;
    int limit, offset;
    http_pagination(req, USER_PAGE_DEFAULT, USER_PAGE_MAX, &limit, &offset);
    http_json(resp, 200, http_page(req, 0, limit, offset, json_array()));
    return true;
}

/* No payments: the user's order history is an empty page. */
bool user_service_api_orders(struct request *req, struct response *resp, struct err *e)
{
    if (!user_require_self_or_admin(req->store, req->arena, &req->who, req->id, "You can only see your own orders.", e))
        return false;
    int limit, offset;
    http_pagination(req, USER_PAGE_DEFAULT, USER_PAGE_MAX, &limit, &offset);
    http_json(resp, 200, http_page(req, 0, limit, offset, json_array()));
    return true;
}

/* No payments: no order exists. */
bool user_service_api_order(struct request *req, struct response *resp, struct err *e)
{
    (void)resp;
    if (!user_require_self_or_admin(req->store, req->arena, &req->who, req->id, "You can only see your own orders.", e))
        return false;
    return err_not_found(e);
}
