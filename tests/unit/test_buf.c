/* test_buf.c - the growable byte string: appends, reset keeps memory,
 * detach hands the bytes over, free leaves an empty reusable buf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static void test_append_and_printf(void **state)
{
    struct buf b = BUF_INIT;
    assert_string_equal(buf_str(&b), "");
    buf_puts(&b, "user");
    buf_printf(&b, " %d of %s", 42, "many");
    buf_append(&b, "\0x", 2);
    assert_int_equal(b.len, strlen("user 42 of many") + 2);
    assert_string_equal(buf_str(&b), "user 42 of many");
    assert_int_equal(b.data[b.len], '\0');
    buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_reset_keeps_memory(void **state)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < 1000; i++)
        buf_puts(&b, "0123456789");
    size_t cap = b.cap;
    char *data = b.data;
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(b.cap, cap);
    assert_ptr_equal(b.data, data);
    buf_puts(&b, "again");
    assert_string_equal(buf_str(&b), "again");
    buf_free(&b);
    buf_reset(&b); /* on an empty buf: nothing to do */
    assert_null(b.data);
}

static void test_detach(void **state)
{
    struct buf b = BUF_INIT;
    size_t len = 99;
    char *empty = buf_detach(&b, &len);
    assert_non_null(empty);
    assert_string_equal(empty, "");
    assert_int_equal(len, 0);
    free(empty);

    buf_printf(&b, "%s-%s", "a", "b");
    char *s = buf_detach(&b, &len);
    assert_string_equal(s, "a-b");
    assert_int_equal(len, 3);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    buf_puts(&b, "fresh");
    assert_string_equal(buf_str(&b), "fresh");
    assert_string_equal(s, "a-b");
    free(s);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_printf),
        cmocka_unit_test(test_reset_keeps_memory),
        cmocka_unit_test(test_detach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
