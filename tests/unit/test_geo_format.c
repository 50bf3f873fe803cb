/* test_geo_format.c - geo_format (src/core/geo.c) writes exactly what
 * printf's "%.15g" writes: coordinates of up to six decimals (its own path),
 * every other double (snprintf's), signs, zeros, tiny and huge values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/geo.h"

static void expect_printf(double v)
{
    char got[GEO_FORMAT_LEN], want[GEO_FORMAT_LEN];
    int n = geo_format(v, got);
    snprintf(want, sizeof want, "%.15g", v);
    if (strcmp(got, want) != 0)
        fail_msg("%.17g: got %s, %%.15g gives %s", v, got, want);
    assert_int_equal(n, (int)strlen(want));
}

static void test_fixed_values(void **state)
{
    (void)state;
    const double values[] = {
        0.0,     -0.0,    45.4642,  9.19,       -33.5, 151.25,           90,       -180,      0.0001,
        0.00001, -0.0001, 1e-7,     123456.789, 1e9,   999999999.999999, 45.46421, 45.464213, 0.1,
        0.2,     0.3,     1.000001, 5e-324,     1e300, -1e-300,          NAN,      INFINITY,  -INFINITY};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        expect_printf(values[i]);
}

static void test_sweep(void **state)
{
    (void)state;
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* coordinates with 0 to 7 decimals, and raw doubles */
        int decimals = (int)(x % 8);
        double v = (double)((int64_t)(x >> 8) % 360000000LL) / 1e6 - 180.0;
        double scale = pow(10, decimals);
        expect_printf(round(v * scale) / scale);
        double raw;
        uint64_t bits = x * 0x9E3779B97F4A7C15ULL;
        memcpy(&raw, &bits, sizeof raw);
        expect_printf(raw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_values),
        cmocka_unit_test(test_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
