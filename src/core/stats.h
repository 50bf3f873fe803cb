/* stats.h - process-wide event counters that layers below HTTP bump
 * (database errors, rate-limit rejections) and /metrics reads. Lock-free:
 * relaxed atomic adds, safe from any thread. */
#ifndef HEARTH_CORE_STATS_H
#define HEARTH_CORE_STATS_H

#include <stdint.h>

enum stats_counter {
    STATS_DB_ERRORS,            /* a database call failed (store/ logged it) */
    STATS_RATELIMIT_REJECTIONS, /* a login or password check refused by the rate limit */
    STATS_COUNT,
};

/* Adds one to `c`. */
void stats_add(enum stats_counter c);

/* The value of `c` since the process started. */
uint64_t stats_get(enum stats_counter c);

#endif
