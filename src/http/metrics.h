/* metrics.h - request counters and latency histograms by route and
 * status, and GET /metrics in the Prometheus text format (version 0.0.4).
 *
 * Recording is lock-free (relaxed atomic adds into a table sized at start),
 * so it costs the request path no lock; a scrape reads the table without
 * stopping writers (each number is exact, a scrape is not a snapshot). */
#ifndef HEARTH_HTTP_METRICS_H
#define HEARTH_HTTP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "http/router.h"

struct request;
struct response;

/* Sizes the tables for routes[0..n) (the table the server serves; it must
 * outlive the process). Call once before serving; without it nothing is
 * recorded. Returns false when out of memory. */
bool metrics_init(const struct route *routes, size_t n);

/* Records one finished request: `route` is the matched route or NULL (no
 * route: 404, 405, preflight), `status` the HTTP status sent. Thread-safe. */
void metrics_observe(const struct route *route, int status, int64_t elapsed_us);

/* Whether the textual IP address `address` is in `allow`, a list of
 * addresses and networks separated by commas or spaces ("127.0.0.1, ::1,
 * 10.0.0.0/8"). IPv4-mapped IPv6 addresses count as their IPv4 address. */
bool metrics_address_allowed(const char *allow, const char *address);

/* GET /metrics: 404 unless the configuration turns metrics on, 403 to a
 * client outside --metrics-allow, else the text exposition. */
bool metrics_handler(struct request *req, struct response *resp, struct err *e);

#endif
