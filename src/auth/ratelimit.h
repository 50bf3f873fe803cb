/* ratelimit.h - counting failed password checks per key (an account or a
 * client address) in fixed windows (contract §4: logins and password checks
 * are rate limited). Thread-safe.
 *
 * Where the counters live depends on the store (store_ratelimit_shared):
 * on PostgreSQL in the database, so every server on it counts the same
 * failures (one statement per failure, one primary-key lookup per check);
 * on SQLite, and with no store, in this process's memory: a fixed-size
 * table with keyed (secret) hashing where, under heavy key churn, the
 * entries with the fewest failures are evicted, which errs on the side of
 * letting a request through rather than growing without bound, but never
 * lets one key's traffic erase a busier key's count. When the database
 * fails, the memory table stands in for it (and the failure is logged).
 *
 * Calls that take a store run their own statement: call them outside a
 * transaction, or the failure counted rolls back with it. */
#ifndef HEARTH_AUTH_RATELIMIT_H
#define HEARTH_AUTH_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct store;

enum {
    RATELIMIT_WINDOW_S = 15 * 60, /* failures are forgotten after this */
    RATELIMIT_ACCOUNT_MAX = 10,   /* failed checks per account per window */
    RATELIMIT_ADDRESS_MAX = 100,  /* failed checks per client address per window */
    RATELIMIT_KEY_BYTES = 16,     /* hash of a key: what is stored */
};

/* A key "addr:" followed by a textual IP address counts a whole network an
 * attacker can hold, not one address: IPv6 addresses by their /64 (one
 * client routinely owns a /64 and could rotate through 2^64 addresses), and
 * an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address. Other
 * keys are counted exactly as given. */

/* False if `key` already reached `max` failures in the current window;
 * then *retry_after is the seconds until the window ends. `st` may be NULL
 * (the memory table). */
bool ratelimit_allow(struct store *st, const char *key, int max, int *retry_after);

/* Records one failure for `key`. */
void ratelimit_fail(struct store *st, const char *key);

/* Forgets `key` (after a success). */
void ratelimit_reset(struct store *st, const char *key);

/* Sets the key the counters' keys are hashed with, shared by every server
 * on the database (a server secret; main.c reads it at start, before the
 * threads). Without it a random per-process key is used. */
void ratelimit_set_hash_key(const unsigned char *key, size_t len);

/* Fills e with the 429 of a refused key: ERR_THROTTLED "throttled" with
 * `message`, Retry-After `retry_after` (at least 1) and the limit `max`
 * (RateLimit-Limit; http_error adds RateLimit-Remaining 0 and
 * RateLimit-Reset). Returns false. */
bool ratelimit_throttled(struct err *e, int max, int retry_after, const char *message);

#endif
