/* router.h - matching a method and path against the route table
 * (src/api/routes.c). Patterns are paths whose segments are literals,
 * `{id}` (a positive 63-bit integer) or `{name}` (a safe file-name-like
 * segment); they match with and without the trailing slash. */
#ifndef HEARTH_HTTP_ROUTER_H
#define HEARTH_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct request;
struct response;

typedef bool (*http_handler)(struct request *req, struct response *resp, struct err *e);

enum route_flags {
    ROUTE_PUBLIC = 0,
    ROUTE_AUTH = 1 << 0,        /* authentication required (401) */
    ROUTE_ADMIN = 1 << 1,       /* admin role required (403); implies AUTH */
    ROUTE_SLOW = 1 << 2,        /* runs on the password worker pool (argon2id) */
    ROUTE_FOLLOW_MODE = 1 << 3, /* 403 mode_disabled unless follow mode */
    ROUTE_FRIEND_MODE = 1 << 4, /* 403 mode_disabled unless friendship mode */
    ROUTE_CONTENT = 1 << 5,     /* anonymous callers need content_availability */
    ROUTE_UPLOADS = 1 << 6,     /* multipart uploads: the 10 MiB body limit */
    ROUTE_NO_AUTH = 1 << 7,     /* the Authorization header is not read: /oauth/ and
                                     jwt/verify_token authenticate the client or the body's
                                     token, and must work while a stale Bearer is sent */
    ROUTE_OWNER = 1 << 8,       /* only the {id} user may call it: 404/403 decided from the
                                     head, before a (large) body is read */
};

struct route {
    const char *method;
    const char *pattern;
    http_handler handler;
    unsigned flags;
};

struct route_match {
    const struct route *route; /* NULL if none */
    int64_t id;
    char name[128];
    char allow[128]; /* when the path matched but not the method: "GET, POST" */
};

/* Finds the route for method+path among routes[0..n). On a path that
 * matches no pattern, route is NULL and allow empty (404); on a path that
 * matches only with other methods, route is NULL and allow lists them (405). */
void router_match(const struct route *routes, size_t n, const char *method, const char *path, struct route_match *m);

/* Whether every route in routes[0..n) can be reached: no earlier route of
 * the same method matches every path a later one matches (a `{name}` before
 * a literal, an `{id}` before a number, or the same pattern twice). The
 * table's order is its precedence, so literal paths go first. */
bool router_table_ordered(const struct route *routes, size_t n);

#endif
