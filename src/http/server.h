/* server.h - the HTTP server: libmicrohttpd glue, request lifecycle,
 * authentication and route flags, the password worker pool, draining. */
#ifndef HEARTH_HTTP_SERVER_H
#define HEARTH_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "http/router.h"

enum {
    HTTP_BODY_LIMIT = 1 << 20,            /* JSON and forms: 1 MiB (contract §1) */
    HTTP_MULTIPART_LIMIT = 10 << 20,      /* multipart uploads: 10 MiB (contract §1) */
    HTTP_CONNECTION_TIMEOUT_S = 30,       /* idle keep-alive connections are closed */
    HTTP_CONNECTION_LIMIT = 1024,         /* concurrent connections */
    HTTP_CONNECTION_MEMORY = 64 * 1024,   /* per-connection header memory: larger headers get 431 */
    HTTP_DRAIN_MS = 10 * 1000,            /* at shutdown, in-flight requests get this long to finish */
};

/* Serves `routes` until SIGTERM or SIGINT, then drains in-flight requests
 * and returns. Prints "hearth: listening on http://HOST:PORT" to stdout when
 * ready. Returns false if the server could not start. */
bool http_serve(const struct config *cfg, const struct route *routes, size_t nroutes);

/* Gauges of the running server, read by /metrics (takes the password
 * pool's lock briefly; not for the request path). */
struct http_gauges {
    int password_queued, password_busy, in_flight;
};
void http_server_gauges(struct http_gauges *g);

/* This thread's store connection, opened on first use (HTTP and password
 * worker threads each own one; closed when the thread exits). */
struct store *http_thread_store(const struct config *cfg);

#endif
