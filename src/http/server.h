/* server.h - the HTTP server: libmicrohttpd glue, the request lifecycle,
 * every request limit, connection limits, the password worker pool,
 * draining. What needs the layers above (the caller, the route's rules,
 * the handler's store) comes in through `struct http_hooks`. */
#ifndef HEARTH_HTTP_SERVER_H
#define HEARTH_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/err.h"
#include "http/router.h"

struct request;
struct response;

/* Request limits: each is answered with a contract §2 error body before
 * anything the size of the excess is allocated (docs/operations.md, Limits). */
enum {
    HTTP_BODY_LIMIT = 1 << 20,        /* JSON and forms: 1 MiB, else 413 (contract §1) */
    HTTP_MULTIPART_LIMIT = 10 << 20,  /* multipart uploads: 10 MiB, else 413 (contract §1) */
    HTTP_URI_MAX = 8192,              /* request target, path and query: 414 beyond (as Apache's 8190) */
    HTTP_PATH_MAX = 2048,             /* path alone: 414 beyond; the longest route is under 100 */
    HTTP_HEADERS_MAX = 100,           /* header lines: 431 beyond (as Apache's LimitRequestFields) */
    HTTP_HEADER_BYTES_MAX = 8 * 1024, /* all header names and values: 431 beyond */
    HTTP_BODIES_IN_FLIGHT = 64 << 20, /* body bytes held across all connections: 503 + Retry-After */
    HTTP_DISCARD_MAX = 64 * 1024,     /* the body of a request refused before it (401/403/404/405)
                                              is read and dropped up to this size, so the client reads
                                              the answer; a larger one is not read at all */
};

/* Connection limits. */
enum {
    HTTP_HEAD_TIMEOUT_S = 10,           /* a new connection must send its request head within this
                                              idle time (slow or silent clients are closed) */
    HTTP_CONNECTION_TIMEOUT_S = 30,     /* idle keep-alive connections, and bodies in progress */
    HTTP_CONNECTION_LIMIT = 10000,      /* concurrent connections (lowered to fit RLIMIT_NOFILE) */
    HTTP_FD_RESERVE = 256,              /* descriptors kept for the database, media and logs */
    HTTP_CONNECTION_MEMORY = 24 * 1024, /* libmicrohttpd's per-connection pool: the largest head
                                              within the limits above (an 8 KiB target and 8 KiB of
                                              headers in 100 lines, about 17 KiB, plus the pool's
                                              record of each header) fits, 22 KiB does not
                                              (tests/api/limits_http.test.js); libmicrohttpd zeroes
                                              the whole pool between requests, so it is no larger */
    HTTP_DRAIN_MS = 10 * 1000,          /* at shutdown, in-flight requests get this long to finish */
};

/* What the server needs from the layers above. Every hook runs on the
 * thread that serves the request, and may set req->store. */
struct http_hooks {
    /* After the request head (method, path, headers, query) and before any
     * body byte is read: the caller and the route's rules. Returning false
     * with `e` answers at once: the body is not read, and a client waiting
     * with `Expect: 100-continue` is not invited to send it. */
    bool (*before_body)(struct request *req, const struct route *route, struct err *e);
    /* Runs the route's handler, on an HTTP thread or a password worker. */
    bool (*handle)(struct request *req, const struct route *route, struct response *resp, struct err *e);
};

/* Serves `routes` until SIGTERM or SIGINT, then drains in-flight requests
 * and returns. Prints "hearth: listening on http://HOST:PORT" to stdout when
 * ready. Returns false if the server could not start. On the signal the
 * server is draining (http_server_draining): with cfg->drain_delay_s it
 * first keeps accepting and serving for that long, so that a load balancer
 * polling GET /health sees 503 and stops sending new clients, then stops
 * accepting (a second signal ends the delay early). */
bool http_serve(const struct config *cfg, const struct route *routes, size_t nroutes, const struct http_hooks *hooks);

/* True from the stop signal on (GET /health answers 503). Thread-safe. */
bool http_server_draining(void);

/* Gauges of the running server, read by /metrics (takes the password
 * pool's lock briefly; not for the request path). */
struct http_gauges {
    int password_queued, password_busy, in_flight;
};
void http_server_gauges(struct http_gauges *g);

#endif
