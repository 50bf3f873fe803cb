/* test_request.c - request accessors: pagination parameters (contract §3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/request.h"

static void paginate(const char *limit, const char *offset, int *l, int *o)
{
    struct request req = {0};
    req.query = json_object();
    if (limit)
        json_object_set_new(req.query, "limit", json_string(limit));
    if (offset)
        json_object_set_new(req.query, "offset", json_string(offset));
    http_pagination(&req, 20, 100, l, o);
    json_decref(req.query);
}

static void test_defaults_and_clamp(void **state)
{
    int l, o;
    paginate(NULL, NULL, &l, &o);
    assert_int_equal(l, 20);
    assert_int_equal(o, 0);
    paginate("7", "14", &l, &o);
    assert_int_equal(l, 7);
    assert_int_equal(o, 14);
    paginate("500", NULL, &l, &o);
    assert_int_equal(l, 100);
}

/* A huge limit is valid and clamped, as DRF does; only non-numbers and 0
 * fall back to the default. */
static void test_huge_values(void **state)
{
    int l, o;
    paginate("99999999999999999999999", "99999999999999999999", &l, &o);
    assert_int_equal(l, 100);
    assert_true(o >= 1000000000);
    paginate("0", "-1", &l, &o);
    assert_int_equal(l, 20);
    assert_int_equal(o, 0);
    paginate("abc", "1e3", &l, &o);
    assert_int_equal(l, 20);
    assert_int_equal(o, 0);
    paginate("undefined", "undefined", &l, &o);
    assert_int_equal(l, 20);
    assert_int_equal(o, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_clamp),
        cmocka_unit_test(test_huge_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
