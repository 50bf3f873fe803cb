/* test_parse.c - unit tests for src/http/parse.c: query and form decoding,
 * Content-Type headers, multipart/form-data, JSON bodies and form booleans.
 *
 * Inputs are copied into exactly-sized heap buffers with no NUL terminator,
 * so AddressSanitizer catches any read past the declared length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"
#include "http/parse.h"
#include "http/response.h"

enum { MAX_BUFFERS = 16, MIME_SIZE = 64, BIG_BUFFER = 16 * 1024 };

/* Literal byte strings may hold NUL bytes, so their length comes from sizeof. */
#define BYTES(lit) (const unsigned char *)(lit), (sizeof(lit) - 1)

struct fixture {
    struct arena *arena;
    struct err err;
    void *buffers[MAX_BUFFERS];
    size_t nbuffers;
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
    for (size_t i = 0; i < f->nbuffers; i++)
        free(f->buffers[i]);
    free(f);
    return 0;
}

/* An exactly-sized, unterminated heap copy that lives until teardown (upload
 * data points into it). */
static const unsigned char *copy(struct fixture *f, const void *data, size_t len)
{
    assert_true(f->nbuffers < MAX_BUFFERS);
    unsigned char *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, data, len);
    f->buffers[f->nbuffers++] = p;
    return p;
}

static json_t *form(struct fixture *f, const char *s)
{
    json_t *out = NULL;
    size_t len = strlen(s);
    bool ok = http_parse_urlencoded(f->arena, (const char *)copy(f, s, len), len, &out, &f->err);
    if (!ok)
        return NULL;
    assert_true(json_is_object(out));
    return out;
}

static void assert_form_fails(struct fixture *f, const char *s)
{
    assert_null(form(f, s));
    assert_int_equal(f->err.kind, ERR_INVALID);
    assert_string_equal(f->err.entries[0].code, "invalid");
}

static void assert_field(const json_t *obj, const char *key, const char *value)
{
    const json_t *v = json_object_get(obj, key);
    assert_non_null(v);
    assert_true(json_is_string(v));
    assert_int_equal(json_string_length(v), strlen(value));
    assert_string_equal(json_string_value(v), value);
}

static bool body(struct fixture *f, const char *type, const unsigned char *data, size_t len, struct http_form *out)
{
    return http_parse_body(f->arena, type, copy(f, data, len), len, out, &f->err);
}

static void assert_error(const struct fixture *f, int status, const char *code)
{
    assert_int_equal(http_status_of(&f->err), status);
    assert_true(f->err.count >= 1);
    assert_string_equal(f->err.entries[0].code, code);
}

/* ---- urlencoded --------------------------------------------------------- */

static void test_form_plus_and_escapes(void **state)
{
    struct fixture *f = *state;
    json_t *o = form(f, "a=b+c&plus=%2B&space=%20x&k%20ey=%e2%82%AC");
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 4);
    assert_field(o, "a", "b c");
    assert_field(o, "plus", "+");
    assert_field(o, "space", " x");
    assert_field(o, "k ey", "\xe2\x82\xac");
}

static void test_form_raw_utf8_kept(void **state)
{
    struct fixture *f = *state;
    json_t *o = form(f, "name=J\xc3\xa9r\xc3\xb4me");
    assert_non_null(o);
    assert_field(o, "name", "J\xc3\xa9r\xc3\xb4me");
}

static void test_form_bad_escape(void **state) { assert_form_fails(*state, "a=%G1"); }

static void test_form_truncated_escape(void **state)
{
    struct fixture *f = *state;
    assert_form_fails(f, "a=%4");
    assert_form_fails(f, "a=%");
    assert_form_fails(f, "a%=1");
}

static void test_form_invalid_utf8(void **state)
{
    struct fixture *f = *state;
    assert_form_fails(f, "a=%FF");
    assert_form_fails(f, "%FF=a");
    assert_form_fails(f, "a=%C0%AF");       /* overlong '/' */
    assert_form_fails(f, "a=%ED%A0%80");    /* surrogate U+D800 */
    assert_form_fails(f, "a=%F4%90%80%80"); /* above U+10FFFF */
    assert_form_fails(f, "a=%E2%82");       /* truncated sequence */
    assert_form_fails(f, "a=%00");          /* NUL would truncate C strings */
}

static void test_form_empty_key(void **state)
{
    struct fixture *f = *state;
    assert_form_fails(f, "=x");
    assert_form_fails(f, "a=1&=");
}

static void test_form_empty_pairs_skipped(void **state)
{
    struct fixture *f = *state;
    json_t *o = form(f, "&a=1&&b=2&");
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 2);
    assert_field(o, "a", "1");
    assert_field(o, "b", "2");
    o = form(f, "");
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 0);
}

static void test_form_repeated_last_wins(void **state)
{
    struct fixture *f = *state;
    json_t *o = form(f, "a=1&b=x&a=2");
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 2);
    assert_field(o, "a", "2");
}

static void test_form_key_without_value(void **state)
{
    struct fixture *f = *state;
    json_t *o = form(f, "flag&x=");
    assert_non_null(o);
    assert_field(o, "flag", "");
    assert_field(o, "x", "");
}

static void test_form_undefined_kept(void **state)
{
    struct fixture *f = *state;
    json_t *o = form(f, "limit=undefined");
    assert_non_null(o);
    assert_field(o, "limit", "undefined");
}

static char *pairs(size_t n)
{
    char *s = calloc(n, 16);
    assert_non_null(s);
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        at += (size_t)sprintf(s + at, "%sk%zu=v", i ? "&" : "", i);
    return s;
}

static void test_form_field_limit(void **state)
{
    struct fixture *f = *state;
    char *ok = pairs(HTTP_MAX_FIELDS);
    json_t *o = form(f, ok);
    assert_non_null(o);
    assert_int_equal(json_object_size(o), HTTP_MAX_FIELDS);
    char *over = pairs(HTTP_MAX_FIELDS + 1);
    assert_form_fails(f, over);
    free(ok);
    free(over);
}

static void test_form_name_limit(void **state)
{
    struct fixture *f = *state;
    char s[HTTP_MAX_NAME + 8];
    memset(s, 'k', HTTP_MAX_NAME);
    strcpy(s + HTTP_MAX_NAME, "=v");
    assert_non_null(form(f, s));
    memset(s, 'k', HTTP_MAX_NAME + 1);
    strcpy(s + HTTP_MAX_NAME + 1, "=v");
    assert_form_fails(f, s);
}

static void test_form_respects_len(void **state)
{
    struct fixture *f = *state;
    json_t *o = NULL;
    assert_true(http_parse_urlencoded(f->arena, "a=1&b=2", 3, &o, &f->err));
    assert_int_equal(json_object_size(o), 1);
    assert_field(o, "a", "1");
    /* the escape is cut by len: it must be seen as truncated */
    assert_false(http_parse_urlencoded(f->arena, "a=%41", 4, &o, &f->err));
    assert_error(f, 400, "invalid");
}

/* ---- Content-Type ------------------------------------------------------- */

static void test_content_type_simple(void **state)
{
    char mime[MIME_SIZE], boundary[71];
    assert_true(http_parse_content_type("application/json", mime, sizeof mime, boundary));
    assert_string_equal(mime, "application/json");
    assert_string_equal(boundary, "");
}

static void test_content_type_case_and_params(void **state)
{
    char mime[MIME_SIZE], boundary[71];
    assert_true(http_parse_content_type(" \tApplication/JSON ; Charset=UTF-8;; \t", mime, sizeof mime, boundary));
    assert_string_equal(mime, "application/json");
    assert_string_equal(boundary, "");
    assert_true(
        http_parse_content_type("multipart/form-data; charset=utf-8;BOUNDARY=AbC-12", mime, sizeof mime, boundary));
    assert_string_equal(mime, "multipart/form-data");
    assert_string_equal(boundary, "AbC-12"); /* the value keeps its case */
}

static void test_content_type_quoted_boundary(void **state)
{
    char mime[MIME_SIZE], boundary[71];
    assert_true(http_parse_content_type("multipart/form-data; boundary=\"a b:c\\?d\"", mime, sizeof mime, boundary));
    assert_string_equal(boundary, "a b:c?d");
}

static void test_content_type_boundary_length(void **state)
{
    char mime[MIME_SIZE], boundary[71], header[128];
    char b[72];
    memset(b, 'b', 70);
    b[70] = '\0';
    snprintf(header, sizeof header, "multipart/form-data; boundary=%s", b);
    assert_true(http_parse_content_type(header, mime, sizeof mime, boundary));
    assert_int_equal(strlen(boundary), 70);
    b[70] = 'b';
    b[71] = '\0';
    snprintf(header, sizeof header, "multipart/form-data; boundary=%s", b);
    assert_false(http_parse_content_type(header, mime, sizeof mime, boundary));
    assert_string_equal(boundary, "");
}

static void test_content_type_malformed(void **state)
{
    static const char *const bad[] = {
        "",
        "json",
        "/json",
        "application/",
        "application /json",
        "application/json x",
        "application/json; boundary",
        "application/json; =x",
        "application/json; a =b",
        "multipart/form-data; boundary=\"unterminated",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=a; boundary=b",
        "multipart/form-data; boundary=\"bad\x01\"",
        "multipart/form-data; boundary=\"trailing \"",
        "multipart/form-data; boundary=\"semi;colon\"",
    };
    char mime[MIME_SIZE], boundary[71];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(mime, "junk");
        if (http_parse_content_type(bad[i], mime, sizeof mime, boundary))
            fail_msg("accepted malformed Content-Type: %s", bad[i]);
        assert_string_equal(mime, "");
    }
    assert_false(http_parse_content_type(NULL, mime, sizeof mime, boundary));
}

static void test_content_type_mime_too_long(void **state)
{
    char mime[9], boundary[71];
    assert_true(http_parse_content_type("text/abc", mime, sizeof mime, boundary)); /* 8 bytes + NUL */
    assert_string_equal(mime, "text/abc");
    assert_false(http_parse_content_type("text/abcd", mime, sizeof mime, boundary));
}

/* ---- multipart ---------------------------------------------------------- */

#define MP_TYPE "multipart/form-data; boundary=XyZ"

static void test_multipart_text_field(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, MP_TYPE,
                     BYTES("--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"bio\"\r\n"
                           "\r\n"
                           "Hello,\r\nworld \xe2\x9c\x93\r\n"
                           "--XyZ--\r\n"),
                     &out));
    assert_int_equal(json_object_size(out.fields), 1);
    assert_field(out.fields, "bio", "Hello,\r\nworld \xe2\x9c\x93");
    assert_int_equal(out.nuploads, 0);
}

static const unsigned char BINARY[] = {0x89, 'P',  'N', 'G', '\r', '\n', 0x1a, '\n', 0x00, 0x00,
                                       '\r', '\n', '-', '-', 'X',  'y',  'z',  0xff, '\r', '\r'};

static void test_multipart_binary_file(void **state)
{
    struct fixture *f = *state;
    static const char head[] = "--XyZ\r\n"
                               "Content-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
                               "Content-Type: image/png\r\n"
                               "\r\n";
    static const char tail[] = "\r\n--XyZ--\r\n";
    unsigned char buf[sizeof head + sizeof BINARY + sizeof tail];
    size_t n = 0;
    memcpy(buf + n, head, sizeof head - 1);
    n += sizeof head - 1;
    memcpy(buf + n, BINARY, sizeof BINARY);
    n += sizeof BINARY;
    memcpy(buf + n, tail, sizeof tail - 1);
    n += sizeof tail - 1;
    struct http_form out;
    assert_true(http_parse_body(f->arena, MP_TYPE, (const unsigned char *)copy(f, buf, n), n, &out, &f->err));
    assert_int_equal(out.nuploads, 1);
    assert_int_equal(json_object_size(out.fields), 0);
    const struct http_upload *u = &out.uploads[0];
    assert_string_equal(u->field, "avatar");
    assert_string_equal(u->filename, "me.png");
    assert_string_equal(u->content_type, "image/png");
    assert_int_equal(u->len, sizeof BINARY);
    assert_memory_equal(u->data, BINARY, sizeof BINARY);
}

static void test_multipart_two_files_and_fields(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, MP_TYPE,
                     BYTES("--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"avatar\"; filename=\"a.jpg\"\r\n"
                           "Content-Type: image/jpeg\r\n"
                           "\r\n"
                           "AAAA\r\n"
                           "--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"username\"\r\n"
                           "\r\n"
                           "first\r\n"
                           "--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"cover\"; filename=\"b\\\"q\\\\.gif\"\r\n"
                           "\r\n"
                           "B\r\n"
                           "--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"username\"\r\n"
                           "\r\n"
                           "second\r\n"
                           "--XyZ--"),
                     &out));
    assert_int_equal(out.nuploads, 2);
    assert_string_equal(out.uploads[0].field, "avatar");
    assert_string_equal(out.uploads[0].filename, "a.jpg");
    assert_string_equal(out.uploads[0].content_type, "image/jpeg");
    assert_int_equal(out.uploads[0].len, 4);
    assert_memory_equal(out.uploads[0].data, "AAAA", 4);
    assert_string_equal(out.uploads[1].field, "cover");
    assert_string_equal(out.uploads[1].filename, "b\"q\\.gif");
    assert_string_equal(out.uploads[1].content_type, "");
    assert_int_equal(out.uploads[1].len, 1);
    assert_memory_equal(out.uploads[1].data, "B", 1);
    assert_int_equal(json_object_size(out.fields), 1);
    assert_field(out.fields, "username", "second");
}

static void test_multipart_missing_close(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, MP_TYPE,
                      BYTES("--XyZ\r\n"
                            "Content-Disposition: form-data; name=\"a\"\r\n"
                            "\r\n"
                            "1\r\n"),
                      &out));
    assert_error(f, 400, "invalid");
    assert_null(out.fields);
}

static void test_multipart_no_first_boundary(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, MP_TYPE, BYTES("just some text"), &out));
    assert_error(f, 400, "invalid");
}

static void test_multipart_no_name(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, MP_TYPE,
                      BYTES("--XyZ\r\n"
                            "Content-Disposition: form-data; filename=\"x\"\r\n"
                            "\r\n"
                            "1\r\n"
                            "--XyZ--\r\n"),
                      &out));
    assert_error(f, 400, "invalid");
    assert_false(body(f, MP_TYPE,
                      BYTES("--XyZ\r\n"
                            "Content-Disposition: form-data; name=\"\"\r\n"
                            "\r\n"
                            "1\r\n"
                            "--XyZ--\r\n"),
                      &out));
    assert_false(body(f, MP_TYPE,
                      BYTES("--XyZ\r\n"
                            "Content-Type: text/plain\r\n"
                            "\r\n"
                            "1\r\n"
                            "--XyZ--\r\n"),
                      &out));
}

static void test_multipart_preamble_epilogue(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, MP_TYPE,
                     BYTES("This is a preamble --XyZ not at a line start.\r\n"
                           "--XyZ  \r\n"
                           "Content-Disposition: form-data; name=\"a\"\r\n"
                           "\r\n"
                           "1\r\n"
                           "--XyZ--\t\r\n"
                           "epilogue\r\n--XyZ\r\nignored"),
                     &out));
    assert_int_equal(json_object_size(out.fields), 1);
    assert_field(out.fields, "a", "1");
}

static void test_multipart_header_case(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, "Multipart/Form-Data; Boundary=\"XyZ\"",
                     BYTES("--XyZ\r\n"
                           "X-Ignored: yes\r\n"
                           "CONTENT-DISPOSITION: Form-Data; NAME=doc; FileName=\"r.pdf\"\r\n"
                           "content-TYPE:application/pdf  \r\n"
                           "\r\n"
                           "%PDF\r\n"
                           "--XyZ--\r\n"),
                     &out));
    assert_int_equal(out.nuploads, 1);
    assert_string_equal(out.uploads[0].field, "doc");
    assert_string_equal(out.uploads[0].filename, "r.pdf");
    assert_string_equal(out.uploads[0].content_type, "application/pdf");
    assert_int_equal(out.uploads[0].len, 4);
}

static void test_multipart_too_many_uploads(void **state)
{
    struct fixture *f = *state;
    static const char part[] = "--XyZ\r\n"
                               "Content-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n"
                               "\r\n"
                               "x\r\n";
    char buf[sizeof part * (HTTP_MAX_UPLOADS + 1) + 16];
    size_t n = 0;
    for (int i = 0; i < HTTP_MAX_UPLOADS; i++, n += sizeof part - 1)
        memcpy(buf + n, part, sizeof part - 1);
    memcpy(buf + n, "--XyZ--", 7);
    struct http_form out;
    assert_true(http_parse_body(f->arena, MP_TYPE, copy(f, buf, n + 7), n + 7, &out, &f->err));
    assert_int_equal(out.nuploads, HTTP_MAX_UPLOADS);

    memcpy(buf + n, part, sizeof part - 1);
    n += sizeof part - 1;
    memcpy(buf + n, "--XyZ--", 7);
    assert_false(http_parse_body(f->arena, MP_TYPE, copy(f, buf, n + 7), n + 7, &out, &f->err));
    assert_error(f, 400, "invalid");
}

static void test_multipart_empty_filename(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    /* an untouched file input: skipped */
    assert_true(body(f, MP_TYPE,
                     BYTES("--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"avatar\"; filename=\"\"\r\n"
                           "Content-Type: application/octet-stream\r\n"
                           "\r\n"
                           "\r\n"
                           "--XyZ--\r\n"),
                     &out));
    assert_int_equal(out.nuploads, 0);
    assert_int_equal(json_object_size(out.fields), 0);
    /* bytes sent on purpose: an upload named "" */
    assert_true(body(f, MP_TYPE,
                     BYTES("--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"avatar\"; filename=\"\"\r\n"
                           "\r\n"
                           "data\r\n"
                           "--XyZ--\r\n"),
                     &out));
    assert_int_equal(out.nuploads, 1);
    assert_string_equal(out.uploads[0].filename, "");
    assert_int_equal(out.uploads[0].len, 4);
}

static void test_multipart_zero_parts(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, MP_TYPE, BYTES("--XyZ--\r\n"), &out));
    assert_non_null(out.fields);
    assert_int_equal(json_object_size(out.fields), 0);
    assert_int_equal(out.nuploads, 0);
}

static void test_multipart_malformed(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    static const struct {
        const char *body;
        size_t len;
    } bad[] = {
#define CASE(lit) {lit, sizeof(lit) - 1}
        /* the boundary inside content, followed by neither "--" nor CRLF */
        CASE("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZabc\r\n--XyZ--"),
        /* bare LF line endings */
        CASE("--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--"),
        CASE("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\n\r\n1\r\n--XyZ--"),
        /* not form-data */
        CASE("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--XyZ--"),
        /* repeated Content-Disposition or parameter */
        CASE("--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n"
             "--XyZ--"),
        CASE("--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--XyZ--"),
        /* unterminated quoted name */
        CASE("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--"),
        /* header without colon, folded header */
        CASE("--XyZ\r\nContent-Disposition form-data; name=a\r\n\r\n1\r\n--XyZ--"),
        CASE("--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--XyZ--"),
        /* text field that is not UTF-8, or holds NUL */
        CASE("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xff\r\n--XyZ--"),
        CASE("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\0y\r\n--XyZ--"),
        /* field name not UTF-8 */
        CASE("--XyZ\r\nContent-Disposition: form-data; name=\"\xc0\xaf\"\r\n\r\n1\r\n--XyZ--"),
        /* junk after the first boundary */
        CASE("--XyZjunk\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--"),
        /* headers never end */
        CASE("--XyZ\r\nContent-Disposition: form-data; name=a\r\n--XyZ--"),
#undef CASE
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f->err = (struct err){0};
        if (body(f, MP_TYPE, (const unsigned char *)bad[i].body, bad[i].len, &out))
            fail_msg("accepted malformed multipart case %zu", i);
        assert_error(f, 400, "invalid");
    }
}

static void test_multipart_headers_without_body(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    /* RFC 2046 makes a part's body optional: headers then the delimiter */
    assert_true(body(f, MP_TYPE, BYTES("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n--XyZ--"), &out));
    assert_field(out.fields, "a", "");
}

static void test_multipart_too_many_headers(void **state)
{
    struct fixture *f = *state;
    char buf[BIG_BUFFER];
    size_t n = (size_t)sprintf(buf, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
    for (int i = 1; i < HTTP_MAX_PART_HEADERS; i++)
        n += (size_t)sprintf(buf + n, "X-H%d: v\r\n", i);
    size_t headers_end = n;
    n += (size_t)sprintf(buf + n, "\r\n1\r\n--XyZ--");
    struct http_form out;
    assert_true(http_parse_body(f->arena, MP_TYPE, copy(f, buf, n), n, &out, &f->err));

    n = headers_end + (size_t)sprintf(buf + headers_end, "X-Last: v\r\n\r\n1\r\n--XyZ--");
    assert_false(http_parse_body(f->arena, MP_TYPE, copy(f, buf, n), n, &out, &f->err));
    assert_error(f, 400, "invalid");
}

static void test_multipart_name_limit(void **state)
{
    struct fixture *f = *state;
    char name[HTTP_MAX_NAME + 2];
    char buf[BIG_BUFFER];
    struct http_form out;
    memset(name, 'n', HTTP_MAX_NAME);
    name[HTTP_MAX_NAME] = '\0';
    int n = sprintf(buf, "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nv\r\n--XyZ--", name);
    assert_true(http_parse_body(f->arena, MP_TYPE, copy(f, buf, (size_t)n), (size_t)n, &out, &f->err));
    assert_field(out.fields, name, "v");
    strcat(name, "n");
    n = sprintf(buf, "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nv\r\n--XyZ--", name);
    assert_false(http_parse_body(f->arena, MP_TYPE, copy(f, buf, (size_t)n), (size_t)n, &out, &f->err));
    assert_error(f, 400, "invalid");
}

static void test_multipart_direct_bad_boundary(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    const unsigned char *data = copy(f, "--\r\n", 4);
    assert_false(http_parse_multipart(f->arena, data, 4, "", &out, &f->err));
    assert_error(f, 400, "invalid");
}

static void test_multipart_missing_boundary_param(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, "multipart/form-data", BYTES("--XyZ--"), &out));
    assert_error(f, 400, "invalid");
}

/* ---- JSON --------------------------------------------------------------- */

static void test_json_object(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, "application/json; charset=utf-8", BYTES(" {\"a\": 1, \"b\": [true, \"\xc3\xa9\"]} "), &out));
    assert_true(json_is_object(out.fields));
    assert_int_equal(json_integer_value(json_object_get(out.fields, "a")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(out.fields, "b"), 1)), "\xc3\xa9");
    assert_int_equal(out.nuploads, 0);
}

static void test_json_array_and_scalar(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, "application/json", BYTES("[1,2,3]"), &out));
    assert_true(json_is_array(out.fields));
    assert_int_equal(json_array_size(out.fields), 3);
    assert_true(body(f, "application/json", BYTES("\"x\""), &out));
    assert_string_equal(json_string_value(out.fields), "x");
}

static void test_json_suffix_type(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, "Application/Merge-Patch+JSON", BYTES("{\"a\":null}"), &out));
    assert_true(json_is_null(json_object_get(out.fields, "a")));
    assert_false(body(f, "application/+json", BYTES("{}"), &out));
    assert_error(f, 415, "unsupported_media_type");
}

static void test_json_malformed(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, "application/json", BYTES("{\"a\": }"), &out));
    assert_error(f, 400, "parse_error");
    assert_null(out.fields);
    f->err = (struct err){0};
    assert_false(body(f, "application/json", BYTES("{} x"), &out));
    assert_error(f, 400, "parse_error");
    f->err = (struct err){0};
    assert_false(body(f, "application/json", BYTES("{\"a\":\"\\u0000\"}"), &out));
    assert_error(f, 400, "parse_error");
}

static void test_json_duplicate_keys(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, "application/json", BYTES("{\"a\": 1, \"a\": 2}"), &out));
    assert_error(f, 400, "parse_error");
}

static void test_json_invalid_utf8(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, "application/json", BYTES("{\"a\": \"\xff\"}"), &out));
    assert_error(f, 400, "parse_error");
    f->err = (struct err){0};
    assert_false(body(f, "application/json", BYTES("{\"a\": \"\xed\xa0\x80\"}"), &out));
    assert_error(f, 400, "parse_error");
}

static void test_json_depth_limit(void **state)
{
    struct fixture *f = *state;
    enum { OK_DEPTH = 64, BAD_DEPTH = 65 };
    char buf[2 * BAD_DEPTH];
    struct http_form out;
    memset(buf, '[', OK_DEPTH);
    memset(buf + OK_DEPTH, ']', OK_DEPTH);
    assert_true(http_parse_body(f->arena, "application/json", copy(f, buf, 2 * OK_DEPTH), 2 * OK_DEPTH, &out, &f->err));
    memset(buf, '[', BAD_DEPTH);
    memset(buf + BAD_DEPTH, ']', BAD_DEPTH);
    assert_false(
        http_parse_body(f->arena, "application/json", copy(f, buf, 2 * BAD_DEPTH), 2 * BAD_DEPTH, &out, &f->err));
    assert_error(f, 400, "parse_error");
    /* brackets inside strings do not count */
    char deep_string[BAD_DEPTH + 3];
    deep_string[0] = '"';
    memset(deep_string + 1, '[', BAD_DEPTH);
    deep_string[BAD_DEPTH + 1] = '"';
    assert_true(http_parse_body(f->arena, "application/json", copy(f, deep_string, BAD_DEPTH + 2), BAD_DEPTH + 2, &out,
                                &f->err));
}

/* ---- dispatch ----------------------------------------------------------- */

static void test_empty_body_is_empty_object(void **state)
{
    struct fixture *f = *state;
    static const char *const types[] = {
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=XyZ",
        "multipart/form-data",
        "text/plain",
        "not a type",
        NULL,
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct http_form out;
        assert_true(http_parse_body(f->arena, types[i], NULL, 0, &out, &f->err));
        assert_true(json_is_object(out.fields));
        assert_int_equal(json_object_size(out.fields), 0);
        assert_int_equal(out.nuploads, 0);
    }
    assert_int_equal(f->err.kind, ERR_NONE);
}

static void test_urlencoded_body(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_true(body(f, "application/x-www-form-urlencoded; charset=UTF-8", BYTES("a=1&b=x+y"), &out));
    assert_field(out.fields, "a", "1");
    assert_field(out.fields, "b", "x y");
}

static void test_unsupported_type(void **state)
{
    struct fixture *f = *state;
    struct http_form out;
    assert_false(body(f, "text/plain", BYTES("hello"), &out));
    assert_error(f, 415, "unsupported_media_type");
    assert_non_null(strstr(f->err.entries[0].message, "text/plain"));
    f->err = (struct err){0};
    assert_false(body(f, NULL, BYTES("{}"), &out));
    assert_error(f, 415, "unsupported_media_type");
    f->err = (struct err){0};
    assert_false(body(f, "garbage", BYTES("{}"), &out));
    assert_error(f, 415, "unsupported_media_type");
}

/* ---- booleans ----------------------------------------------------------- */

static void test_bool_table(void **state)
{
    static const struct {
        const char *text;
        bool ok, value;
    } table[] = {
        {"1", true, true},      {"true", true, true},   {"True", true, true},   {"0", true, false},
        {"false", true, false}, {"False", true, false}, {"TRUE", false, false}, {"yes", false, false},
        {"", false, false},     {"2", false, false},    {" 1", false, false},   {"1 ", false, false},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        json_t *s = json_string(table[i].text);
        bool value = !table[i].value; /* must be overwritten on success */
        bool ok = http_parse_bool(s, &value);
        json_decref(s);
        if (ok != table[i].ok)
            fail_msg("http_parse_bool(\"%s\") returned %d", table[i].text, ok);
        if (ok)
            assert_int_equal(value, table[i].value);
        else
            assert_int_equal(value, !table[i].value); /* untouched */
    }
    bool value = false;
    assert_true(http_parse_bool(json_true(), &value));
    assert_true(value);
    assert_true(http_parse_bool(json_false(), &value));
    assert_false(value);
    json_t *one = json_integer(1);
    value = false;
    assert_false(http_parse_bool(one, &value));
    assert_false(value);
    json_decref(one);
    assert_false(http_parse_bool(json_null(), &value));
    assert_false(http_parse_bool(NULL, &value));
    json_t *nul = json_stringn("true\0x", 6);
    assert_false(http_parse_bool(nul, &value));
    json_decref(nul);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(test_form_plus_and_escapes),
        TEST(test_form_raw_utf8_kept),
        TEST(test_form_bad_escape),
        TEST(test_form_truncated_escape),
        TEST(test_form_invalid_utf8),
        TEST(test_form_empty_key),
        TEST(test_form_empty_pairs_skipped),
        TEST(test_form_repeated_last_wins),
        TEST(test_form_key_without_value),
        TEST(test_form_undefined_kept),
        TEST(test_form_field_limit),
        TEST(test_form_name_limit),
        TEST(test_form_respects_len),
        TEST(test_content_type_simple),
        TEST(test_content_type_case_and_params),
        TEST(test_content_type_quoted_boundary),
        TEST(test_content_type_boundary_length),
        TEST(test_content_type_malformed),
        TEST(test_content_type_mime_too_long),
        TEST(test_multipart_text_field),
        TEST(test_multipart_binary_file),
        TEST(test_multipart_two_files_and_fields),
        TEST(test_multipart_missing_close),
        TEST(test_multipart_no_first_boundary),
        TEST(test_multipart_no_name),
        TEST(test_multipart_preamble_epilogue),
        TEST(test_multipart_header_case),
        TEST(test_multipart_too_many_uploads),
        TEST(test_multipart_empty_filename),
        TEST(test_multipart_zero_parts),
        TEST(test_multipart_malformed),
        TEST(test_multipart_headers_without_body),
        TEST(test_multipart_too_many_headers),
        TEST(test_multipart_name_limit),
        TEST(test_multipart_direct_bad_boundary),
        TEST(test_multipart_missing_boundary_param),
        TEST(test_json_object),
        TEST(test_json_array_and_scalar),
        TEST(test_json_suffix_type),
        TEST(test_json_malformed),
        TEST(test_json_duplicate_keys),
        TEST(test_json_invalid_utf8),
        TEST(test_json_depth_limit),
        TEST(test_empty_body_is_empty_object),
        TEST(test_urlencoded_body),
        TEST(test_unsupported_type),
        TEST(test_bool_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
