/* test_colour.c - unit tests of domain/colour.c: every accepted form, the
 * bounds at the limit and one past, separators, units, named colours, and
 * what is not a colour. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/colour.h"

static bool ok(const char *s) { return colour_is_css(s, strlen(s)); }

static void check_all(const char *const *list, size_t n, bool expected)
{
    for (size_t i = 0; i < n; i++) {
        if (ok(list[i]) != expected)
            fail_msg("%s should %sbe a colour", list[i], expected ? "" : "not ");
    }
}

#define CHECK(list, expected) check_all(list, sizeof list / sizeof list[0], expected)

static void test_hex(void **state)
{
    (void)state;
    static const char *const good[] = {"#fff", "#FFF", "#fffa", "#9c27b0", "#9C27B0", "#9c27b0cc", "#000000"};
    static const char *const bad[] = {"#",        "#f",       "#ff",       "#fffff", "#fffffff", "#fffffffff",
                                      "#ggg",     "#12345g",  "fff",       "# fff",  "#fff ",    " #fff",
                                      "#9c27b0c", "##ffffff", "#ff ff ff", "#-12"};
    CHECK(good, true);
    CHECK(bad, false);
}

static void test_rgb(void **state)
{
    (void)state;
    static const char *const good[] = {
        "rgb(0,0,0)",         "rgb(255, 255, 255)",   "rgb( 1 , 2 , 3 )", "RGB(1,2,3)",       "rgba(1,2,3,0.5)",
        "rgba(1, 2, 3, 1)",   "rgba(1,2,3,0)",        "rgba(1,2,3,50%)",  "rgb(1,2,3,.5)",    "rgba(1,2,3)",
        "rgb(0%, 50%, 100%)", "rgb(12.5, 0, 254.9)",  "rgb(1 2 3)",       "rgb(1 2 3 / 0.5)", "rgb(1 2 3/0.5)",
        "rgb(10% 2 3 / 40%)", "rgba(255 255 255 / 1)"};
    static const char *const bad[] = {"rgb(256,0,0)",    "rgb(0,0,255.1)", "rgb(-1,0,0)",        "rgb(+1,0,0)",
                                      "rgb(101%,0%,0%)", "rgb(0,0)",       "rgb(0,0,0,0,0)",     "rgb(0,0,0",
                                      "rgb 0,0,0)",      "rgb(0,0,0) ",    "rgb(0,0,0)x",        "rgb(,0,0,0)",
                                      "rgb(0,,0,0)",     "rgb(0,0,0,)",    "rgba(0,0,0,1.5)",    "rgba(0,0,0,101%)",
                                      "rgb(0%,0,0)",     "rgb(0 0,0)",     "rgb(0,0 0)",         "rgb(0 0 0, 1)",
                                      "rgb(0,0,0 / 1)",  "rgb(1.,2,3)",    "rgb(.,2,3)",         "rgb(1e2,0,0)",
                                      "rgb(1%2%3%)",     "rgb(0deg,0,0)",  "rgb(a,b,c)",         "rgb()",
                                      "rgbx(0,0,0)",     "rgb(0 0 0 /)",   "rgb(0 0 0 / 0.5 )x", "rgb(0 0 0 / 1deg)"};
    CHECK(good, true);
    CHECK(bad, false);
}

static void test_hsl(void **state)
{
    (void)state;
    static const char *const good[] = {"hsl(0, 0%, 0%)",        "hsl(360,100%,100%)",       "hsl(120deg, 50%, 50%)",
                                       "hsla(120,50%,50%,0.3)", "hsla(120, 50%, 50%, 30%)", "HSL(1,2%,3%)",
                                       "hsl(120 50% 50%)",      "hsl(120 50 50 / 0.5)",     "hsl(291.5, 64%, 42.2%)"};
    static const char *const bad[] = {"hsl(361,0%,0%)", "hsl(0,101%,0%)",    "hsl(0,0%,100.5%)", "hsl(0,50,50)",
                                      "hsl(10%,0%,0%)", "hsla(0,0%,0%,2)",   "hsl(-10,0%,0%)",   "hsl(0,0%)",
                                      "hsl(0 0% 101)",  "hsl(0deg 0deg 0%)", "hsl(0,0%,0%"};
    CHECK(good, true);
    CHECK(bad, false);
}

static void test_named(void **state)
{
    (void)state;
    static const char *const good[] = {"red",         "Red",  "RED",           "transparent",         "aliceblue",
                                       "yellowgreen", "grey", "rebeccapurple", "lightgoldenrodyellow"};
    static const char *const bad[] = {"",     "reddish", "re",    "red ",   " red",         "currentcolor",
                                      "none", "inherit", "blue;", "url(x)", "expression(1)"};
    CHECK(good, true);
    CHECK(bad, false);
}

static void test_bounds(void **state)
{
    (void)state;
    /* a valid colour padded with spaces up to COLOUR_MAX bytes, then one past */
    char s[COLOUR_MAX + 2];
    const char *head = "rgb(1,2,3";
    size_t n = strlen(head);
    memcpy(s, head, n);
    memset(s + n, ' ', sizeof s - n);
    s[COLOUR_MAX - 1] = ')';
    assert_true(colour_is_css(s, COLOUR_MAX));
    s[COLOUR_MAX - 1] = ' ';
    s[COLOUR_MAX] = ')';
    assert_false(colour_is_css(s, COLOUR_MAX + 1));
    /* an embedded NUL, a NULL pointer, a prefix of a valid value */
    assert_false(colour_is_css("#fff\0", 5));
    assert_false(colour_is_css(NULL, 0));
    assert_true(colour_is_css("#ffffffff", 7));
    assert_false(colour_is_css("#ffffffff", 8));
    /* not NUL-terminated: only len bytes are read */
    const char red[3] = {'r', 'e', 'd'};
    assert_true(colour_is_css(red, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex),   cmocka_unit_test(test_rgb),    cmocka_unit_test(test_hsl),
        cmocka_unit_test(test_named), cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
