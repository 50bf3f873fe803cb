/* test_json_write.c - unit tests for src/core/json_write.c: the exact text
 * of each kind of value (as jansson's compact dump writes it), escapes,
 * integers at their limits, insertion order of keys, and the refusals
 * (strings that are not UTF-8, nesting past the bound). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json_write.h"

/* Writes v (taking the reference) and compares with `want` and with
 * jansson's own compact dump. */
static void expect_text(json_t *v, const char *want)
{
    struct buf b = BUF_INIT;
    assert_true(json_write(&b, v));
    assert_string_equal(buf_str(&b), want);
    assert_int_equal(b.len, strlen(want));
    char *theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_string_equal(buf_str(&b), theirs);
    free(theirs);
    buf_free(&b);
    json_decref(v);
}

static void test_scalars(void **state)
{
    (void)state;
    expect_text(json_null(), "null");
    expect_text(json_true(), "true");
    expect_text(json_false(), "false");
    expect_text(json_integer(0), "0");
    expect_text(json_integer(-42), "-42");
    expect_text(json_integer(INT64_MAX), "9223372036854775807");
    expect_text(json_integer(INT64_MIN), "-9223372036854775808");
    expect_text(json_real(1.5), "1.5");
    expect_text(json_real(3.0), "3.0");
}

static void test_strings_and_escapes(void **state)
{
    (void)state;
    expect_text(json_string(""), "\"\"");
    expect_text(json_string("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
    expect_text(json_string("\b\f\n\r\t\x01\x1f"), "\"\\b\\f\\n\\r\\t\\u0001\\u001F\"");
    expect_text(json_string("caf\xc3\xa9 \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    expect_text(json_stringn("a\0b", 3), "\"a\\u0000b\"");
}

/* Strings of every length up to 40 with one byte of interest (each byte
 * that is escaped, a quote, a backslash, a 2-byte and a 4-byte UTF-8
 * character, a lone continuation byte) at every position, so the word-wide
 * scan meets it at each offset of a word and in the tail: the text is
 * jansson's, or nothing is written when the string is not UTF-8. */
static void test_strings_at_every_offset(void **state)
{
    (void)state;
    const char *specials[] = {"\x01", "\x1f", "\n", "\"", "\\", "\xc3\xa9", "\xf0\x9f\x98\x80", "\x80", "\x7f", " "};
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
        size_t sl = strlen(specials[k]);
        for (size_t len = 0; len <= 40; len++) {
            for (size_t at = 0; at <= len; at++) {
                char s[64];
                for (size_t i = 0; i < len; i++)
                    s[i] = (char)('a' + i % 26);
                memcpy(s + at, specials[k], sl);
                size_t n = len > at + sl ? len : at + sl;
                struct buf b = BUF_INIT;
                buf_append(&b, "x", 1);
                json_t *v = json_stringn(s, n);
                bool ok = json_write_string(&b, s, n);
                assert_int_equal(ok, v != NULL);
                if (v) {
                    char *theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                    assert_string_equal(b.data + 1, theirs);
                    assert_int_equal(b.len, 1 + strlen(theirs));
                    free(theirs);
                    json_decref(v);
                } else {
                    assert_string_equal(buf_str(&b), "x");
                    assert_int_equal(b.len, 1);
                }
                buf_free(&b);
            }
        }
    }
}

static void test_containers_keep_insertion_order(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_object_set_new(o, "z", json_integer(1));
    json_object_set_new(o, "a", json_pack("[i, s, {}]", 2, "x"));
    json_object_set_new(o, "m", json_array());
    expect_text(o, "{\"z\":1,\"a\":[2,\"x\",{}],\"m\":[]}");
}

static void test_refusals(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    json_t *bad = json_string_nocheck("caf\xc3 x");
    assert_false(json_write(&b, bad));
    json_decref(bad);
    json_t *deep = json_array();
    for (int i = 0; i < JSON_WRITE_MAX_DEPTH; i++)
        deep = json_pack("[o]", deep);
    buf_reset(&b);
    assert_false(json_write(&b, deep));
    json_decref(deep);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_strings_and_escapes),
        cmocka_unit_test(test_strings_at_every_offset),
        cmocka_unit_test(test_containers_keep_insertion_order),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
