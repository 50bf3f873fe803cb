/* hooks.c - the server hooks (hooks.h): the per-thread store connection,
 * authentication, and the route flags (admin, blocked admin, community
 * mode, content availability, owner only), all decided from the request
 * head.
 *
 * A GET or HEAD request without a body runs all its statements, from the
 * caller's token to the response, in one read transaction: one snapshot,
 * one check of the database file, and the preferences validated once. */
#include "api/hooks.h"

#include <pthread.h>
#include <string.h>

#include "auth/authenticate.h"
#include "core/fault.h"
#include "domain/account.h"
#include "domain/prefs.h"
#include "http/request.h"
#include "http/response.h"
#include "store/store.h"

/* ---- per-thread store ---------------------------------------------------- */

static pthread_key_t store_key;
static pthread_once_t store_key_once = PTHREAD_ONCE_INIT;

static void store_key_destroy(void *p) { store_close(p); }
static void store_key_create(void) { pthread_key_create(&store_key, store_key_destroy); }

/* This thread's store connection, opened on first use (HTTP and password
 * worker threads each own one; closed when the thread exits). NULL if the
 * database cannot be opened. */
static struct store *thread_store(const struct config *cfg)
{
    pthread_once(&store_key_once, store_key_create);
    struct store *st = pthread_getspecific(store_key);
    if (!st) {
        struct err e = {0};
        st = store_open(cfg->db_path, &e);
        if (st)
            pthread_setspecific(store_key, st);
        else /* a line per interval, not per request */
            fault_log("database", e.count ? e.entries[e.count - 1].message : "cannot open");
    }
    return st;
}

static bool attach_store(struct request *req, struct err *e)
{
    req->store = thread_store(req->cfg);
    return req->store || err_set(e, ERR_UNAVAILABLE, "unavailable", "The service is temporarily unavailable.");
}

/* The request whose read transaction is open on this thread's connection,
 * if any: libmicrohttpd runs the handler of a request without a body right
 * after its head, but another connection's request may come between. */
static _Thread_local const struct request *read_owner;

/* Whether the request reads only and has no body to wait for. */
static bool reads_only(const struct request *req)
{
    return (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) && !http_header(req, "Content-Length") &&
           !http_header(req, "Transfer-Encoding");
}

/* ---- route flags --------------------------------------------------------- */

/* Applies the route's flags: authentication, admin, mode, content. */
static bool check_route_flags(struct request *req, unsigned flags, struct err *e)
{
    if ((flags & (ROUTE_AUTH | ROUTE_ADMIN)) && !req->who.user_id)
        return err_set(e, ERR_UNAUTHENTICATED, "not_authenticated", "Authentication credentials were not provided.");
    if ((flags & ROUTE_ADMIN) && !principal_is_admin(&req->who))
        return err_forbidden(e, NULL);
    if ((flags & ROUTE_ADMIN) && req->who.status == USER_BLOCKED && strcmp(req->method, "GET"))
        return err_forbidden(e, "Blocked users cannot make changes.");
    if (flags & (ROUTE_FOLLOW_MODE | ROUTE_FRIEND_MODE)) {
        bool follow = prefs_follow_enabled(req->store, req->arena);
        if (((flags & ROUTE_FOLLOW_MODE) && !follow) || ((flags & ROUTE_FRIEND_MODE) && follow))
            return err_set(e, ERR_FORBIDDEN, "mode_disabled", "This action is not available in the community's mode.");
    }
    if ((flags & ROUTE_CONTENT) && !req->who.user_id &&
        !prefs_get_bool(req->store, req->arena, "configurations", "content_availability", true))
        return err_set(e, ERR_UNAUTHENTICATED, "not_authenticated", "Authentication credentials were not provided.");
    struct user owner;
    if ((flags & ROUTE_OWNER) && !account_require_owner(req->store, req->arena, &req->who, req->id, &owner, e))
        return false;
    return true;
}

/* ---- hooks --------------------------------------------------------------- */

static bool api_before_body(struct request *req, const struct route *route, struct err *e)
{
    if (!attach_store(req, e))
        return false;
    read_owner = NULL;
    bool read = reads_only(req);
    if (read ? !store_read_begin(req->store, e) : (store_rollback(req->store), false))
        return false;
    const char *authorization = (route->flags & ROUTE_NO_AUTH) ? NULL : http_header(req, "Authorization");
    bool ok = auth_authenticate(req, authorization, e) && check_route_flags(req, route->flags, e);
    if (ok && read) {
        read_owner = req; /* the handler continues in it */
        return true;
    }
    /* the thread serves other requests while this body arrives: leave no
     * transaction open on its connection */
    store_rollback(req->store);
    return ok;
}

static bool api_handle(struct request *req, const struct route *route, struct response *resp, struct err *e)
{
    if (!attach_store(req, e)) /* a password worker has its own connection */
        return false;
    if (read_owner != req) { /* a transaction left by another request */
        store_rollback(req->store);
        if (reads_only(req) && !store_read_begin(req->store, e))
            return false;
    }
    read_owner = NULL;
    bool ok = route->handler(req, resp, e);
    store_read_end(req->store); /* the read transaction, or a handler that failed mid-transaction */
    /* two writers met on PostgreSQL (a serialization failure or deadlock):
     * the request's transaction was rolled back whole, so it runs again */
    for (int again = 0; !ok && again < STORE_CONFLICT_RETRIES && store_error_retryable(e) && !resp->status &&
                        !resp->json && !resp->data;
         again++) {
        *e = (struct err){0};
        if (reads_only(req) && !store_read_begin(req->store, e))
            return false;
        ok = route->handler(req, resp, e);
        store_read_end(req->store);
    }
    return ok;
}

const struct http_hooks api_hooks = {.before_body = api_before_body, .handle = api_handle};
