/* server.c - libmicrohttpd glue and the request lifecycle.
 *
 * Lifecycle of a request: the URI log callback creates its state (arena,
 * raw URI). The first call of the access handler sees the whole head and
 * decides everything that does not need the body, in this order: 414
 * (target too long), 431 (too many or too large headers), CORS preflight,
 * route match (404/405), the query (400), the before_body hook (the caller
 * and the route's rules: 401/403), 413 (declared length over the limit),
 * and 503 when the bodies in flight across connections are at their cap.
 * Only then is the body read: into memory, or for multipart uploads into an
 * unnamed temporary file in the media directory. The handler runs through
 * the handle hook; routes flagged ROUTE_SLOW (argon2id) are suspended and
 * run on the password worker pool, whose bounded queue answers 503 when
 * full. The completion callback logs one line and frees everything.
 *
 * Connections are admitted or refused with a 503 as they are accepted
 * (connections.c).
 *
 * Threads: one libmicrohttpd daemon per HTTP thread, each with its own
 * epoll loop and no listening socket; one acceptor thread accepts every
 * connection and hands them to the daemons in turn. (With a pool sharing
 * one listening socket, whichever thread woke first took the connections:
 * measured, one to two of four threads were often left idle.)
 *
 * Sections: slow handlers; rendering; body limits and upload files;
 * dispatch; MHD callbacks; start and drain.
 */
#define _GNU_SOURCE
#include "http/server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/access_log.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/fault.h"
#include "core/json_write.h"
#include "core/log.h"
#include "http/connections.h"
#include "http/metrics.h"
#include "http/parse.h"
#include "http/request.h"
#include "http/response.h"
#include "http/slow_pool.h"
#include "http/spool.h"

enum {
    SERVER_LISTEN_BACKLOG = 1024,
    SERVER_ACCEPT_RETRY_MS = 50, /* after a failed accept (out of descriptors) */
};

struct conn_state {
    struct arena *arena;
    char *uri;         /* raw request target, as received */
    bool uri_too_long; /* the target was cut before libmicrohttpd parsed it */
    struct buf body;
    int spool_fd; /* multipart upload body in a temporary file, or -1 */
    size_t spool_len;
    size_t limit;
    size_t reserved; /* bytes counted in bodies_in_flight for this request */
    bool headers_seen, too_large, response_ready, refused, overloaded;
    int spool_errno; /* a failed write of the upload file: answered by spool_fail */
    int64_t started_us;
    struct route_match match;
    struct request req;
    struct response resp;
    size_t bytes_sent;
    struct MHD_Connection *conn;
};

/* Requests between the URI callback and completion, for draining. */
static atomic_int server_in_flight;
/* Set by the stop signal: GET /health answers 503 from then on. */
static atomic_bool server_draining;
/* Body bytes held (memory or spool) by requests being read. */
static atomic_size_t bodies_in_flight;

static const struct config *server_cfg;
static const struct route *server_routes;
static size_t server_nroutes;
static const struct http_hooks *server_hooks;
static char server_spool_dir[PATH_MAX];

/* ================================================================ */
/* slow handlers                                                    */

static void run_handler(struct conn_state *s);

/* A request's job on the slow pool: its handler, then its connection
 * resumes to send the answer. */
static void run_slow(void *job)
{
    struct conn_state *s = job;
    run_handler(s);
    s->response_ready = true;
    MHD_resume_connection(s->conn);
}

bool http_server_draining(void) { return atomic_load(&server_draining); }

void http_server_gauges(struct http_gauges *g)
{
    slow_pool_gauges(&g->password_queued, &g->password_busy);
    g->in_flight = atomic_load(&server_in_flight);
}

/* ================================================================ */
/* rendering                                                        */

static bool origin_allowed(const char *origin)
{
    const char *list = server_cfg->cors_origins;
    if (!origin || !*list)
        return false;
    size_t olen = strlen(origin);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && p[m - 1] == ' ')
            m--;
        if ((m == 1 && *p == '*') || (m == olen && !strncmp(p, origin, m)))
            return true;
        p += n;
    }
    return false;
}

static void add_cors_headers(struct conn_state *s, struct MHD_Response *r)
{
    const char *origin = MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Origin");
    if (!origin_allowed(origin))
        return;
    MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
    MHD_add_response_header(r, "Vary", "Origin");
    MHD_add_response_header(r, "Access-Control-Allow-Headers", "Authorization, Content-Type, Prefer");
    MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
}

/* Size of the first buffer a JSON body is written into: most bodies fit,
 * so it grows rarely. */
enum { RESPONSE_BUFFER_START = 4096 };

static enum MHD_Result queue_response(struct conn_state *s)
{
    struct response *resp = &s->resp;
    struct MHD_Response *r;
    if (resp->json && resp->status != 204) {
        struct buf out = {.data = malloc(RESPONSE_BUFFER_START), .len = 0, .cap = RESPONSE_BUFFER_START};
        if (!out.data)
            return MHD_NO;
        if (!json_write(&out, resp->json)) {
            buf_free(&out);
            return MHD_NO;
        }
        size_t len;
        char *text = buf_detach(&out, &len);
        r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
        if (r)
            MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
        s->bytes_sent = len;
    } else if (resp->data && resp->status != 204) {
        r = resp->free_data
                ? MHD_create_response_from_buffer_with_free_callback(resp->len, (void *)resp->data, resp->free_data)
                : MHD_create_response_from_buffer(resp->len, (void *)resp->data, MHD_RESPMEM_MUST_COPY);
        if (r && resp->free_data)
            resp->free_data = NULL; /* ownership moved to libmicrohttpd */
        if (r)
            MHD_add_response_header(r, "Content-Type",
                                    resp->content_type ? resp->content_type : "application/octet-stream");
        s->bytes_sent = resp->len;
    } else {
        r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    }
    if (!r)
        return MHD_NO;
    for (int i = 0; i < resp->nheaders; i++)
        MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
    add_cors_headers(s, r);
    enum MHD_Result ret = MHD_queue_response(s->conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static void fail(struct conn_state *s, enum err_kind kind, const char *code, const char *message)
{
    struct err e = {0};
    err_set(&e, kind, code, message);
    http_error(&s->resp, &e);
}

/* ================================================================ */
/* body limits and upload files                                     */

/* An upload file that cannot be created or written: a full disk is 507
 * storage_full, anything else 503, both with Retry-After and logged once
 * per interval (core/fault.h), as the store's own storage faults. */
static void spool_fail(struct conn_state *s, int err)
{
    struct err e = {0};
    fault_log("upload file", strerror(err));
    if (err == ENOSPC || err == EDQUOT)
        err_storage_full(&e);
    else
        err_unavailable(&e);
    http_error(&s->resp, &e);
}

/* Counts `n` more body bytes in flight; false past the cap. */
static bool bodies_reserve(struct conn_state *s, size_t n)
{
    size_t now = atomic_load(&bodies_in_flight);
    do {
        if (now + n > HTTP_BODIES_IN_FLIGHT)
            return false;
    } while (!atomic_compare_exchange_weak(&bodies_in_flight, &now, now + n));
    s->reserved += n;
    return true;
}

static void bodies_release(struct conn_state *s)
{
    atomic_fetch_sub(&bodies_in_flight, s->reserved);
    s->reserved = 0;
}

/* ================================================================ */
/* dispatch                                                         */

static const char *request_base(struct conn_state *s)
{
    if (server_cfg->base_url[0])
        return server_cfg->base_url;
    const char *host = MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Host");
    if (!host || !*host || strpbrk(host, " /\\\"<>"))
        host = "localhost";
    size_t n = strlen(host); /* every request: no printf */
    char *base = arena_alloc(s->arena, sizeof "http://" + n);
    memcpy(base, "http://", sizeof "http://" - 1);
    memcpy(base + sizeof "http://" - 1, host, n + 1);
    return base;
}

/* Runs the matched handler (on an HTTP thread or a password worker). */
static void run_handler(struct conn_state *s)
{
    struct err e = {0};
    bool ok = server_hooks->handle(&s->req, s->match.route, &s->resp, &e);
    if (!ok)
        http_error(&s->resp, &e);
    else if (!s->resp.status)
        s->resp.status = 200;
}

static void cleanup_json(void *p) { json_decref(p); }

struct header_tally {
    size_t count, bytes;
};

static enum MHD_Result tally_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct header_tally *t = cls;
    t->count++;
    t->bytes += strlen(key) + (value ? strlen(value) : 0);
    return MHD_YES;
}

static bool is_multipart(const char *content_type)
{
    return content_type && !strncasecmp(content_type, "multipart/form-data", 19);
}

/* Everything decided from the request head, before any body byte is read.
 * Returns false if the request is answered (s->resp is set). */
static bool check_head(struct conn_state *s, const char *method)
{
    struct request *req = &s->req;
    req->arena = s->arena;
    req->cfg = server_cfg;
    req->conn = s->conn;
    req->method = method;
    char *q = strchr(s->uri, '?');
    req->path = q ? arena_strndup(s->arena, s->uri, (size_t)(q - s->uri)) : s->uri;

    if (s->uri_too_long || strlen(req->path) > HTTP_PATH_MAX) {
        fail(s, ERR_URI_TOO_LONG, "uri_too_long", "The request URI is too long.");
        return false;
    }
    struct header_tally t = {0};
    MHD_get_connection_values(s->conn, MHD_HEADER_KIND, tally_header, &t);
    if (t.count > HTTP_HEADERS_MAX || t.bytes > HTTP_HEADER_BYTES_MAX) {
        fail(s, ERR_HEADERS_TOO_LARGE, "headers_too_large", "The request headers are too large.");
        return false;
    }
    req->base = request_base(s);
    if (!strcmp(method, "OPTIONS")) {
        s->resp.status = 204;
        return false;
    }
    router_match(server_routes, server_nroutes, method, req->path, &s->match);
    if (!s->match.route) {
        if (s->match.allow[0]) {
            fail(s, ERR_METHOD, "method_not_allowed", arena_printf(s->arena, "Method \"%s\" not allowed.", method));
            http_add_header(&s->resp, "Allow", arena_strdup(s->arena, s->match.allow));
        } else {
            fail(s, ERR_NOT_FOUND, "not_found", "Not found.");
        }
        return false;
    }
    req->id = s->match.id;
    req->param = s->match.name[0] ? arena_strdup(s->arena, s->match.name) : NULL;

    struct err e = {0};
    if (!http_parse_urlencoded(s->arena, q ? q + 1 : "", q ? strlen(q + 1) : 0, &req->query, &e) ||
        !server_hooks->before_body(req, s->match.route, &e)) {
        http_error(&s->resp, &e);
        return false;
    }

    /* only upload routes take the large multipart limit: 10 MiB bodies
     * on every route would let every connection pin 10 MiB */
    const char *ct = MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Content-Type");
    bool uploads = (s->match.route->flags & ROUTE_UPLOADS) && is_multipart(ct);
    s->limit = uploads ? HTTP_MULTIPART_LIMIT : HTTP_BODY_LIMIT;
    const char *cl = MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Content-Length");
    unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
    if (declared > s->limit) {
        s->too_large = true;
        fail(s, ERR_TOO_LARGE, "request_too_large", "The request body is too large.");
        return false;
    }
    if (declared && !bodies_reserve(s, (size_t)declared)) {
        s->overloaded = true;
        fail(s, ERR_UNAVAILABLE, "overloaded", "The server is busy; try again shortly.");
        http_add_header(&s->resp, "Retry-After", "1");
        return false;
    }
    if (uploads) {
        s->spool_fd = spool_open(server_spool_dir);
        if (s->spool_fd < 0) {
            spool_fail(s, errno);
            return false;
        }
    }
    return true;
}

/* With the body read: parse it and run the handler, or hand it to the pool.
 * Returns true if the connection was suspended. */
static bool dispatch(struct conn_state *s)
{
    struct request *req = &s->req;
    if (s->too_large) {
        fail(s, ERR_TOO_LARGE, "request_too_large", "The request body is too large.");
        return false;
    }
    if (s->overloaded) {
        fail(s, ERR_UNAVAILABLE, "overloaded", "The server is busy; try again shortly.");
        http_add_header(&s->resp, "Retry-After", "1");
        return false;
    }
    if (s->spool_errno) {
        spool_fail(s, s->spool_errno);
        return false;
    }
    const unsigned char *body = (const unsigned char *)buf_str(&s->body);
    size_t len = s->body.len;
    if (s->spool_fd >= 0) {
        body = spool_map(s->arena, s->spool_fd, s->spool_len);
        len = s->spool_len;
        if (!body) {
            log_error("cannot map an upload file: %s", strerror(errno));
            fail(s, ERR_UNAVAILABLE, "unavailable", "The service is temporarily unavailable.");
            return false;
        }
    }
    struct err e = {0};
    if (!http_parse_body(s->arena, MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Content-Type"), body, len,
                         &req->body, &e)) {
        http_error(&s->resp, &e);
        return false;
    }
    if (!req->body.fields) {
        req->body.fields = json_object();
        arena_defer(s->arena, cleanup_json, req->body.fields);
    }
    if (s->match.route->flags & ROUTE_SLOW) {
        if (!slow_pool_reserve()) {
            fail(s, ERR_UNAVAILABLE, "overloaded", "The server is busy; try again shortly.");
            http_add_header(&s->resp, "Retry-After", "1");
            return false;
        }
        MHD_suspend_connection(s->conn);
        slow_pool_push(s);
        return true;
    }
    run_handler(s);
    return false;
}

/* ================================================================ */
/* libmicrohttpd callbacks                                          */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    struct conn_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->arena = arena_new();
    s->spool_fd = -1;
    if (!uri)
        uri = "/";
    size_t n = strlen(uri);
    s->uri_too_long = n > HTTP_URI_MAX;
    s->uri = arena_strndup(s->arena, uri, s->uri_too_long ? HTTP_PATH_MAX + 1 : n);
    /* libmicrohttpd splits the query into its per-connection pool right
     * after this callback; a thousand tiny parameters exhaust the pool and
     * the connection is dropped without an answer. hearth parses the query
     * itself (with its own limits) from the copy above, so the query is cut
     * off here, in libmicrohttpd's buffer, before it is split. */
    char *q = strchr(uri, '?');
    if (q && q[1])
        q[1] = '\0';
    s->started_us = clock_now_us();
    s->conn = conn;
    atomic_fetch_add(&server_in_flight, 1);
    return s;
}

/* Whether a refused request is answered at once, before its body: when the
 * client is waiting for "100 Continue", or when the request cannot succeed
 * (401/403/404/405...) and its body is large or of unknown length.
 * libmicrohttpd then skips the body and closes the connection after the
 * answer. Otherwise the body is read and dropped, never stored, so the
 * client, still sending, gets to read the answer: 413 and 503 go to callers
 * that passed the route's rules. */
static bool answer_before_body(struct MHD_Connection *conn, int status)
{
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
    if (expect && !strcasecmp(expect, "100-continue"))
        return true;
    if (status == 413 || status == 503)
        return false;
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
    if (te && strcasestr(te, "chunked"))
        return true;
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    return cl && strtoull(cl, NULL, 10) > HTTP_DISCARD_MAX;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls, (void)url, (void)version;
    struct conn_state *s = *con_cls;
    if (!s)
        return MHD_NO;
    if (!s->headers_seen) {
        s->headers_seen = true;
        if (http_connection_refused(conn))
            return MHD_NO; /* answered at accept */
        /* the head is in: from now on the keep-alive timeout applies */
        MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)HTTP_CONNECTION_TIMEOUT_S);
        if (check_head(s, method))
            return MHD_YES; /* read the body */
        s->refused = true;
        if (answer_before_body(conn, s->resp.status)) {
            s->response_ready = true;
            return queue_response(s);
        }
        return MHD_YES; /* read and drop a small body, then answer */
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (s->refused || s->too_large || s->overloaded)
            return MHD_YES;
        if ((s->spool_fd >= 0 ? s->spool_len : s->body.len) + n > s->limit) {
            s->too_large = true;
        } else if (s->reserved < (s->spool_fd >= 0 ? s->spool_len : s->body.len) + n &&
                   !bodies_reserve(s, (s->spool_fd >= 0 ? s->spool_len : s->body.len) + n - s->reserved)) {
            s->overloaded = true; /* chunked bodies are counted as they come */
        } else if (s->spool_fd >= 0) {
            if (!s->spool_errno && !spool_write(s->spool_fd, upload_data, n, &s->spool_len))
                s->spool_errno = errno ? errno : EIO; /* the rest of the body is read and dropped */
            return MHD_YES;
        } else {
            buf_append(&s->body, upload_data, n);
            return MHD_YES;
        }
        buf_free(&s->body);
        return MHD_YES;
    }
    if (s->response_ready || s->refused) {
        s->response_ready = true;
        return queue_response(s);
    }
    if (dispatch(s))
        return MHD_YES; /* suspended; the pool resumes it */
    s->response_ready = true;
    return queue_response(s);
}

/* Requests completed per HTTP thread, printed at shutdown when
 * HEARTH_THREAD_STATS is set (the benchmarks read them): a debugging aid,
 * one relaxed add on a counter only its thread writes. */
static struct {
    bool enabled;
    atomic_int n;
    atomic_ulong count[CONFIG_MAX_THREADS + SLOW_POOL_MAX_WORKERS];
} thread_stats;
static _Thread_local int thread_stats_slot = -1;

static void thread_stats_count(void)
{
    if (thread_stats_slot < 0) {
        int slot = atomic_fetch_add(&thread_stats.n, 1);
        if (slot >= CONFIG_MAX_THREADS + SLOW_POOL_MAX_WORKERS)
            return;
        thread_stats_slot = slot;
    }
    atomic_fetch_add_explicit(&thread_stats.count[thread_stats_slot], 1, memory_order_relaxed);
}

static void thread_stats_print(void)
{
    if (!thread_stats.enabled)
        return;
    int n = atomic_load(&thread_stats.n);
    fprintf(stderr, "hearth: requests per thread:");
    for (int i = 0; i < n && i < CONFIG_MAX_THREADS + SLOW_POOL_MAX_WORKERS; i++)
        fprintf(stderr, " %lu", atomic_load(&thread_stats.count[i]));
    fprintf(stderr, "\n");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    struct conn_state *s = *con_cls;
    if (!s)
        return;
    if (thread_stats.enabled)
        thread_stats_count();
    if (s->req.method)
        metrics_observe(s->match.route, s->resp.status, clock_now_us() - s->started_us);
    if (s->req.method && access_log_enabled())
        access_log_line("%s %s %d %zu %lldus %s", s->req.method, s->req.path ? s->req.path : s->uri, s->resp.status,
                        s->bytes_sent, (long long)(clock_now_us() - s->started_us), http_client_address(&s->req));
    if (s->resp.json)
        json_decref(s->resp.json);
    if (s->resp.free_data)
        s->resp.free_data((void *)s->resp.data);
    buf_free(&s->body);
    arena_free(s->arena); /* unmaps a spooled body */
    if (s->spool_fd >= 0)
        close(s->spool_fd);
    bodies_release(s);
    free(s);
    *con_cls = NULL;
    atomic_fetch_sub(&server_in_flight, 1);
}

/* ================================================================ */
/* start and drain                                                  */

/* Upload bodies are spooled into unnamed files (O_TMPFILE) in the media
 * directory, or in the data directory when --media-dir puts the media on a
 * shared volume: spooled bodies are this server's own, and network file
 * systems may not have O_TMPFILE. */
static bool spool_dir_prepare(const struct config *cfg)
{
    char local_media[PATH_MAX + 8];
    snprintf(local_media, sizeof local_media, "%s/media", cfg->data_dir);
    const char *dir = strcmp(cfg->media_dir, local_media) ? cfg->data_dir : cfg->media_dir;
    int n = snprintf(server_spool_dir, sizeof server_spool_dir, "%s", dir);
    if (n < 0 || (size_t)n >= sizeof server_spool_dir)
        return false;
    return (mkdir(cfg->media_dir, 0755) == 0 || errno == EEXIST) &&
           (mkdir(server_spool_dir, 0755) == 0 || errno == EEXIST);
}

/* The listening socket for `ai`, or -1 (errno set). */
static int listen_socket(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ai->ai_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SERVER_LISTEN_BACKLOG) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

struct acceptor {
    int fd;
    atomic_bool stopping;
    struct MHD_Daemon *daemons[CONFIG_MAX_THREADS];
    int ndaemons;
};

/* Accepts connections and gives them to the daemons in turn, so that every
 * HTTP thread serves as many connections as the others (within one). */
static void *acceptor_main(void *arg)
{
    struct acceptor *acc = arg;
    unsigned next = 0;
    while (!atomic_load(&acc->stopping)) {
        struct sockaddr_storage addr;
        socklen_t len = sizeof addr;
        int fd = accept4(acc->fd, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (atomic_load(&acc->stopping))
                break;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                nanosleep(&(struct timespec){.tv_nsec = SERVER_ACCEPT_RETRY_MS * 1000L * 1000L}, NULL);
            continue;
        }
        /* on failure libmicrohttpd closes the socket */
        MHD_add_connection(acc->daemons[next++ % (unsigned)acc->ndaemons], fd, (struct sockaddr *)&addr, len);
    }
    return NULL;
}

bool http_serve(const struct config *cfg, const struct route *routes, size_t nroutes, const struct http_hooks *hooks)
{
    server_cfg = cfg;
    server_routes = routes;
    server_nroutes = nroutes;
    server_hooks = hooks;
    unsigned connection_limit = http_connections_start(cfg->per_ip_limit);
    if (!spool_dir_prepare(cfg)) {
        log_error("cannot create the media directory %s", cfg->media_dir);
        return false;
    }

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", cfg->listen_port);
    if (getaddrinfo(cfg->listen_host, port, &hints, &ai) != 0 || !ai) {
        log_error("cannot resolve listen address %s", cfg->listen_host);
        return false;
    }
    /* block the signals in every thread (before any is created: threads
     * inherit the mask); the main thread waits for them */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    char msg[PATH_MAX + 64];
    if (!access_log_open(cfg->access_log, msg, sizeof msg)) {
        freeaddrinfo(ai);
        log_error("%s", msg);
        return false;
    }
    if (!slow_pool_start(cfg->password_workers, cfg->password_queue, run_slow)) {
        freeaddrinfo(ai);
        log_error("cannot start the password workers");
        return false;
    }
    int listen_fd = listen_socket(ai);
    freeaddrinfo(ai);
    if (listen_fd < 0) {
        log_error("cannot listen on %s:%d: %s", cfg->listen_host, cfg->listen_port, strerror(errno));
        slow_pool_drain_and_stop();
        access_log_close();
        return false;
    }
    thread_stats.enabled = getenv("HEARTH_THREAD_STATS") != NULL;

    /* libmicrohttpd's own connection limit is a backstop above ours, so
     * that connections past ours are accepted and answered 503 */
    unsigned backstop = connection_limit + 64 * (unsigned)cfg->threads;
    struct acceptor acc = {.fd = listen_fd};
    for (; acc.ndaemons < cfg->threads; acc.ndaemons++) {
        acc.daemons[acc.ndaemons] = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC |
                MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
            0, NULL, NULL, on_request, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_HEAD_TIMEOUT_S,
            MHD_OPTION_CONNECTION_LIMIT, backstop, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
            MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
            MHD_OPTION_NOTIFY_CONNECTION, http_connection_notify, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
            MHD_OPTION_END);
        if (!acc.daemons[acc.ndaemons])
            break;
    }
    pthread_t acceptor_thread;
    if (acc.ndaemons < cfg->threads || pthread_create(&acceptor_thread, NULL, acceptor_main, &acc) != 0) {
        log_error("cannot start the HTTP threads");
        for (int i = 0; i < acc.ndaemons; i++)
            MHD_stop_daemon(acc.daemons[i]);
        close(listen_fd);
        slow_pool_drain_and_stop();
        access_log_close();
        return false;
    }
    struct sockaddr_storage bound_addr;
    socklen_t bound_len = sizeof bound_addr;
    int bound = cfg->listen_port;
    if (getsockname(listen_fd, (struct sockaddr *)&bound_addr, &bound_len) == 0)
        bound = ntohs(bound_addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound_addr)->sin6_port
                                                       : ((struct sockaddr_in *)&bound_addr)->sin_port);
    log_info("connection limit %u, per address %d", connection_limit, cfg->per_ip_limit);
    printf("hearth: listening on http://%s:%d\n", cfg->listen_host, bound);
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    atomic_store(&server_draining, true);
    if (cfg->drain_delay_s > 0) {
        /* still serving, /health 503: the load balancer takes this server
         * out before its listening socket closes */
        log_info("signal %d: draining in %d s (GET /health answers 503)", sig, cfg->drain_delay_s);
        struct timespec delay = {.tv_sec = cfg->drain_delay_s};
        if (sigtimedwait(&sigs, NULL, &delay) > 0)
            log_info("second signal: draining now");
    }
    log_info("signal %d: draining", sig);
    /* stop accepting: the blocked accept returns */
    atomic_store(&acc.stopping, true);
    shutdown(listen_fd, SHUT_RDWR);
    pthread_join(acceptor_thread, NULL);
    close(listen_fd);
    slow_pool_drain_and_stop();
    /* let requests already being served finish, within a deadline */
    for (int waited_ms = 0; atomic_load(&server_in_flight) > 0 && waited_ms < HTTP_DRAIN_MS; waited_ms += 10)
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    for (int i = 0; i < acc.ndaemons; i++)
        MHD_stop_daemon(acc.daemons[i]);
    access_log_close();
    thread_stats_print();
    log_info("stopped");
    return true;
}
