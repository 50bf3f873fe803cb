/* ratelimit.h - counting failed password checks per key (an account or a
 * client address) in fixed windows, in memory (contract §4: logins and
 * password checks are rate limited). Thread-safe. A fixed-size table with
 * keyed (secret) hashing: under heavy key churn the entries with the fewest
 * failures are evicted, which errs on the side of letting a request through
 * rather than growing without bound, but never lets one key's traffic erase
 * a busier key's count. */
#ifndef HEARTH_AUTH_RATELIMIT_H
#define HEARTH_AUTH_RATELIMIT_H

#include <stdbool.h>

enum {
    RATELIMIT_WINDOW_S = 15 * 60, /* failures are forgotten after this */
    RATELIMIT_ACCOUNT_MAX = 10,   /* failed checks per account per window */
    RATELIMIT_ADDRESS_MAX = 100,  /* failed checks per client address per window */
};

/* A key "addr:" followed by a textual IP address counts a whole network an
 * attacker can hold, not one address: IPv6 addresses by their /64 (one
 * client routinely owns a /64 and could rotate through 2^64 addresses), and
 * an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address. Other
 * keys are counted exactly as given. */

/* False if `key` already reached `max` failures in the current window;
 * then *retry_after is the seconds until the window ends. */
bool ratelimit_allow(const char *key, int max, int *retry_after);

/* Records one failure for `key`. */
void ratelimit_fail(const char *key);

/* Forgets `key` (after a success). */
void ratelimit_reset(const char *key);

#endif
