/* metrics.c - counters and histograms for GET /metrics (see metrics.h).
 *
 * Sections: the table; recording; address checks; exposition. */
#define _GNU_SOURCE
#include "http/metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/stats.h"
#include "http/request.h"
#include "http/response.h"
#include "http/server.h"

/* ================================================================ */
/* the table                                                        */

/* Statuses counted on their own; anything else is counted by its class
 * ("2xx" ...), so that the number of series stays bounded. */
static const int metrics_statuses[] = {200, 201, 204, 301, 302, 304, 400, 401, 403,
                                       404, 405, 409, 413, 415, 429, 500, 503};
enum {
    METRICS_NSTATUS_EXACT = sizeof metrics_statuses / sizeof metrics_statuses[0],
    METRICS_NSTATUS = METRICS_NSTATUS_EXACT + 5, /* + 1xx..5xx for the rest */
};

/* Histogram upper bounds in microseconds (Prometheus' defaults, from 1 ms). */
static const int64_t metrics_bounds_us[] = {1000,   2500,   5000,   10000,   25000,   50000,
                                            100000, 250000, 500000, 1000000, 2500000, 5000000};
enum { METRICS_NBOUNDS = sizeof metrics_bounds_us / sizeof metrics_bounds_us[0] };

/* One series: cumulative buckets are computed at scrape time from these
 * per-bucket counts (the last one is +Inf), plus the count and the sum. */
struct metrics_series {
    _Atomic uint64_t bucket[METRICS_NBOUNDS + 1];
    _Atomic uint64_t count;
    _Atomic uint64_t sum_us;
};

static const struct route *metrics_routes;
static size_t metrics_nroutes;
static struct metrics_series *metrics_table; /* [(nroutes + 1) * METRICS_NSTATUS]; the last route row: none */
static time_t metrics_started;

bool metrics_init(const struct route *routes, size_t n)
{
    metrics_table = calloc((n + 1) * METRICS_NSTATUS, sizeof *metrics_table);
    if (!metrics_table)
        return false;
    metrics_routes = routes;
    metrics_nroutes = n;
    metrics_started = time(NULL);
    return true;
}

/* ================================================================ */
/* recording                                                        */

static size_t status_slot(int status)
{
    for (size_t i = 0; i < METRICS_NSTATUS_EXACT; i++)
        if (metrics_statuses[i] == status)
            return i;
    int hundreds = status / 100;
    return METRICS_NSTATUS_EXACT + (size_t)(hundreds >= 1 && hundreds <= 5 ? hundreds - 1 : 4);
}

void metrics_observe(const struct route *route, int status, int64_t elapsed_us)
{
    if (!metrics_table)
        return;
    size_t row = metrics_nroutes;
    if (route && route >= metrics_routes && route < metrics_routes + metrics_nroutes)
        row = (size_t)(route - metrics_routes);
    struct metrics_series *m = &metrics_table[row * METRICS_NSTATUS + status_slot(status)];
    if (elapsed_us < 0)
        elapsed_us = 0;
    size_t b = 0;
    while (b < METRICS_NBOUNDS && elapsed_us > metrics_bounds_us[b])
        b++;
    atomic_fetch_add_explicit(&m->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_us, (uint64_t)elapsed_us, memory_order_relaxed);
}

/* ================================================================ */
/* address checks                                                   */

struct metrics_address {
    int family; /* AF_INET or AF_INET6 */
    unsigned char bytes[16];
};

/* Parses an address; an IPv4-mapped IPv6 address becomes IPv4. */
static bool parse_address(const char *text, struct metrics_address *a)
{
    memset(a, 0, sizeof *a);
    if (inet_pton(AF_INET, text, a->bytes) == 1) {
        a->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, a->bytes) != 1)
        return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(a->bytes, mapped, sizeof mapped)) {
        memmove(a->bytes, a->bytes + 12, 4);
        memset(a->bytes + 4, 0, 12);
        a->family = AF_INET;
        return true;
    }
    a->family = AF_INET6;
    return true;
}

static bool prefix_equal(const unsigned char *x, const unsigned char *y, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(x, y, (size_t)whole))
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (x[whole] & mask) == (y[whole] & mask);
}

bool metrics_address_allowed(const char *allow, const char *address)
{
    struct metrics_address client;
    if (!allow || !address || !parse_address(address, &client))
        return false;
    for (const char *p = allow; *p;) {
        p += strspn(p, ", \t");
        size_t n = strcspn(p, ", \t");
        if (!n)
            break;
        char entry[64];
        if (n < sizeof entry) {
            memcpy(entry, p, n);
            entry[n] = '\0';
            char *slash = strchr(entry, '/');
            int bits = -1;
            if (slash) {
                *slash = '\0';
                char *end;
                long v = strtol(slash + 1, &end, 10);
                bits = *end || end == slash + 1 ? -2 : (int)v;
            }
            struct metrics_address net;
            if (bits != -2 && parse_address(entry, &net) && net.family == client.family) {
                int max = net.family == AF_INET ? 32 : 128;
                if (bits < 0)
                    bits = max;
                if (bits <= max && prefix_equal(net.bytes, client.bytes, bits))
                    return true;
            }
        }
        p += n;
    }
    return false;
}

/* ================================================================ */
/* exposition                                                       */

static unsigned open_connections(const struct request *req)
{
    if (!req->conn)
        return 0;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info((struct MHD_Connection *)req->conn, MHD_CONNECTION_INFO_DAEMON);
    if (!ci || !ci->daemon)
        return 0;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(ci->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return di ? di->num_connections : 0;
}

static const char *status_label(size_t slot, char *tmp, size_t size)
{
    if (slot < METRICS_NSTATUS_EXACT)
        snprintf(tmp, size, "%d", metrics_statuses[slot]);
    else
        snprintf(tmp, size, "%dxx", (int)(slot - METRICS_NSTATUS_EXACT) + 1);
    return tmp;
}

static void write_requests(struct buf *b)
{
    buf_printf(b, "# HELP hearth_http_requests_total HTTP requests answered, by route pattern and status.\n"
                  "# TYPE hearth_http_requests_total counter\n");
    char st[8];
    for (size_t r = 0; r <= metrics_nroutes; r++) {
        const char *method = r < metrics_nroutes ? metrics_routes[r].method : "";
        const char *route = r < metrics_nroutes ? metrics_routes[r].pattern : "none";
        for (size_t k = 0; k < METRICS_NSTATUS; k++) {
            uint64_t count = atomic_load_explicit(&metrics_table[r * METRICS_NSTATUS + k].count, memory_order_relaxed);
            if (count)
                buf_printf(b, "hearth_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n", method,
                           route, status_label(k, st, sizeof st), (unsigned long long)count);
        }
    }
    buf_printf(b, "# HELP hearth_http_request_duration_seconds Time from the request line to the end of the "
                  "response, by route pattern and status.\n"
                  "# TYPE hearth_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= metrics_nroutes; r++) {
        const char *method = r < metrics_nroutes ? metrics_routes[r].method : "";
        const char *route = r < metrics_nroutes ? metrics_routes[r].pattern : "none";
        for (size_t k = 0; k < METRICS_NSTATUS; k++) {
            struct metrics_series *m = &metrics_table[r * METRICS_NSTATUS + k];
            uint64_t per[METRICS_NBOUNDS + 1], total = 0;
            for (size_t i = 0; i <= METRICS_NBOUNDS; i++) {
                per[i] = atomic_load_explicit(&m->bucket[i], memory_order_relaxed);
                total += per[i];
            }
            if (!total)
                continue;
            const char *status = status_label(k, st, sizeof st);
            uint64_t cumulative = 0;
            for (size_t i = 0; i <= METRICS_NBOUNDS; i++) {
                cumulative += per[i];
                char le[32];
                if (i < METRICS_NBOUNDS)
                    snprintf(le, sizeof le, "%g", (double)metrics_bounds_us[i] / 1e6);
                else
                    snprintf(le, sizeof le, "+Inf");
                buf_printf(b,
                           "hearth_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",status=\"%s\","
                           "le=\"%s\"} %llu\n",
                           method, route, status, le, (unsigned long long)cumulative);
            }
            buf_printf(b,
                       "hearth_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\",status=\"%s\"} %.6f\n"
                       "hearth_http_request_duration_seconds_count{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
                       method, route, status, (double)atomic_load_explicit(&m->sum_us, memory_order_relaxed) / 1e6,
                       method, route, status, (unsigned long long)total);
        }
    }
}

static void write_gauges(struct buf *b, const struct request *req)
{
    struct http_gauges g = {0};
    http_server_gauges(&g);
    buf_printf(b,
               "# HELP hearth_db_errors_total Database calls that failed.\n"
               "# TYPE hearth_db_errors_total counter\n"
               "hearth_db_errors_total %llu\n"
               "# HELP hearth_ratelimit_rejections_total Logins and password checks refused by the rate limit.\n"
               "# TYPE hearth_ratelimit_rejections_total counter\n"
               "hearth_ratelimit_rejections_total %llu\n"
               "# HELP hearth_password_queue_depth Password (argon2id) requests waiting for a worker.\n"
               "# TYPE hearth_password_queue_depth gauge\n"
               "hearth_password_queue_depth %d\n"
               "# HELP hearth_password_workers_busy Password workers hashing now.\n"
               "# TYPE hearth_password_workers_busy gauge\n"
               "hearth_password_workers_busy %d\n"
               "# HELP hearth_http_open_connections Open client connections.\n"
               "# TYPE hearth_http_open_connections gauge\n"
               "hearth_http_open_connections %u\n"
               "# HELP hearth_http_requests_in_flight Requests received and not yet completed.\n"
               "# TYPE hearth_http_requests_in_flight gauge\n"
               "hearth_http_requests_in_flight %d\n"
               "# HELP hearth_start_time_seconds When the server started (Unix time).\n"
               "# TYPE hearth_start_time_seconds gauge\n"
               "hearth_start_time_seconds %lld\n",
               (unsigned long long)stats_get(STATS_DB_ERRORS),
               (unsigned long long)stats_get(STATS_RATELIMIT_REJECTIONS), g.password_queued, g.password_busy,
               open_connections(req), g.in_flight, (long long)metrics_started);
}

static void free_text(void *p) { free(p); }

bool metrics_handler(struct request *req, struct response *resp, struct err *e)
{
    if (!req->cfg->metrics || !metrics_table)
        return err_set(e, ERR_NOT_FOUND, "not_found", "Not found.");
    if (!metrics_address_allowed(req->cfg->metrics_allow, http_client_address(req)))
        return err_forbidden(e, "Metrics are not available to this address.");
    struct buf b = {0};
    write_gauges(&b, req);
    write_requests(&b);
    resp->status = 200;
    resp->data = buf_detach(&b, &resp->len);
    resp->free_data = free_text;
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    http_add_header(resp, "Cache-Control", "no-store");
    return true;
}
