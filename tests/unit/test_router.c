/* test_router.c - route matching: literals before {id}, ids, names,
 * trailing slashes, 404 versus 405 with Allow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/routes.h"
#include "http/router.h"

static bool h_list(struct request *r, struct response *s, struct err *e) { return r || s || e; }
static bool h_me(struct request *r, struct response *s, struct err *e) { return r || s || e; }
static bool h_get(struct request *r, struct response *s, struct err *e) { return r || s || e; }
static bool h_put(struct request *r, struct response *s, struct err *e) { return r || s || e; }
static bool h_media(struct request *r, struct response *s, struct err *e) { return r || s || e; }
static bool h_followers(struct request *r, struct response *s, struct err *e) { return r || s || e; }
static bool h_follow(struct request *r, struct response *s, struct err *e) { return r || s || e; }

static const struct route routes[] = {
    {"GET", "/api/v2/user/", h_list, 0},
    {"GET", "/api/v2/user/me/", h_me, 0},
    {"GET", "/api/v2/user/{id}/", h_get, 0},
    {"PUT", "/api/v2/user/{id}/", h_put, 0},
    {"GET", "/media/{name}", h_media, 0},
    {"GET", "/api/v2/user/{id}/followers/", h_followers, 0},
    {"POST", "/api/v2/user/{id}/follow/", h_follow, 0},
};
enum { NROUTES = sizeof routes / sizeof routes[0] };

static void test_literal_before_id(void **state)
{
    struct route_match m;
    router_match(routes, NROUTES, "GET", "/api/v2/user/me/", &m);
    assert_non_null(m.route);
    assert_ptr_equal(m.route->handler, h_me);
    assert_int_equal(m.id, 0);
}

static void test_id_and_trailing_slash(void **state)
{
    struct route_match m;
    router_match(routes, NROUTES, "GET", "/api/v2/user/42/", &m);
    assert_ptr_equal(m.route->handler, h_get);
    assert_int_equal(m.id, 42);
    router_match(routes, NROUTES, "GET", "/api/v2/user/42", &m);
    assert_ptr_equal(m.route->handler, h_get);
    router_match(routes, NROUTES, "GET", "/api/v2/user", &m);
    assert_ptr_equal(m.route->handler, h_list);
}

static void test_bad_ids_are_404(void **state)
{
    const char *paths[] = {"/api/v2/user/abc/",
                           "/api/v2/user/0/",
                           "/api/v2/user/-1/",
                           "/api/v2/user/01/",
                           "/api/v2/user/1234567890123456789/",
                           "/api/v2/user/1e3/",
                           "/api/v2/user//",
                           "/api/v2/user/42/extra/",
                           "api/v2/user/42/",
                           ""};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct route_match m;
        router_match(routes, NROUTES, "GET", paths[i], &m);
        assert_null(m.route);
        assert_string_equal(m.allow, "");
    }
}

static void test_wrong_method_is_405_with_allow(void **state)
{
    struct route_match m;
    router_match(routes, NROUTES, "DELETE", "/api/v2/user/7/", &m);
    assert_null(m.route);
    assert_string_equal(m.allow, "GET, PUT, OPTIONS");
    router_match(routes, NROUTES, "POST", "/api/v2/user/me/", &m);
    assert_null(m.route);
    assert_string_equal(m.allow, "GET, OPTIONS");
}

/* Literals after a placeholder: the segment that follows an id decides. */
static void test_literal_after_id(void **state)
{
    struct route_match m;
    router_match(routes, NROUTES, "GET", "/api/v2/user/42/followers/", &m);
    assert_ptr_equal(m.route->handler, h_followers);
    assert_int_equal(m.id, 42);
    router_match(routes, NROUTES, "GET", "/api/v2/user/7/followers", &m);
    assert_ptr_equal(m.route->handler, h_followers);
    assert_int_equal(m.id, 7);
    const char *missing[] = {"/api/v2/user/7/followers/x/", "/api/v2/user/abc/followers/", "/api/v2/user/7/follower/",
                             "/api/v2/user/7/followersx/", "/api/v2/user/followers/"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        router_match(routes, NROUTES, "GET", missing[i], &m);
        assert_null(m.route);
        assert_string_equal(m.allow, "");
    }
    router_match(routes, NROUTES, "GET", "/api/v2/user/7/follow", &m);
    assert_null(m.route);
    assert_string_equal(m.allow, "POST, OPTIONS");
    router_match(routes, NROUTES, "POST", "/api/v2/user/7/follow/", &m);
    assert_ptr_equal(m.route->handler, h_follow);
    assert_int_equal(m.id, 7);
}

static void test_head_uses_get(void **state)
{
    struct route_match m;
    router_match(routes, NROUTES, "HEAD", "/api/v2/user/7/", &m);
    assert_ptr_equal(m.route->handler, h_get);
}

static void test_names_are_safe(void **state)
{
    struct route_match m;
    router_match(routes, NROUTES, "GET", "/media/ab12.png", &m);
    assert_ptr_equal(m.route->handler, h_media);
    assert_string_equal(m.name, "ab12.png");
    const char *bad[] = {"/media/..", "/media/.hidden", "/media/a%2F..", "/media/a b", "/media/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        router_match(routes, NROUTES, "GET", bad[i], &m);
        assert_null(m.route);
    }
}

static void test_table_order(void **state)
{
    assert_true(router_table_ordered(routes, NROUTES));
    assert_true(router_table_ordered(api_routes, api_routes_count));
    static const struct route name_first[] = {
        {"GET", "/media/{name}", h_media, 0},
        {"GET", "/media/index", h_list, 0},
    };
    assert_false(router_table_ordered(name_first, 2));
    static const struct route twice[] = {
        {"GET", "/api/v2/user/{id}/", h_get, 0},
        {"PUT", "/api/v2/user/{id}/", h_put, 0},
        {"GET", "/api/v2/user/{id}", h_get, 0},
    };
    assert_false(router_table_ordered(twice, 3));
    static const struct route id_first[] = {
        {"GET", "/api/v2/user/{id}/", h_get, 0},
        {"GET", "/api/v2/user/42/", h_me, 0},
        {"GET", "/api/v2/user/me/", h_me, 0},
    };
    assert_false(router_table_ordered(id_first, 2));
    assert_true(router_table_ordered(id_first + 1, 2));
    static const struct route literal_first[] = {
        {"GET", "/api/v2/user/me/", h_me, 0},
        {"GET", "/api/v2/user/{id}/", h_get, 0},
    };
    assert_true(router_table_ordered(literal_first, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_before_id), cmocka_unit_test(test_id_and_trailing_slash),
        cmocka_unit_test(test_bad_ids_are_404),   cmocka_unit_test(test_wrong_method_is_405_with_allow),
        cmocka_unit_test(test_literal_after_id),  cmocka_unit_test(test_head_uses_get),
        cmocka_unit_test(test_names_are_safe),    cmocka_unit_test(test_table_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
