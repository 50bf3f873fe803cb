/* test_response.c - the contract §2 error shape and the §3 page envelope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json_write.h"
#include "http/request.h"
#include "http/response.h"

static void test_error_groups_fields(void **state)
{
    struct err e = {0};
    err_field(&e, "new_email", "invalid", "Enter a valid email address.");
    err_field(&e, "website", "invalid", "Enter a valid URL.");
    err_field(&e, "new_email", "unique", "Taken.");
    struct response r = {0};
    http_error(&r, &e);
    assert_int_equal(r.status, 400);
    char *s = json_dumps(r.json, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"errors\":[{\"field\":\"new_email\",\"messages\":[{\"code\":\"invalid\",\"message\":"
                           "\"Enter a valid email address.\"},{\"code\":\"unique\",\"message\":\"Taken.\"}]},"
                           "{\"field\":\"website\",\"messages\":[{\"code\":\"invalid\",\"message\":\"Enter a "
                           "valid URL.\"}]}]}");
    free(s);
    json_decref(r.json);
}

static void test_401_and_429_headers(void **state)
{
    struct err e = {0};
    err_set(&e, ERR_UNAUTHENTICATED, "not_authenticated", "No.");
    struct response r = {0};
    http_error(&r, &e);
    assert_int_equal(r.nheaders, 1);
    assert_string_equal(r.headers[0].name, "WWW-Authenticate");
    json_decref(r.json);

    struct err t = {0};
    err_set(&t, ERR_THROTTLED, "throttled", "Slow down.");
    t.retry_after = 42;
    struct response r2 = {0};
    http_error(&r2, &t);
    assert_string_equal(r2.headers[0].name, "Retry-After");
    assert_string_equal(r2.headers[0].value, "42");
    json_decref(r2.json);
}

/* A response may be rendered on a password worker and queued later by an
 * HTTP thread: its Retry-After value must belong to the response, not to
 * the rendering thread (a second 429 on that thread must not change it). */
static void test_retry_after_owned_by_response(void **state)
{
    struct err t1 = {0}, t2 = {0};
    err_set(&t1, ERR_THROTTLED, "throttled", "Slow down.");
    t1.retry_after = 42;
    err_set(&t2, ERR_THROTTLED, "throttled", "Slow down.");
    t2.retry_after = 7;
    struct response r1 = {0}, r2 = {0};
    http_error(&r1, &t1);
    http_error(&r2, &t2);
    assert_string_equal(r1.headers[0].value, "42");
    assert_string_equal(r2.headers[0].value, "7");
    json_decref(r1.json);
    json_decref(r2.json);
}

static void test_page_links(void **state)
{
    struct arena *a = arena_new();
    struct request req = {.arena = a, .base = "http://h:1", .path = "/api/v2/user/"};
    req.query = json_pack("{s:s, s:s, s:s}", "ordering", "-username", "limit", "10", "search", "a b&c");
    json_t *page = http_page(&req, 45, 10, 10, json_array());
    assert_int_equal(json_integer_value(json_object_get(page, "count")), 45);
    const char *next = json_string_value(json_object_get(page, "next"));
    const char *prev = json_string_value(json_object_get(page, "previous"));
    assert_non_null(strstr(next, "http://h:1/api/v2/user/?"));
    assert_non_null(strstr(next, "ordering=-username"));
    assert_non_null(strstr(next, "search=a%20b%26c"));
    assert_non_null(strstr(next, "limit=10&offset=20"));
    assert_non_null(strstr(prev, "limit=10"));
    assert_null(strstr(prev, "offset="));
    json_decref(page);

    page = http_page(&req, 45, 10, 40, json_array());
    assert_true(json_is_null(json_object_get(page, "next")));
    json_decref(page);
    json_decref(req.query);
    arena_free(a);
}

/* The page envelope written as text (http_page_text) is json_write's text
 * of http_page's object, links included: escaped parameters, first and
 * last pages, and a URL that is not UTF-8 (null, as json_string gives). */
static void test_page_text_is_page_object(void **state)
{
    struct arena *a = arena_new();
    const char *bases[] = {"http://h:1", "http://h\xff"};
    const int64_t counts[] = {0, 45};
    const int offsets[] = {0, 5, 10, 40};
    for (size_t bi = 0; bi < 2; bi++) {
        struct request req = {.arena = a, .base = bases[bi], .path = "/api/v2/user/7/followers/"};
        req.query = json_pack("{s:s, s:s, s:s}", "mutual", "true", "offset", "10", "search", "zo\xc3\xab x");
        for (size_t ci = 0; ci < 2; ci++)
            for (size_t oi = 0; oi < 4; oi++) {
                struct buf want = BUF_INIT, results = BUF_INIT;
                json_t *page = http_page(&req, counts[ci], 10, offsets[oi], json_array());
                assert_true(json_write(&want, page));
                json_decref(page);
                buf_puts(&results, "[]");
                struct response resp = {0};
                http_page_text(&req, &resp, counts[ci], 10, offsets[oi], &results);
                assert_int_equal(resp.len, want.len);
                assert_memory_equal(resp.data, buf_str(&want), want.len);
                resp.free_data((void *)resp.data);
                json_decref(resp.json);
                buf_free(&want);
            }
        json_decref(req.query);
    }
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_groups_fields),           cmocka_unit_test(test_401_and_429_headers),
        cmocka_unit_test(test_retry_after_owned_by_response), cmocka_unit_test(test_page_links),
        cmocka_unit_test(test_page_text_is_page_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
