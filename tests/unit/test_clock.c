/* test_clock.c - unit tests for clock_format (src/core/clock.c): fixed
 * instants, and a sweep of instants from 1970 to 9999 against the plain
 * snprintf formatting it replaces on the hot path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"

static void reference(int64_t us, char out[CLOCK_RFC3339_LEN])
{
    time_t s = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&s, &tm);
    snprintf(out, CLOCK_RFC3339_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)(us % 1000000));
}

static void test_fixed_instants(void **state)
{
    (void)state;
    char out[CLOCK_RFC3339_LEN];
    clock_format(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00.000000Z");
    clock_format(1796577819378532, out);
    assert_string_equal(out, "2026-12-06T17:23:39.378532Z");
    clock_format(951782400000001, out); /* a leap day */
    assert_string_equal(out, "2000-02-29T00:00:00.000001Z");
    clock_format(253402300799999999, out); /* the last instant of 9999 */
    assert_string_equal(out, "9999-12-31T23:59:59.999999Z");
}

static void test_sweep_matches_snprintf(void **state)
{
    (void)state;
    char got[CLOCK_RFC3339_LEN], want[CLOCK_RFC3339_LEN];
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t us = (int64_t)(x % 253402300800000000ULL);
        clock_format(us, got);
        reference(us, want);
        assert_string_equal(got, want);
    }
}

/* Every day from 1970 to 9999 (every leap day, every century rule), each at
 * a different time of day, and the first and last microsecond of each. */
static void test_every_day_matches_gmtime(void **state)
{
    (void)state;
    char got[CLOCK_RFC3339_LEN], want[CLOCK_RFC3339_LEN];
    const int64_t day_us = INT64_C(86400000000);
    for (int64_t d = 0; d < 2932897; d++) { /* 1970-01-01 .. 9999-12-31 */
        int64_t at[3] = {d * day_us, d * day_us + (d * INT64_C(7919000003)) % day_us, (d + 1) * day_us - 1};
        for (int k = 0; k < 3; k++) {
            clock_format(at[k], got);
            reference(at[k], want);
            if (strcmp(got, want) != 0)
                fail_msg("day %lld: %s, gmtime_r says %s", (long long)d, got, want);
        }
    }
    clock_format(951868799999999, got); /* 2000 is a leap year, 1900 and 2100 are not */
    assert_string_equal(got, "2000-02-29T23:59:59.999999Z");
    clock_format(4107542400000000, got);
    assert_string_equal(got, "2100-03-01T00:00:00.000000Z");
}

/* Outside 1970..9999 the plain formatting answers, as before. */
static void test_outside_the_fast_range(void **state)
{
    (void)state;
    char got[CLOCK_RFC3339_LEN], want[CLOCK_RFC3339_LEN];
    const int64_t cases[] = {-1000000, -86400000000, -2208988800000000, 253402300800000000, 253402387200123456};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clock_format(cases[i], got);
        reference(cases[i], want);
        assert_string_equal(got, want);
    }
    clock_format(253402300800000000, got);
    assert_string_equal(got, "10000-01-01T00:00:00.000000Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_instants),
        cmocka_unit_test(test_sweep_matches_snprintf),
        cmocka_unit_test(test_every_day_matches_gmtime),
        cmocka_unit_test(test_outside_the_fast_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
