/* test_openapi.c - the OpenAPI document against the route table: every
 * route has a description in routes_doc.c and every description names a
 * route; the served table (API plus the routes around it) stays ordered;
 * the metrics address allow-list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/openapi.h"
#include "api/ops_routes.h"
#include "api/routes.h"
#include "api/routes_doc.h"
#include "http/metrics.h"

static bool has_doc(const struct route *r)
{
    for (size_t i = 0; i < route_docs_count; i++)
        if (!strcmp(route_docs[i].method, r->method) && !strcmp(route_docs[i].pattern, r->pattern))
            return true;
    return false;
}

static void test_every_route_described(void **state)
{
    int missing = 0;
    for (size_t i = 0; i < api_routes_count; i++)
        if (!has_doc(&api_routes[i])) {
            fprintf(stderr, "no description in routes_doc.c for %s %s\n", api_routes[i].method, api_routes[i].pattern);
            missing++;
        }
    assert_int_equal(missing, 0);
}

static void test_every_description_routed(void **state)
{
    int stale = 0;
    for (size_t i = 0; i < route_docs_count; i++) {
        bool found = false;
        for (size_t k = 0; k < api_routes_count; k++)
            found |= !strcmp(route_docs[i].method, api_routes[k].method) &&
                     !strcmp(route_docs[i].pattern, api_routes[k].pattern);
        if (!found) {
            fprintf(stderr, "routes_doc.c describes %s %s, which routes.c does not have\n", route_docs[i].method,
                    route_docs[i].pattern);
            stale++;
        }
    }
    assert_int_equal(stale, 0);
    assert_int_equal(route_docs_count, api_routes_count); /* no route described twice */
}

static void test_document_has_every_operation(void **state)
{
    json_t *doc = openapi_document(api_routes, api_routes_count, "");
    assert_non_null(doc);
    json_t *paths = json_object_get(doc, "paths");
    size_t operations = 0;
    const char *key;
    json_t *item;
    json_object_foreach(paths, key, item) operations += json_object_size(item);
    assert_int_equal(operations, api_routes_count);
    assert_null(json_object_get(doc, "servers"));
    json_decref(doc);
}

static void test_served_table_ordered(void **state)
{
    struct route all[256];
    assert_true(api_routes_count + ops_routes_count <= sizeof all / sizeof all[0]);
    memcpy(all, api_routes, api_routes_count * sizeof all[0]);
    memcpy(all + api_routes_count, ops_routes, ops_routes_count * sizeof all[0]);
    assert_true(router_table_ordered(all, api_routes_count + ops_routes_count));
}

static void test_metrics_allow_list(void **state)
{
    const char *def = "127.0.0.1, ::1";
    assert_true(metrics_address_allowed(def, "127.0.0.1"));
    assert_true(metrics_address_allowed(def, "::1"));
    assert_true(metrics_address_allowed(def, "::ffff:127.0.0.1"));
    assert_false(metrics_address_allowed(def, "127.0.0.2"));
    assert_false(metrics_address_allowed(def, "10.0.0.1"));
    assert_false(metrics_address_allowed(def, "::2"));
    assert_false(metrics_address_allowed(def, "-"));
    assert_true(metrics_address_allowed("10.0.0.0/8 fd00::/8", "10.200.3.4"));
    assert_true(metrics_address_allowed("10.0.0.0/8 fd00::/8", "fd12::1"));
    assert_false(metrics_address_allowed("10.0.0.0/8 fd00::/8", "11.0.0.1"));
    assert_false(metrics_address_allowed("10.0.0.0/8", "fd12::1"));
    assert_true(metrics_address_allowed("192.168.1.0/25", "192.168.1.127"));
    assert_false(metrics_address_allowed("192.168.1.0/25", "192.168.1.128"));
    assert_false(metrics_address_allowed("10.0.0.0/x, 10.0.0.0/40", "10.0.0.1"));
    assert_false(metrics_address_allowed("", "127.0.0.1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_described),        cmocka_unit_test(test_every_description_routed),
        cmocka_unit_test(test_document_has_every_operation), cmocka_unit_test(test_served_table_ordered),
        cmocka_unit_test(test_metrics_allow_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
