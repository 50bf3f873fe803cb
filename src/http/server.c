/* server.c - libmicrohttpd glue and the request lifecycle.
 *
 * Lifecycle of a request: the URI log callback creates its state (arena,
 * raw URI); the access handler collects the body within its limit, then
 * dispatches: CORS preflight, route match (404/405), 413, parse query and
 * body, authenticate, route flags (401/403/mode), then the handler. Routes
 * flagged ROUTE_SLOW (argon2id) are suspended and run on the password
 * worker pool, whose bounded queue answers 503 when full. The completion
 * callback logs one line and frees everything.
 *
 * Sections: per-thread store; password pool; rendering; dispatch; MHD
 * callbacks; start and drain.
 */
#define _GNU_SOURCE
#include "http/server.h"

#include <arpa/inet.h>
#include <stdatomic.h>
#include <time.h>
#include <assert.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "auth/authenticate.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/prefs.h"
#include "http/metrics.h"
#include "http/parse.h"
#include "http/request.h"
#include "http/response.h"
#include "store/store.h"

enum { PASSWORD_MAX_WORKERS = 16 };

struct conn_state {
    struct arena *arena;
    char *uri;          /* raw request target, as received */
    struct buf body;
    size_t limit;
    bool headers_seen, too_large, response_ready;
    int64_t started_us;
    struct route_match match;
    struct request req;
    struct response resp;
    size_t bytes_sent;
    struct MHD_Connection *conn;
};

/* Requests between the URI callback and completion, for draining. */
static atomic_int server_in_flight;

static const struct config *server_cfg;
static const struct route *server_routes;
static size_t server_nroutes;

/* ================================================================ */
/* per-thread store                                                 */

static pthread_key_t store_key;
static pthread_once_t store_key_once = PTHREAD_ONCE_INIT;

static void store_key_destroy(void *p) { store_close(p); }
static void store_key_create(void) { pthread_key_create(&store_key, store_key_destroy); }

struct store *http_thread_store(const struct config *cfg)
{
    pthread_once(&store_key_once, store_key_create);
    struct store *st = pthread_getspecific(store_key);
    if (!st) {
        struct err e = {0};
        st = store_open(cfg->db_path, &e);
        if (st)
            pthread_setspecific(store_key, st);
    }
    return st;
}

/* ================================================================ */
/* password worker pool                                             */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake, idle;
    struct conn_state **ring;
    int cap, head, count, reserved, busy;
    bool stopping;
    pthread_t threads[PASSWORD_MAX_WORKERS];
    int nthreads;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER};

static void run_handler(struct conn_state *s);

static void *pool_worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&pool.lock);
        while (!pool.count && !pool.stopping)
            pthread_cond_wait(&pool.wake, &pool.lock);
        if (!pool.count && pool.stopping) {
            pthread_mutex_unlock(&pool.lock);
            break;
        }
        struct conn_state *s = pool.ring[pool.head];
        pool.head = (pool.head + 1) % pool.cap;
        pool.count--;
        pool.reserved--;
        pool.busy++;
        pthread_mutex_unlock(&pool.lock);

        run_handler(s);
        s->response_ready = true;
        pthread_mutex_lock(&pool.lock);
        pool.busy--;
        MHD_resume_connection(s->conn);
        if (!pool.busy && !pool.reserved)
            pthread_cond_broadcast(&pool.idle);
        pthread_mutex_unlock(&pool.lock);
    }
    return NULL;
}

static bool pool_start(const struct config *cfg)
{
    pool.cap = cfg->password_queue;
    pool.ring = calloc((size_t)pool.cap, sizeof *pool.ring);
    if (!pool.ring)
        return false;
    int n = cfg->password_workers < PASSWORD_MAX_WORKERS ? cfg->password_workers : PASSWORD_MAX_WORKERS;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&pool.threads[i], NULL, pool_worker, NULL) != 0)
            return false;
        pool.nthreads++;
    }
    return true;
}

/* Reserves a queue slot; false when the queue is full (→ 503). */
static bool pool_reserve(void)
{
    pthread_mutex_lock(&pool.lock);
    bool ok = pool.reserved < pool.cap && !pool.stopping;
    if (ok)
        pool.reserved++;
    pthread_mutex_unlock(&pool.lock);
    return ok;
}

static void pool_push(struct conn_state *s)
{
    pthread_mutex_lock(&pool.lock);
    pool.ring[(pool.head + pool.count) % pool.cap] = s;
    pool.count++;
    pthread_cond_signal(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
}

static void pool_drain_and_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    while (pool.busy || pool.reserved)
        pthread_cond_wait(&pool.idle, &pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    free(pool.ring);
}

void http_server_gauges(struct http_gauges *g)
{
    pthread_mutex_lock(&pool.lock);
    g->password_queued = pool.reserved;
    g->password_busy = pool.busy;
    pthread_mutex_unlock(&pool.lock);
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

static enum MHD_Result queue_response(struct conn_state *s)
{
    struct response *resp = &s->resp;
    struct MHD_Response *r;
    if (resp->json && resp->status != 204) {
        char *text = json_dumps(resp->json, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!text)
            return MHD_NO;
        size_t len = strlen(text);
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
            MHD_add_response_header(r, "Content-Type", resp->content_type ? resp->content_type
                                                                          : "application/octet-stream");
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

/* ================================================================ */
/* dispatch                                                         */

static void fail(struct conn_state *s, int status, const char *code, const char *message)
{
    struct err e = {0};
    err_set(&e, status, code, message);
    http_error(&s->resp, &e);
}

static const char *request_base(struct conn_state *s)
{
    if (server_cfg->base_url[0])
        return server_cfg->base_url;
    const char *host = MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Host");
    if (!host || !*host || strpbrk(host, " /\\\"<>"))
        host = "localhost";
    return arena_printf(s->arena, "http://%s", host);
}

/* Applies the route's flags: authentication, admin, mode, content. */
static bool check_route_flags(struct conn_state *s, struct err *e)
{
    unsigned flags = s->match.route->flags;
    struct request *req = &s->req;
    if ((flags & (ROUTE_AUTH | ROUTE_ADMIN)) && !req->who.user_id)
        return err_set(e, 401, "not_authenticated", "Authentication credentials were not provided.");
    if ((flags & ROUTE_ADMIN) && !principal_is_admin(&req->who))
        return err_forbidden(e, NULL);
    if ((flags & ROUTE_ADMIN) && req->who.status == USER_BLOCKED && strcmp(req->method, "GET"))
        return err_forbidden(e, "Blocked users cannot make changes.");
    if (flags & (ROUTE_FOLLOW_MODE | ROUTE_FRIEND_MODE)) {
        bool follow = prefs_follow_enabled(req->store, req->arena);
        if (((flags & ROUTE_FOLLOW_MODE) && !follow) || ((flags & ROUTE_FRIEND_MODE) && follow))
            return err_set(e, 403, "mode_disabled", "This action is not available in the community's mode.");
    }
    if ((flags & ROUTE_CONTENT) && !req->who.user_id &&
        !prefs_get_bool(req->store, req->arena, "configurations", "content_availability", true))
        return err_set(e, 401, "not_authenticated", "Authentication credentials were not provided.");
    return true;
}

/* Runs the matched handler (on an HTTP thread or a password worker). */
static void run_handler(struct conn_state *s)
{
    struct err e = {0};
    s->req.store = http_thread_store(server_cfg);
    if (!s->req.store) {
        fail(s, 503, "unavailable", "The service is temporarily unavailable.");
        return;
    }
    bool ok = s->match.route->handler(&s->req, &s->resp, &e);
    store_rollback(s->req.store); /* a handler that failed mid-transaction */
    if (!ok)
        http_error(&s->resp, &e);
    else if (!s->resp.status)
        s->resp.status = 200;
}

static void cleanup_json(void *p) { json_decref(p); }

/* Prepares the request and either answers now or hands it to the pool.
 * Returns true if the connection was suspended. */
static bool dispatch(struct conn_state *s, const char *method)
{
    struct request *req = &s->req;
    req->arena = s->arena;
    req->cfg = server_cfg;
    req->conn = s->conn;
    req->method = method;
    char *q = strchr(s->uri, '?');
    req->path = q ? arena_strndup(s->arena, s->uri, (size_t)(q - s->uri)) : s->uri;
    req->base = request_base(s);

    if (!strcmp(method, "OPTIONS")) {
        s->resp.status = 204;
        return false;
    }
    router_match(server_routes, server_nroutes, method, req->path, &s->match);
    if (!s->match.route) {
        if (s->match.allow[0]) {
            fail(s, 405, "method_not_allowed", arena_printf(s->arena, "Method \"%s\" not allowed.", method));
            http_add_header(&s->resp, "Allow", arena_strdup(s->arena, s->match.allow));
        } else {
            fail(s, 404, "not_found", "Not found.");
        }
        return false;
    }
    if (s->too_large) {
        fail(s, 413, "request_too_large", "The request body is too large.");
        return false;
    }
    req->id = s->match.id;
    req->param = s->match.name[0] ? arena_strdup(s->arena, s->match.name) : NULL;

    struct err e = {0};
    if (!http_parse_urlencoded(s->arena, q ? q + 1 : "", q ? strlen(q + 1) : 0, &req->query, &e) ||
        !http_parse_body(s->arena, MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Content-Type"),
                         (const unsigned char *)buf_str(&s->body), s->body.len, &req->body, &e)) {
        http_error(&s->resp, &e);
        return false;
    }
    if (!req->body.fields) {
        req->body.fields = json_object();
        arena_defer(s->arena, cleanup_json, req->body.fields);
    }
    req->store = http_thread_store(server_cfg);
    if (!req->store) {
        fail(s, 503, "unavailable", "The service is temporarily unavailable.");
        return false;
    }
    const char *authorization = (s->match.route->flags & ROUTE_NO_AUTH)
                                    ? NULL
                                    : MHD_lookup_connection_value(s->conn, MHD_HEADER_KIND, "Authorization");
    if (!auth_authenticate(req, authorization, &e) || !check_route_flags(s, &e)) {
        http_error(&s->resp, &e);
        return false;
    }
    if (s->match.route->flags & ROUTE_SLOW) {
        if (!pool_reserve()) {
            fail(s, 503, "overloaded", "The server is busy; try again shortly.");
            http_add_header(&s->resp, "Retry-After", "1");
            return false;
        }
        MHD_suspend_connection(s->conn);
        pool_push(s);
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
    s->uri = arena_strdup(s->arena, uri ? uri : "/");
    s->started_us = clock_now_us();
    s->conn = conn;
    atomic_fetch_add(&server_in_flight, 1);
    return s;
}

static bool is_multipart(const char *content_type)
{
    return content_type && !strncasecmp(content_type, "multipart/form-data", 19);
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
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        /* only upload routes take the large multipart limit: 10 MiB bodies
         * buffered on every route would let 1024 connections pin 10 GiB */
        struct route_match m;
        char *q = strchr(s->uri, '?');
        char *path = q ? arena_strndup(s->arena, s->uri, (size_t)(q - s->uri)) : s->uri;
        router_match(server_routes, server_nroutes, method, path, &m);
        bool uploads = m.route && (m.route->flags & ROUTE_UPLOADS);
        s->limit = uploads && is_multipart(ct) ? HTTP_MULTIPART_LIMIT : HTTP_BODY_LIMIT;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > s->limit)
            s->too_large = true;
        /* A client waiting for "100 Continue" has not sent the body yet:
         * answer now (413, or an earlier 404/405) instead of inviting a body
         * only to discard it. libmicrohttpd then skips the body and closes
         * the connection after the reply. */
        const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
        if (s->too_large && expect && !strcasecmp(expect, "100-continue")) {
            bool suspended = dispatch(s, method);
            assert(!suspended); /* a too-large request never reaches the pool */
            (void)suspended;
            s->response_ready = true;
            return queue_response(s);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!s->too_large) {
            if (s->body.len + *upload_data_size > s->limit) {
                s->too_large = true;
                buf_free(&s->body);
            } else {
                buf_append(&s->body, upload_data, *upload_data_size);
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (s->response_ready)
        return queue_response(s);
    if (dispatch(s, method))
        return MHD_YES; /* suspended; the pool resumes it */
    s->response_ready = true;
    return queue_response(s);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn;
    struct conn_state *s = *con_cls;
    if (!s)
        return;
    if (s->req.method)
        metrics_observe(s->match.route, s->resp.status, clock_now_us() - s->started_us);
    if (s->req.method)
        log_info("%s %s %d %zu %lldus", s->req.method, s->req.path ? s->req.path : s->uri, s->resp.status,
                 s->bytes_sent, (long long)(clock_now_us() - s->started_us));
    if (s->resp.json)
        json_decref(s->resp.json);
    if (s->resp.free_data)
        s->resp.free_data((void *)s->resp.data);
    buf_free(&s->body);
    arena_free(s->arena);
    free(s);
    *con_cls = NULL;
    atomic_fetch_sub(&server_in_flight, 1);
    (void)toe;
}

/* ================================================================ */
/* start and drain                                                  */

bool http_serve(const struct config *cfg, const struct route *routes, size_t nroutes)
{
    server_cfg = cfg;
    server_routes = routes;
    server_nroutes = nroutes;

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

    if (!pool_start(cfg)) {
        freeaddrinfo(ai);
        log_error("cannot start the password workers");
        return false;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;

    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)cfg->listen_port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)HTTP_CONNECTION_TIMEOUT_S, MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY, MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!d) {
        log_error("cannot listen on %s:%d", cfg->listen_host, cfg->listen_port);
        pool_drain_and_stop();
        return false;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int bound = info ? info->port : cfg->listen_port;
    printf("hearth: listening on http://%s:%d\n", cfg->listen_host, bound);
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    log_info("signal %d: draining", sig);
    MHD_quiesce_daemon(d);
    pool_drain_and_stop();
    /* let requests already being served finish, within a deadline */
    for (int waited_ms = 0; atomic_load(&server_in_flight) > 0 && waited_ms < HTTP_DRAIN_MS; waited_ms += 10)
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    MHD_stop_daemon(d);
    log_info("stopped");
    return true;
}
