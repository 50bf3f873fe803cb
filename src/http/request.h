/* request.h - one parsed HTTP request, as handlers see it.
 *
 * The server (server.c) fills it once: method, path, query (an object of
 * strings with `undefined` values dropped, contract §1), body (whatever its
 * encoding, see parse.h), the {id} path parameter, and the caller. Every
 * allocation lives in req->arena.
 */
#ifndef HEARTH_HTTP_REQUEST_H
#define HEARTH_HTTP_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/config.h"
#include "http/parse.h"
#include "model/principal.h"

struct store;
struct user;

struct request {
    struct arena *arena;
    const struct config *cfg;
    struct store *store; /* this thread's connection */
    const char *method;
    const char *path; /* as received, without the query */
    json_t *query;    /* object of strings */
    struct http_form body;
    int64_t id;        /* {id} path parameter, 0 if the route has none */
    const char *param; /* {name} path parameter, NULL if none */
    struct principal who;
    /* the caller's row as authentication read it in this request's read
     * snapshot (NULL when anonymous): handlers about the caller reuse it */
    const struct user *who_user;
    const char *base; /* absolute base URL: configured, or scheme://Host */
    void *conn;       /* the libmicrohttpd connection, for headers */
};

/* A request header's value, or NULL. */
const char *http_header(const struct request *req, const char *name);

/* A query parameter, or NULL when absent, empty or `undefined`. */
const char *http_query(const struct request *req, const char *name);

/* limit/offset of contract §3: invalid values fall back to the defaults,
 * limit is clamped to `max`. */
void http_pagination(const struct request *req, int default_limit, int max_limit, int *limit, int *offset);

/* A body field as a string (JSON strings, or numbers and booleans written
 * out), NULL when absent or JSON null. *present tells absent from null. */
const char *http_body_string(const struct request *req, const char *name, bool *present);

/* The client's IP address as text (for rate limits and logs): the TCP
 * peer, or when the peer is one of --trusted-proxies the client it names in
 * X-Forwarded-For (cidr_forwarded_client). Allocated in req->arena. */
const char *http_client_address(const struct request *req);
#endif
