/* test_html.c - unit tests for src/domain/html.c, the sanitiser: hostile
 * inputs with their expected safe output and summary, URL rules, limits
 * (size, tags, depth, parser memory), invalid UTF-8, and stability
 * (sanitising the output again changes nothing).
 *
 * Inputs are copied into exactly-sized heap buffers with no NUL terminator,
 * so AddressSanitizer catches any read past the declared length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "domain/html.h"

struct fixture {
    struct arena *arena;
    struct err err;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->arena = arena_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_free(f->arena);
    free(f);
    return 0;
}

/* Sanitises in[0..len) from an exact-size heap copy. */
static bool sanitize_bytes(struct fixture *f, const char *in, size_t len, struct html_clean *out)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, in, len);
    memset(&f->err, 0, sizeof f->err);
    bool ok = html_sanitize(f->arena, copy, len, "text", out, &f->err);
    free(copy);
    return ok;
}

/* Sanitises `in`, checks html and summary, then checks that sanitising the
 * output again gives it back unchanged. */
static void expect_clean(struct fixture *f, const char *in, const char *html, const char *summary)
{
    struct html_clean c;
    if (!sanitize_bytes(f, in, strlen(in), &c))
        fail_msg("sanitising %s failed: %s", in, f->err.entries[0].message);
    if (html && strcmp(c.html, html))
        fail_msg("input:    %s\nexpected: %s\ngot:      %s", in, html, c.html);
    if (summary && strcmp(c.summary, summary))
        fail_msg("input: %s\nexpected summary: [%s]\ngot: [%s]", in, summary, c.summary);
    struct html_clean again;
    assert_true(sanitize_bytes(f, c.html, strlen(c.html), &again));
    if (strcmp(again.html, c.html))
        fail_msg("not stable:\nonce:  %s\ntwice: %s", c.html, again.html);
}

static void expect_error(struct fixture *f, const char *in, size_t len, const char *code)
{
    struct html_clean c;
    assert_false(sanitize_bytes(f, in, len, &c));
    assert_int_equal(f->err.kind, ERR_INVALID);
    assert_int_equal(f->err.count, 1);
    assert_non_null(f->err.entries[0].field);
    assert_string_equal(f->err.entries[0].field, "text");
    assert_string_equal(f->err.entries[0].code, code);
}

/* A string of `n` copies of `unit` (malloc'd). */
static char *repeat(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

/* ---- hostile input ------------------------------------------------------- */

static void test_scripts_and_handlers(void **state)
{
    struct fixture *f = *state;
    expect_clean(f, "<p>Hello <script>alert(1)</script>world</p>", "<p>Hello world</p>", "Hello world");
    expect_clean(f, "<script src=\"https://evil.example/x.js\"></script>", "", "");
    expect_clean(f, "<SCRIPT>alert(1)</SCRIPT >after", "after", "after");
    expect_clean(f, "<img src=\"https://i.example/a.png\" onerror=\"alert(1)\" alt=\"a\">",
                 "<img src=\"https://i.example/a.png\" alt=\"a\">", "");
    expect_clean(f, "<img src=x onerror=alert(1)>t", "t", "t");
    expect_clean(f, "<b onmouseover=\"alert(1)\" style=\"x\" class=\"c\">b</b>", "<b>b</b>", "b");
    expect_clean(f, "<body onload=alert(1)>x</body>", "x", "x");
    expect_clean(f, "<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)", "ipt>alert(1)");
    expect_clean(f,
                 "<style>*{x:expression(alert(1))}</style><iframe src=\"https://e.x\">in</iframe>"
                 "<object data=x>o</object><embed src=x><applet>a</applet>ok",
                 "ok", "ok");
    expect_clean(
        f, "<svg onload=alert(1)><script>alert(1)</script></svg><math><mi xlink:href=\"javascript:x\">m</mi></math>z",
        "z", "z");
    expect_clean(f, "<template><img src=x onerror=alert(1)></template>t", "t", "t");
    expect_clean(f, "<form action=\"https://e.x\"><input name=a value=b><button>go</button></form>f", "f", "f");
    expect_clean(f, "<meta http-equiv=\"refresh\" content=\"0;url=javascript:x\"><base href=\"https://e.x\">m", "m",
                 "m");
    expect_clean(f, "<!-- <script>x</script> --><p>c</p><!-->", "<p>c</p>", "c");
}

static void test_links(void **state)
{
    struct fixture *f = *state;
    expect_clean(f, "<a href=\"javascript:alert(1)\">x</a>", "x", "x");
    expect_clean(f, "<a href=\"JAVASCRIPT:alert(1)\">x</a>", "x", "x");
    expect_clean(f, "<a href=\" javascript:alert(1)\">x</a>", "x", "x");
    expect_clean(f, "<a href=\"java&#x09;script:alert(1)\">x</a>", "x", "x");
    expect_clean(f, "<a href=\"java&#10;script:alert(1)\">x</a>", "x", "x");
    expect_clean(f, "<a href=\"&#106;avascript:alert(1)\">x</a>", "x", "x");
    expect_clean(f, "<a href=\"vbscript:x\">x</a><a href=\"data:text/html,<script>x</script>\">y</a>", "xy", "xy");
    expect_clean(f, "<a href=\"//evil.example/\">x</a><a href=\"/relative\">y</a><a href=\"http://\">z</a>", "xyz",
                 "xyz");
    expect_clean(f, "<a href=\"https:/one-slash\">x</a><a href=\"http:///x\">y</a>", "xy", "xy");
    expect_clean(
        f, "<a href=\"https://a.example/?q=1&amp;r=&quot;2&quot;\" title='t\"q' target=_blank>ok</a>",
        "<a href=\"https://a.example/?q=1&amp;r=&quot;2&quot;\" title=\"t&quot;q\" rel=\"nofollow noopener\">ok</a>",
        "ok");
    expect_clean(f, "<a href=\"mailto:me@example.com\">m</a>",
                 "<a href=\"mailto:me@example.com\" rel=\"nofollow noopener\">m</a>", "m");
    expect_clean(f, "<a href=\"HTTP://UP.EXAMPLE\" rel=\"opener\">u</a>",
                 "<a href=\"HTTP://UP.EXAMPLE\" rel=\"nofollow noopener\">u</a>", "u");
    /* an image's source is never a mailto: or script */
    expect_clean(f, "<img src=\"mailto:a@b.c\"><img src=\"javascript:x\"><img src=\"data:image/png;base64,AA\">i", "i",
                 "i");
    /* a link inside a link cannot be written: the parser splits them */
    expect_clean(f, "<a href=\"https://a.b\">1<a href=\"https://c.d\">2</a></a>",
                 "<a href=\"https://a.b\" rel=\"nofollow noopener\">1</a><a href=\"https://c.d\" rel=\"nofollow "
                 "noopener\">2</a>",
                 "12");
    /* a URL longer than HTML_URL_MAX is dropped with its link */
    char *path = repeat("a", HTML_URL_MAX);
    char *in = malloc(HTML_URL_MAX * 2);
    assert_non_null(in);
    snprintf(in, HTML_URL_MAX * 2, "<a href=\"https://e.x/%s\">l</a>", path);
    expect_clean(f, in, "l", "l");
    free(in);
    free(path);
}

static void test_structure(void **state)
{
    struct fixture *f = *state;
    expect_clean(f, "<p>unclosed <b>bold <i>both", "<p>unclosed <b>bold <i>both</i></b></p>", "unclosed bold both");
    expect_clean(f, "<b>a<i>b</b>c</i>", "<b>a<i>b</i></b><i>c</i>", "abc");
    expect_clean(f, "</p></b>stray", "<p></p>stray", "stray");
    expect_clean(f, "<p>a<ul><li>x</ul>", "<p>a</p><ul><li>x</li></ul>", "a x");
    expect_clean(f, "<ol><li>a<li>b</ol>", "<ol><li>a</li><li>b</li></ol>", "a b");
    expect_clean(f, "<li>orphan</li>", "orphan", "orphan");
    expect_clean(f, "<p><h1>x</h1></p>", "<p></p><h1>x</h1><p></p>", "x");
    expect_clean(f, "<h2>T<p>para</p></h2>", "<h2>T<br>para</h2>", "T para");
    expect_clean(f, "<div>a</div><div>b</div><table><tr><td>c</td><td>d</td></tr></table>", "a<br>b<br>c<br>d",
                 "a b c d");
    expect_clean(f, "<b><div>a</div><div>b</div></b>", "<b>a<br>b</b>", "a b");
    expect_clean(f, "<div><p>x</p></div><div>y</div>", "<p>x</p>y", "x y");
    expect_clean(f, "<blockquote><p>q</p></blockquote><hr><pre><code>int x;</code></pre>",
                 "<blockquote><p>q</p></blockquote><hr><pre><code>int x;</code></pre>", "q int x;");
    expect_clean(f, "<p>line<br>break</p>", "<p>line<br>break</p>", "line break");
    expect_clean(f, "<span style=\"x\">s</span><font color=red>f</font><u>u</u><s>s</s><sub>1</sub><sup>2</sup>",
                 "sf<u>u</u><s>s</s><sub>1</sub><sup>2</sup>", "sfus12");
}

static void test_pre_newlines(void **state)
{
    struct fixture *f = *state;
    /* the parser eats one newline after <pre>: a second one must survive */
    expect_clean(f, "<pre>\nx</pre>", "<pre>x</pre>", "x");
    expect_clean(f, "<pre>\n\ntwo</pre>", "<pre>\n\ntwo</pre>", "two");
}

static void test_text_escaped(void **state)
{
    struct fixture *f = *state;
    expect_clean(f, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 1 < 2 > 0 \"q\"",
                 "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 1 &lt; 2 &gt; 0 \"q\"",
                 "<script>alert(1)</script> & 1 < 2 > 0 \"q\"");
    expect_clean(f, "caf\xc3\xa9 &eacute; &#x1F600;", "caf\xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80",
                 "caf\xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80");
    expect_clean(f, "<xmp><b>x</b></xmp>", "&lt;b&gt;x&lt;/b&gt;", "<b>x</b>");
    /* control characters from references become what the parser makes of
     * raw ones; 0x80-0x9F references are windows-1252 (0x85 is U+2026) */
    expect_clean(f, "a&#13;b&#x10;c&#x85;d",
                 "a\nb\xef\xbf\xbd"
                 "c\xe2\x80\xa6"
                 "d",
                 NULL);
    expect_clean(f, "<pre>\n&#13;x</pre>", "<pre>\n\nx</pre>", "x");
    expect_clean(f, "", "", "");
}

static void test_references_beyond_unicode(void **state)
{
    struct fixture *f = *state;
    /* references to surrogates or past U+10FFFF, even overflowing ones,
     * never put invalid UTF-8 into the output or the summary */
    static const char *const inputs[] = {"a&#xD800;b", "&#x110000;", "&#xdEEEEEEEEEEEEEEEEEEEEEEE;x",
                                         "<a href=\"https://e.x/&#xD800;\" title=\"&#x110000;\">l</a>"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        struct html_clean c;
        assert_true(sanitize_bytes(f, inputs[i], strlen(inputs[i]), &c));
        assert_true(text_valid_utf8(c.html, strlen(c.html)));
        assert_true(text_chars(c.summary) >= 0);
        expect_clean(f, inputs[i], c.html, c.summary);
    }
}

/* ---- summary ------------------------------------------------------------- */

static void test_summary(void **state)
{
    struct fixture *f = *state;
    expect_clean(f, "  <p>  a \n\t b  </p>\n\n<p>c&nbsp;&nbsp;d</p>  ", NULL, "a b c d");
    /* 600 two-byte characters: cut at 500 characters, not bytes */
    char *long_text = repeat("\xc3\xa9", 600);
    struct html_clean c;
    assert_true(sanitize_bytes(f, long_text, strlen(long_text), &c));
    assert_int_equal(strlen(c.summary), 1000);
    free(long_text);
    /* no trailing space when the cut falls on one */
    char *words = repeat("abcd ", 200);
    assert_true(sanitize_bytes(f, words, strlen(words), &c));
    assert_true(strlen(c.summary) <= HTML_SUMMARY_MAX);
    assert_true(c.summary[strlen(c.summary) - 1] != ' ');
    free(words);
    /* content */
    assert_true(sanitize_bytes(f, "<p> </p><script>x</script>", 26, &c));
    assert_false(c.has_content);
    assert_true(sanitize_bytes(f, "<img src=\"https://a.b/c\">", 25, &c));
    assert_true(c.has_content);
}

/* ---- limits and invalid input -------------------------------------------- */

static void test_invalid_utf8(void **state)
{
    struct fixture *f = *state;
    expect_error(f, "ok \xff", 4, "invalid");
    expect_error(f, "\xc0\xaf", 2, "invalid");         /* overlong '/' */
    expect_error(f, "\xed\xa0\x80", 3, "invalid");     /* a surrogate */
    expect_error(f, "cut \xe2\x82", 6, "invalid");     /* truncated sequence */
    expect_error(f, "\xf4\x90\x80\x80", 4, "invalid"); /* beyond U+10FFFF */
    expect_error(f, "a\0b", 3, "invalid");             /* NUL */
}

static void test_size_limit(void **state)
{
    struct fixture *f = *state;
    char *big = repeat("a", HTML_INPUT_MAX + 1);
    struct html_clean c;
    assert_true(sanitize_bytes(f, big, HTML_INPUT_MAX, &c));
    assert_int_equal(strlen(c.html), HTML_INPUT_MAX);
    expect_error(f, big, HTML_INPUT_MAX + 1, "max_length");
    free(big);
}

static void test_tag_limit(void **state)
{
    struct fixture *f = *state;
    char *ok = repeat("<b>", HTML_TAGS_MAX);
    struct html_clean c;
    assert_true(sanitize_bytes(f, ok, strlen(ok), &c));
    free(ok);
    char *many = repeat("<i>x</i>", HTML_TAGS_MAX / 2 + 1);
    expect_error(f, many, strlen(many), "invalid");
    free(many);
}

static void test_deep_nesting(void **state)
{
    struct fixture *f = *state;
    /* 40 levels: the first HTML_DEPTH_MAX are kept, deeper ones unwrapped */
    char *open = repeat("<b>", 40), *close = repeat("</b>", 40);
    char *in = malloc(strlen(open) + strlen(close) + 8);
    sprintf(in, "%sdeep%s", open, close);
    char *want_open = repeat("<b>", HTML_DEPTH_MAX), *want_close = repeat("</b>", HTML_DEPTH_MAX);
    char *want = malloc(strlen(want_open) + strlen(want_close) + 8);
    sprintf(want, "%sdeep%s", want_open, want_close);
    expect_clean(f, in, want, "deep");
    free(open), free(close), free(in), free(want_open), free(want_close), free(want);

    /* thousands of levels (the parser's own destructor would recurse per level) */
    char *divs = repeat("<div>", HTML_TAGS_MAX - 1);
    struct html_clean c;
    assert_true(sanitize_bytes(f, divs, strlen(divs), &c));
    assert_string_equal(c.html, "");
    free(divs);
    char *lists = repeat("<ul><li>", HTML_TAGS_MAX / 2 - 1);
    assert_true(sanitize_bytes(f, lists, strlen(lists), &c));
    free(lists);
}

static void test_parser_memory_budget(void **state)
{
    struct fixture *f = *state;
    /* formatting elements left open are re-opened in every paragraph: 2000
     * of them times 2000 paragraphs would be four million elements */
    size_t cap = 70000;
    char *in = malloc(cap);
    size_t len = (size_t)snprintf(in, cap, "<p>");
    for (int i = 0; i < 2000; i++)
        len += (size_t)snprintf(in + len, cap - len, "<font color=%d>", i);
    for (int i = 0; i < 2000 && len + 16 < cap; i++)
        len += (size_t)snprintf(in + len, cap - len, "</p><p>x");
    assert_true(len <= HTML_INPUT_MAX);
    expect_error(f, in, len, "invalid");
    free(in);
    /* and the same shape, small, is fine */
    expect_clean(f, "<p><b><i>x</p><p>y", "<p><b><i>x</i></b></p><p><b><i>y</i></b></p>", "x y");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scripts_and_handlers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pre_newlines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_references_beyond_unicode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tag_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_memory_budget, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
