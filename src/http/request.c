/* request.c - accessors over a parsed request. */
#include "http/request.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cidr.h"

const char *http_header(const struct request *req, const char *name)
{
    if (!req->conn)
        return NULL;
    return MHD_lookup_connection_value((struct MHD_Connection *)req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const struct request *req, const char *name)
{
    const char *v = json_string_value(json_object_get(req->query, name));
    if (!v || !*v || !strcmp(v, "undefined"))
        return NULL;
    return v;
}

enum { PAGINATION_COUNT_MAX = 1000000000 }; /* larger values saturate here */

/* A non-negative decimal integer (saturated at PAGINATION_COUNT_MAX: a huge
 * limit is still a valid one, to be clamped, as in DRF), or -1. */
static int parse_count(const char *s)
{
    if (!s || !*s)
        return -1;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (v < PAGINATION_COUNT_MAX)
            v = v * 10 + (*p - '0');
    }
    return v > PAGINATION_COUNT_MAX ? PAGINATION_COUNT_MAX : (int)v;
}

void http_pagination(const struct request *req, int default_limit, int max_limit, int *limit, int *offset)
{
    int l = parse_count(http_query(req, "limit"));
    int o = parse_count(http_query(req, "offset"));
    *limit = l <= 0 ? default_limit : (l > max_limit ? max_limit : l);
    *offset = o < 0 ? 0 : o;
}

const char *http_body_string(const struct request *req, const char *name, bool *present)
{
    json_t *v = json_is_object(req->body.fields) ? json_object_get(req->body.fields, name) : NULL;
    if (present)
        *present = v != NULL;
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        return arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v))
        return arena_printf(req->arena, "%.17g", json_real_value(v));
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    return NULL;
}

struct forwarded {
    struct arena *arena;
    char *text; /* every X-Forwarded-For value, in order, joined with commas */
};

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct forwarded *f = cls;
    if (value && !strcasecmp(key, "X-Forwarded-For"))
        f->text = f->text ? arena_printf(f->arena, "%s,%s", f->text, value) : arena_strdup(f->arena, value);
    return MHD_YES;
}

const char *http_client_address(const struct request *req)
{
    if (!req->conn)
        return "-";
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info((struct MHD_Connection *)req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return "-";
    const struct sockaddr *sa = info->client_addr;
    struct cidr_addr peer = {0};
    if (sa->sa_family == AF_INET6) {
        peer.family = 6;
        memcpy(peer.bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    } else if (sa->sa_family == AF_INET) {
        peer.family = 4;
        memcpy(peer.bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else {
        return "-";
    }
    struct cidr_addr client = peer;
    if (req->cfg && req->cfg->trusted_proxies.n) {
        /* the canonical form first (a mapped IPv6 peer is its IPv4 address) */
        char text[CIDR_TEXT_MAX];
        cidr_addr_format(&peer, text);
        if (!cidr_addr_parse(text, strlen(text), &peer))
            return "-";
        struct forwarded f = {.arena = req->arena};
        MHD_get_connection_values((struct MHD_Connection *)req->conn, MHD_HEADER_KIND, collect_forwarded, &f);
        cidr_forwarded_client(&req->cfg->trusted_proxies, &peer, f.text, &client);
    }
    char host[CIDR_TEXT_MAX];
    cidr_addr_format(&client, host);
    return arena_strdup(req->arena, host);
}
