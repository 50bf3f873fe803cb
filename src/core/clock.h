/* clock.h - the server's notion of "now".
 *
 * Tests must be able to move time (email codes expire after 24 hours), so the
 * clock can be offset: when a clock file is configured (HEARTH_CLOCK_FILE,
 * tests only), its integer content is a number of seconds added to the real
 * time, re-read on every call. Thread-safe.
 */
#ifndef HEARTH_CORE_CLOCK_H
#define HEARTH_CORE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

enum { CLOCK_RFC3339_LEN = 64 };

/* Sets the clock file (NULL for none). Call once at start, before threads. */
void clock_set_offset_file(const char *path);

/* Microseconds and seconds since the epoch, offset included. */
int64_t clock_now_us(void);
int64_t clock_now(void);

/* Formats microseconds since the epoch as RFC 3339 UTC with microseconds
 * ("2019-08-24T14:15:22.123456Z") into out. */
void clock_format(int64_t us, char out[CLOCK_RFC3339_LEN]);

/* Today's date (UTC, offset included) as year, month (1-12), day. */
void clock_today(int *year, int *month, int *day);

/* Parses "YYYY-MM-DD" strictly (a real calendar date). */
bool clock_parse_date(const char *s, int *year, int *month, int *day);

#endif
