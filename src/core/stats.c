/* stats.c - process-wide event counters (see stats.h). */
#include "core/stats.h"

#include <stdatomic.h>

static _Atomic uint64_t stats_values[STATS_COUNT];

void stats_add(enum stats_counter c) { atomic_fetch_add_explicit(&stats_values[c], 1, memory_order_relaxed); }

uint64_t stats_get(enum stats_counter c) { return atomic_load_explicit(&stats_values[c], memory_order_relaxed); }
