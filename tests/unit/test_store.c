/* test_store.c - the SQLite backend's shared machinery: `$N` placeholders
 * mean parameter N whatever their order (as in PostgreSQL), quoted `$`
 * stays text, and migrations apply once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/sqlite_internal.h"
#include "store/store.h"

static void test_placeholders_by_number(void **state)
{
    struct err e = {0};
    struct store *st = store_open(":memory:", &e);
    assert_non_null(st);
    sqlite3_stmt *q = sqlite_stmt(st, "SELECT $2 - $1, '$1', $2", &e);
    assert_non_null(q);
    assert_int_equal(sqlite3_bind_parameter_count(q), 2);
    sqlite3_bind_int64(q, 1, 10);
    sqlite3_bind_int64(q, 2, 3);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(q, 0), -7);
    assert_string_equal((const char *)sqlite3_column_text(q, 1), "$1");
    assert_int_equal(sqlite3_column_int64(q, 2), 3);
    sqlite3_reset(q);
    store_close(st);
}

static void test_migrate_twice(void **state)
{
    struct err e = {0};
    struct store *st = store_open(":memory:", &e);
    assert_true(store_migrate(st, &e));
    assert_true(store_migrate(st, &e));
    assert_int_equal(store_user_count(st, &e), 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders_by_number),
        cmocka_unit_test(test_migrate_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
