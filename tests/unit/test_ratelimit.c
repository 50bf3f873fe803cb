/* test_ratelimit.c - failure counters: limits, windows, and that no other
 * key's traffic can erase an account's count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "auth/ratelimit.h"
#include "core/clock.h"

static void fail_n(const char *key, int n)
{
    for (int i = 0; i < n; i++)
        ratelimit_fail(NULL, key);
}

static void test_limit_and_retry_after(void **state)
{
    int retry = 0;
    assert_true(ratelimit_allow(NULL, "t1:alice", 3, &retry));
    fail_n("t1:alice", 2);
    assert_true(ratelimit_allow(NULL, "t1:alice", 3, &retry));
    ratelimit_fail(NULL, "t1:alice");
    assert_false(ratelimit_allow(NULL, "t1:alice", 3, &retry));
    assert_true(retry > 0 && retry <= RATELIMIT_WINDOW_S);
    assert_true(ratelimit_allow(NULL, "t1:bob", 3, NULL));
}

static void test_reset(void **state)
{
    fail_n("t2:carol", 5);
    assert_false(ratelimit_allow(NULL, "t2:carol", 5, NULL));
    ratelimit_reset(NULL, "t2:carol");
    assert_true(ratelimit_allow(NULL, "t2:carol", 5, NULL));
    ratelimit_reset(NULL, "t2:never-seen"); /* no-op */
}

/* An attacker who fails with many other keys (other usernames, crafted to
 * collide or not) must not wipe the victim's count. */
static void test_other_keys_do_not_evict(void **state)
{
    fail_n("t3:victim", RATELIMIT_ACCOUNT_MAX);
    assert_false(ratelimit_allow(NULL, "t3:victim", RATELIMIT_ACCOUNT_MAX, NULL));
    char key[64];
    for (int i = 0; i < 50000; i++) {
        snprintf(key, sizeof key, "t3:other%d", i);
        assert_true(ratelimit_allow(NULL, key, RATELIMIT_ACCOUNT_MAX, NULL));
        ratelimit_fail(NULL, key);
    }
    assert_false(ratelimit_allow(NULL, "t3:victim", RATELIMIT_ACCOUNT_MAX, NULL));
}

/* One IPv6 client holds a /64: rotating through it must not reset the
 * count; an IPv4-mapped address is its IPv4 address. */
static void test_address_networks(void **state)
{
    fail_n("addr:2001:db8:1:2::1", 2);
    ratelimit_fail(NULL, "addr:2001:DB8:1:2:ffff:0:0:9");
    assert_false(ratelimit_allow(NULL, "addr:2001:db8:1:2::77", 3, NULL));
    assert_false(ratelimit_allow(NULL, "addr:2001:0db8:0001:0002:0:0:0:1", 3, NULL));
    assert_true(ratelimit_allow(NULL, "addr:2001:db8:1:3::1", 3, NULL));
    fail_n("addr:::ffff:192.0.2.7", 3);
    assert_false(ratelimit_allow(NULL, "addr:192.0.2.7", 3, NULL));
    assert_true(ratelimit_allow(NULL, "addr:192.0.2.8", 3, NULL));
    /* only address keys are widened */
    fail_n("t5:2001:db8:9:9::1", 3);
    assert_false(ratelimit_allow(NULL, "t5:2001:db8:9:9::1", 3, NULL));
    assert_true(ratelimit_allow(NULL, "t5:2001:db8:9:9::2", 3, NULL));
}

static void test_window_expires(void **state)
{
    char path[] = "/tmp/hearth-ratelimit-clockXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    clock_set_offset_file(path);
    fail_n("t4:dave", 2);
    assert_false(ratelimit_allow(NULL, "t4:dave", 2, NULL));
    FILE *f = fopen(path, "w");
    fprintf(f, "%d\n", RATELIMIT_WINDOW_S + 1);
    fclose(f);
    assert_true(ratelimit_allow(NULL, "t4:dave", 2, NULL));
    ratelimit_fail(NULL, "t4:dave"); /* a new window starts at one failure */
    assert_true(ratelimit_allow(NULL, "t4:dave", 2, NULL));
    clock_set_offset_file(NULL);
    unlink(path);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_and_retry_after),   cmocka_unit_test(test_reset),
        cmocka_unit_test(test_other_keys_do_not_evict), cmocka_unit_test(test_address_networks),
        cmocka_unit_test(test_window_expires),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
