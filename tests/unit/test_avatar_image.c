/* test_avatar_image.c - unit tests of domain/avatar_image.c: the initial
 * (letters, digits, other scripts, fallbacks), XML escaping, the colour
 * (from the palette, stable, spread), and the SVG and its entity tag. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/avatar_image.h"

static const char *initial(const char *username)
{
    static char out[AVATAR_INITIAL_MAX];
    avatar_image_initial(username, out);
    return out;
}

static void test_initial(void **state)
{
    (void)state;
    assert_string_equal(initial("alice"), "A");
    assert_string_equal(initial("Bob"), "B");
    assert_string_equal(initial("42cats"), "4");
    assert_string_equal(initial("_zed"), "Z"); /* the first letter or digit */
    assert_string_equal(initial(".-@x"), "X");
    assert_string_equal(initial("élodie"), "É"); /* other scripts, upper-cased */
    assert_string_equal(initial("ωmega"), "Ω");
    assert_string_equal(initial("_日本"), "日");
    assert_string_equal(initial("__"), "_"); /* no letter: the first character */
    assert_string_equal(initial("<>"), "<"); /* escaped in the document */
    assert_string_equal(initial(""), "?");
    assert_string_equal(initial(NULL), "?");
    assert_string_equal(initial(" \t"), "?"); /* not visible */
    assert_string_equal(initial("\x01x"), "X");
    assert_string_equal(initial("\xff\xfe"), "?"); /* invalid UTF-8 */
    assert_string_equal(initial("\xc3"), "?");     /* truncated sequence */
}

static void test_xml_escape(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(avatar_image_xml_escape("a", out), 1);
    assert_string_equal(out, "a");
    avatar_image_xml_escape("<&>\"'", out);
    assert_string_equal(out, "&lt;&amp;&gt;&quot;&apos;");
    assert_int_equal(avatar_image_xml_escape("", out), 0);
    assert_string_equal(out, "");
    avatar_image_xml_escape("É", out);
    assert_string_equal(out, "É");
}

static void test_color(void **state)
{
    (void)state;
    /* stable, in range, and spread: 64 consecutive ids use most colours,
     * and neighbours are mostly different */
    uint32_t seen[AVATAR_PALETTE_SIZE];
    int distinct = 0, same_as_next = 0;
    for (int64_t id = 1; id <= 64; id++) {
        uint32_t c = avatar_image_color(id);
        assert_true(c <= 0xFFFFFF);
        assert_int_equal(c, avatar_image_color(id));
        bool known = false;
        for (int i = 0; i < distinct; i++)
            known = known || seen[i] == c;
        if (!known) {
            assert_true(distinct < AVATAR_PALETTE_SIZE);
            seen[distinct++] = c;
        }
        same_as_next += c == avatar_image_color(id + 1);
    }
    assert_true(distinct >= 10);
    assert_true(same_as_next < 16);
    /* every colour is dark enough for white text: luminance below one half */
    for (int64_t id = 1; id <= 1000; id++) {
        uint32_t c = avatar_image_color(id);
        unsigned r = c >> 16, g = c >> 8 & 0xFF, b = c & 0xFF;
        assert_true(299 * r + 587 * g + 114 * b < 128 * 1000);
    }
}

static void test_svg(void **state)
{
    struct arena *a = *state;
    char etag[AVATAR_ETAG_LEN], etag2[AVATAR_ETAG_LEN];
    size_t len = 0, len2 = 0;
    const char *svg = avatar_image_svg(a, 7, "alice", &len, etag);
    assert_int_equal(len, strlen(svg));
    assert_true(len < 1024);
    assert_true(!strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39));
    assert_non_null(strstr(svg, ">A</text></svg>\n"));
    char fill[16];
    snprintf(fill, sizeof fill, "fill=\"#%06X\"", (unsigned)avatar_image_color(7));
    assert_non_null(strstr(svg, fill));
    /* the tag: quoted hex, the same for the same image */
    assert_int_equal(strlen(etag), 18);
    assert_true(etag[0] == '"' && etag[17] == '"');
    const char *again = avatar_image_svg(a, 7, "alice", &len2, etag2);
    assert_string_equal(svg, again);
    assert_string_equal(etag, etag2);
    /* another initial: another tag */
    avatar_image_svg(a, 7, "bob", &len2, etag2);
    assert_string_not_equal(etag, etag2);
    /* markup in the name is escaped */
    const char *markup = avatar_image_svg(a, 7, "<script>", &len2, etag2);
    assert_non_null(strstr(markup, ">S</text>"));
    markup = avatar_image_svg(a, 7, "<&", &len2, etag2);
    assert_non_null(strstr(markup, ">&lt;</text>"));
    assert_null(strstr(markup, "><</text>"));
}

static int setup(void **state)
{
    *state = arena_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    arena_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial),
        cmocka_unit_test(test_xml_escape),
        cmocka_unit_test(test_color),
        cmocka_unit_test_setup_teardown(test_svg, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
