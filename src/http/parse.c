/* parse.c - request parsers (see parse.h): urlencoded forms and query strings,
 * Content-Type headers, multipart/form-data and JSON bodies, all turned into
 * one `struct http_form`.
 *
 * Every input is attacker-controlled and is NOT NUL-terminated, so all
 * scanning is bounded by explicit lengths, nothing recurses on the input, and
 * every string that reaches a handler is checked to be well-formed UTF-8
 * without NUL bytes (handlers and the database treat them as C strings).
 */
#define _GNU_SOURCE /* memmem */
#include "http/parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

enum {
    /* RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
    BOUNDARY_MAX = 70,
    /* CRLF "--" boundary: the delimiter that ends every multipart part. */
    DELIMITER_MAX = 4 + BOUNDARY_MAX,
    /* RFC 6838 §4.2: type and subtype names are at most 127 characters each;
     * plus the '/' and the NUL. */
    MEDIA_TYPE_SIZE = 127 + 1 + 127 + 1,
    /* No endpoint takes more than a few levels of nesting; the bound keeps
     * jansson's recursive parser and json_decref shallow on thread stacks
     * (jansson's own limit, 2048, is far deeper than we need). */
    JSON_MAX_DEPTH = 64,
};

static const char DASH_DASH[] = "--";
static const char CRLF[] = "\r\n";

/* ---- small helpers ---------------------------------------------------- */

/* jansson reports allocation failure by returning NULL or -1; the arena's
 * policy applies: there is nothing sensible a handler could do. */
static _Noreturn void out_of_memory(void)
{
    fputs("hearth: out of memory\n", stderr);
    abort();
}

static void decref(void *p)
{
    json_decref(p);
}

/* A new empty object whose reference the arena owns. */
static json_t *arena_object(struct arena *a)
{
    json_t *obj = json_object();
    if (!obj)
        out_of_memory();
    arena_defer(a, decref, obj);
    return obj;
}

/* Sets obj[key] to a new string; both were validated by text_ok(). */
static void set_string(json_t *obj, const char *key, size_t key_len, const char *value, size_t value_len)
{
    json_t *s = json_stringn_nocheck(value, value_len);
    if (!s || json_object_setn_new_nocheck(obj, key, key_len, s) != 0)
        out_of_memory();
}

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Case-insensitive comparison of a byte range with a lowercase literal. */
static bool equals_lower(const unsigned char *s, size_t n, const char *lower)
{
    if (strlen(lower) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(s[i]) != (unsigned char)lower[i])
            return false;
    return true;
}

static bool has_prefix(const unsigned char *s, size_t n, const char *prefix, size_t prefix_len)
{
    return n >= prefix_len && memcmp(s, prefix, prefix_len) == 0;
}

/* ---- UTF-8 -------------------------------------------------------------- */

/* The accepted byte sequences of Unicode Table 3-7: the second byte's range
 * depends on the lead byte, which is what excludes overlong forms (E0, F0),
 * surrogates (ED) and code points above U+10FFFF (F4). */
static bool utf8_lead(unsigned char c, size_t *continuation, unsigned char *low, unsigned char *high)
{
    *low = 0x80;
    *high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        *continuation = 1;
    else if (c >= 0xE0 && c <= 0xEF)
        *continuation = 2;
    else if (c >= 0xF0 && c <= 0xF4)
        *continuation = 3;
    else
        return false; /* continuation byte, C0/C1 overlong lead, or F5.. */
    if (c == 0xE0)
        *low = 0xA0;
    else if (c == 0xED)
        *high = 0x9F;
    else if (c == 0xF0)
        *low = 0x90;
    else if (c == 0xF4)
        *high = 0x8F;
    return true;
}

static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t continuation;
        unsigned char low, high;
        if (!utf8_lead(s[i], &continuation, &low, &high) || n - i - 1 < continuation)
            return false;
        if (s[i + 1] < low || s[i + 1] > high)
            return false;
        for (size_t k = 2; k <= continuation; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += continuation + 1;
    }
    return true;
}

/* Strings handed to handlers: valid UTF-8 and no NUL, which C-string users
 * (handlers, SQLite bindings) would silently truncate at. */
static bool text_ok(const void *s, size_t n)
{
    return utf8_valid(s, n) && memchr(s, '\0', n) == NULL;
}

/* ---- application/x-www-form-urlencoded ---------------------------------- */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = ascii_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes '+' and %XX from s[0..n) into dst (room for n bytes: decoding
 * never grows). False on a malformed or truncated escape. */
static bool form_decode(const char *s, size_t n, char *dst, size_t *dst_len)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+') {
            dst[j++] = ' ';
        } else if (c == '%') {
            if (n - i < 3)
                return false;
            int high = hex_value((unsigned char)s[i + 1]);
            int low = hex_value((unsigned char)s[i + 2]);
            if (high < 0 || low < 0)
                return false;
            dst[j++] = (char)(high * 16 + low);
            i += 2;
        } else {
            dst[j++] = (char)c;
        }
    }
    *dst_len = j;
    return true;
}

/* Decodes one non-empty `key[=value]` and stores it, replacing any earlier
 * value of the key (last wins). */
static bool add_pair(struct arena *a, json_t *obj, const char *pair, size_t n, struct err *e)
{
    const char *eq = memchr(pair, '=', n);
    size_t raw_key_len = eq ? (size_t)(eq - pair) : n;
    size_t raw_value_len = eq ? n - raw_key_len - 1 : 0;
    char *key = arena_alloc(a, raw_key_len + 1);
    char *value = arena_alloc(a, raw_value_len + 1);
    size_t key_len, value_len;
    if (!form_decode(pair, raw_key_len, key, &key_len) || !form_decode(eq ? eq + 1 : pair, raw_value_len, value, &value_len))
        return err_set(e, 400, "invalid", "Malformed percent-escape in form data.");
    if (key_len == 0)
        return err_set(e, 400, "invalid", "Empty field name in form data.");
    if (key_len > HTTP_MAX_NAME)
        return err_set(e, 400, "invalid", "Field name too long in form data.");
    if (!text_ok(key, key_len) || !text_ok(value, value_len))
        return err_set(e, 400, "invalid", "Form data is not valid UTF-8 text.");
    set_string(obj, key, key_len, value, value_len);
    return true;
}

/* Empty pairs ("a=1&&b=2", a trailing '&') are skipped, as Python's
 * parse_qsl does: clients that build URLs by appending "&k=v" produce them,
 * and they carry no key at all, unlike "=v" whose key is empty (rejected). */
bool http_parse_urlencoded(struct arena *a, const char *s, size_t len, json_t **out, struct err *e)
{
    json_t *obj = arena_object(a);
    size_t pairs = 0;
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - s) : len;
        if (end > i) {
            if (++pairs > HTTP_MAX_FIELDS)
                return err_set(e, 400, "invalid", "Too many fields in form data.");
            if (!add_pair(a, obj, s + i, end - i, e))
                return false;
        }
        i = end + 1;
    }
    *out = obj;
    return true;
}

/* ---- header grammar (RFC 9110 §5.6) ------------------------------------- */

/* A bounded read position over header bytes. */
struct cursor {
    const unsigned char *p, *end;
};

struct span {
    const unsigned char *p;
    size_t len;
};

static bool is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_qdtext(unsigned char c)
{
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E) || c >= 0x80;
}

static bool is_quotable(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c <= 0x7E) || c >= 0x80;
}

static bool at_end(const struct cursor *c)
{
    return c->p == c->end;
}

static void skip_ows(struct cursor *c)
{
    while (!at_end(c) && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

static bool take_char(struct cursor *c, unsigned char ch)
{
    if (at_end(c) || *c->p != ch)
        return false;
    c->p++;
    return true;
}

static size_t take_token(struct cursor *c)
{
    const unsigned char *start = c->p;
    while (!at_end(c) && is_tchar(*c->p))
        c->p++;
    return (size_t)(c->p - start);
}

/* Skips a well-formed quoted-string (quotes included). */
static bool skip_quoted(struct cursor *c)
{
    if (!take_char(c, '"'))
        return false;
    while (!at_end(c)) {
        unsigned char ch = *c->p++;
        if (ch == '"')
            return true;
        if (ch == '\\') {
            if (at_end(c) || !is_quotable(*c->p))
                return false;
            c->p++;
        } else if (!is_qdtext(ch)) {
            return false;
        }
    }
    return false; /* unterminated */
}

/* Reads the next parameter of `*( OWS ";" OWS [ name "=" value ] )`, where
 * value is a token or a quoted-string (kept raw; see unquote). Returns 1
 * with a parameter, 0 at the end, -1 if malformed. */
static int next_param(struct cursor *c, struct span *name, struct span *value)
{
    for (;;) {
        skip_ows(c);
        if (at_end(c))
            return 0;
        if (!take_char(c, ';'))
            return -1;
        skip_ows(c);
        if (at_end(c))
            return 0;
        if (*c->p == ';')
            continue; /* an empty parameter, allowed by RFC 9110 */
        name->p = c->p;
        name->len = take_token(c);
        if (name->len == 0 || !take_char(c, '='))
            return -1;
        value->p = c->p;
        if (!at_end(c) && *c->p == '"') {
            if (!skip_quoted(c))
                return -1;
        } else if (take_token(c) == 0) {
            return -1;
        }
        value->len = (size_t)(c->p - value->p);
        return 1;
    }
}

/* Copies a parameter value from next_param into dst (room for cap + 1),
 * removing quotes and backslash escapes. False if longer than cap. */
static bool unquote(struct span value, char *dst, size_t cap, size_t *dst_len)
{
    size_t j = 0;
    bool quoted = value.len >= 2 && value.p[0] == '"';
    size_t from = quoted ? 1 : 0;
    size_t to = quoted ? value.len - 1 : value.len;
    for (size_t i = from; i < to; i++) {
        if (quoted && value.p[i] == '\\')
            i++; /* skip_quoted guaranteed an escaped byte follows */
        if (j == cap)
            return false;
        dst[j++] = (char)value.p[i];
    }
    dst[j] = '\0';
    *dst_len = j;
    return true;
}

/* ---- Content-Type ------------------------------------------------------- */

/* RFC 2046 §5.1.1 bchars, and no trailing space. */
static bool boundary_valid(const char *b, size_t n)
{
    if (n == 0 || n > BOUNDARY_MAX || b[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && (c == '\0' || !strchr("'()+_,-./:=? ", c)))
            return false;
    }
    return true;
}

static bool parse_content_type(const char *header, char *mime, size_t mime_size, char boundary[71])
{
    struct cursor c = {(const unsigned char *)header, (const unsigned char *)header + strlen(header)};
    skip_ows(&c);
    const unsigned char *type = c.p;
    if (take_token(&c) == 0 || !take_char(&c, '/') || take_token(&c) == 0)
        return false;
    size_t type_len = (size_t)(c.p - type);
    if (type_len >= mime_size)
        return false;
    for (size_t i = 0; i < type_len; i++)
        mime[i] = (char)ascii_lower(type[i]);
    mime[type_len] = '\0';

    bool have_boundary = false;
    struct span name, value;
    int r;
    while ((r = next_param(&c, &name, &value)) == 1) {
        if (!equals_lower(name.p, name.len, "boundary"))
            continue;
        size_t n;
        /* a repeated boundary is ambiguous: two parsers could disagree */
        if (have_boundary || !unquote(value, boundary, BOUNDARY_MAX, &n) || !boundary_valid(boundary, n))
            return false;
        have_boundary = true;
    }
    return r == 0;
}

bool http_parse_content_type(const char *header, char *mime, size_t mime_size, char boundary[71])
{
    if (!mime || mime_size == 0 || !boundary)
        return false;
    mime[0] = '\0';
    boundary[0] = '\0';
    if (header && parse_content_type(header, mime, mime_size, boundary))
        return true;
    /* leave no half-parsed values behind */
    mime[0] = '\0';
    boundary[0] = '\0';
    return false;
}

/* ---- multipart/form-data (RFC 7578, RFC 2046 §5.1) ---------------------- */

struct multipart {
    struct arena *a;
    const unsigned char *body;
    size_t len;
    unsigned char delimiter[DELIMITER_MAX]; /* CRLF "--" boundary */
    size_t delimiter_len;
    struct http_form *out;
    size_t parts;
    struct err *e;
};

struct part_headers {
    struct span disposition; /* p is NULL when absent */
    struct span content_type;
};

static bool multipart_error(struct multipart *m, const char *message)
{
    return err_set(m->e, 400, "invalid", message);
}

/* Position of the next delimiter at or after `from`, or SIZE_MAX. memmem is
 * linear (two-way), and every byte is searched once, so the whole parse is. */
static size_t find_delimiter(const struct multipart *m, size_t from)
{
    const unsigned char *hit = memmem(m->body + from, m->len - from, m->delimiter, m->delimiter_len);
    return hit ? (size_t)(hit - m->body) : SIZE_MAX;
}

/* Position just after the first dash-boundary: at the very start, or after
 * a preamble that ends with CRLF. */
static bool first_boundary(const struct multipart *m, size_t *pos)
{
    const unsigned char *dash_boundary = m->delimiter + 2;
    size_t dash_boundary_len = m->delimiter_len - 2;
    if (has_prefix(m->body, m->len, (const char *)dash_boundary, dash_boundary_len)) {
        *pos = dash_boundary_len;
        return true;
    }
    size_t at = find_delimiter(m, 0);
    if (at == SIZE_MAX)
        return false;
    *pos = at + m->delimiter_len;
    return true;
}

/* After a boundary at `pos`: either "--" (the close delimiter), then
 * transport padding and the end or CRLF and an epilogue we ignore; or
 * transport padding and CRLF, then the next part at *next. Anything else
 * means the boundary occurs inside the content, which RFC 2046 forbids. */
static bool after_boundary(const struct multipart *m, size_t pos, size_t *next, bool *closed)
{
    *closed = has_prefix(m->body + pos, m->len - pos, DASH_DASH, 2);
    if (*closed)
        pos += 2;
    while (pos < m->len && (m->body[pos] == ' ' || m->body[pos] == '\t'))
        pos++;
    if (*closed && pos == m->len)
        return true;
    if (!has_prefix(m->body + pos, m->len - pos, CRLF, 2))
        return false;
    *next = pos + 2;
    return true;
}

/* Records one `name: value` header line of a part; only Content-Disposition
 * and Content-Type matter (RFC 7578 §4.7 ignores the others). */
static bool read_header_line(struct multipart *m, const unsigned char *line, size_t n, struct part_headers *h)
{
    struct cursor c = {line, line + n};
    size_t name_len = take_token(&c);
    if (name_len == 0 || !take_char(&c, ':'))
        return multipart_error(m, "Malformed header in a multipart part.");
    skip_ows(&c);
    const unsigned char *value_end = c.end;
    while (value_end > c.p && (value_end[-1] == ' ' || value_end[-1] == '\t'))
        value_end--;
    for (const unsigned char *p = c.p; p < value_end; p++)
        if (*p != '\t' && (*p < 0x20 || *p == 0x7F))
            return multipart_error(m, "Control character in a multipart header.");
    struct span value = {c.p, (size_t)(value_end - c.p)};
    struct span *slot = NULL;
    if (equals_lower(line, name_len, "content-disposition"))
        slot = &h->disposition;
    else if (equals_lower(line, name_len, "content-type"))
        slot = &h->content_type;
    if (!slot)
        return true;
    if (slot->p)
        return multipart_error(m, "Repeated header in a multipart part.");
    *slot = value;
    return true;
}

/* Reads the header lines of the part in [start, end) up to the empty line;
 * *body_start is where the part's content begins. Headers running straight
 * into the delimiter mean an empty part (RFC 2046 makes the body optional). */
static bool read_part_headers(struct multipart *m, size_t start, size_t end, struct part_headers *h,
                              size_t *body_start)
{
    size_t pos = start;
    size_t count = 0;
    for (;;) {
        if (pos == end) {
            *body_start = end;
            return true;
        }
        const unsigned char *lf = memchr(m->body + pos, '\n', end - pos);
        if (!lf)
            return multipart_error(m, "Unterminated headers in a multipart part.");
        size_t lf_at = (size_t)(lf - m->body);
        if (lf_at == pos || m->body[lf_at - 1] != '\r')
            return multipart_error(m, "Multipart header lines must end with CRLF.");
        size_t line_len = lf_at - 1 - pos;
        if (line_len == 0) {
            *body_start = lf_at + 1;
            return true;
        }
        if (++count > HTTP_MAX_PART_HEADERS)
            return multipart_error(m, "Too many headers in a multipart part.");
        if (!read_header_line(m, m->body + pos, line_len, h))
            return false;
        pos = lf_at + 1;
    }
}

struct disposition {
    char name[HTTP_MAX_NAME + 1];
    size_t name_len;
    char filename[HTTP_MAX_NAME + 1];
    size_t filename_len;
    bool has_name, has_filename;
};

/* `form-data; name="x"; filename="y"`. Other parameters are ignored,
 * including filename*, which RFC 7578 §4.2 tells senders not to use. */
static bool parse_disposition(struct multipart *m, struct span header, struct disposition *d)
{
    if (!header.p)
        return multipart_error(m, "A multipart part has no Content-Disposition header.");
    struct cursor c = {header.p, header.p + header.len};
    const unsigned char *type = c.p;
    if (!equals_lower(type, take_token(&c), "form-data"))
        return multipart_error(m, "A multipart part is not form-data.");
    struct span name, value;
    int r;
    while ((r = next_param(&c, &name, &value)) == 1) {
        bool is_name = equals_lower(name.p, name.len, "name");
        bool is_filename = equals_lower(name.p, name.len, "filename");
        if (!is_name && !is_filename)
            continue;
        bool *seen = is_name ? &d->has_name : &d->has_filename;
        char *dst = is_name ? d->name : d->filename;
        size_t *dst_len = is_name ? &d->name_len : &d->filename_len;
        if (*seen)
            return multipart_error(m, "Repeated parameter in Content-Disposition.");
        if (!unquote(value, dst, HTTP_MAX_NAME, dst_len))
            return multipart_error(m, "Field name or file name too long.");
        if (!text_ok(dst, *dst_len))
            return multipart_error(m, "Field name or file name is not valid UTF-8.");
        *seen = true;
    }
    if (r < 0)
        return multipart_error(m, "Malformed Content-Disposition header.");
    if (!d->has_name || d->name_len == 0)
        return multipart_error(m, "A multipart part has no field name.");
    return true;
}

/* A file input left empty is sent by browsers as filename="" with no bytes:
 * that part is skipped, as Django does, so the field reads as absent. A part
 * with filename="" but some content is kept as an upload named "": the
 * bytes were sent on purpose, and the filename is never trusted anyway. */
static bool add_upload(struct multipart *m, const struct disposition *d, struct span content_type,
                       const unsigned char *data, size_t len)
{
    if (d->filename_len == 0 && len == 0)
        return true;
    struct http_form *f = m->out;
    if (f->nuploads == HTTP_MAX_UPLOADS)
        return multipart_error(m, "Too many files in a multipart body.");
    struct http_upload *u = &f->uploads[f->nuploads++];
    u->field = arena_strndup(m->a, d->name, d->name_len);
    u->filename = arena_strndup(m->a, d->filename, d->filename_len);
    u->content_type = content_type.p ? arena_strndup(m->a, (const char *)content_type.p, content_type.len) : "";
    u->data = data;
    u->len = len;
    return true;
}

/* The part in [start, end), end being where its delimiter begins. */
static bool parse_part(struct multipart *m, size_t start, size_t end)
{
    struct part_headers h = {{NULL, 0}, {NULL, 0}};
    size_t body_start = 0;
    if (!read_part_headers(m, start, end, &h, &body_start))
        return false;
    struct disposition d = {0};
    if (!parse_disposition(m, h.disposition, &d))
        return false;
    const unsigned char *data = m->body + body_start;
    size_t len = end - body_start;
    if (d.has_filename)
        return add_upload(m, &d, h.content_type, data, len);
    if (!text_ok(data, len))
        return multipart_error(m, "A multipart text field is not valid UTF-8.");
    set_string(m->out->fields, d.name, d.name_len, (const char *)data, len);
    return true;
}

static bool parse_multipart(struct multipart *m)
{
    size_t pos;
    bool closed;
    if (!first_boundary(m, &pos))
        return multipart_error(m, "Multipart body has no boundary line.");
    if (!after_boundary(m, pos, &pos, &closed))
        return multipart_error(m, "Malformed multipart boundary line.");
    while (!closed) {
        size_t end = find_delimiter(m, pos);
        if (end == SIZE_MAX)
            return multipart_error(m, "Unterminated multipart body.");
        if (++m->parts > HTTP_MAX_FIELDS)
            return multipart_error(m, "Too many parts in a multipart body.");
        if (!parse_part(m, pos, end))
            return false;
        if (!after_boundary(m, end + m->delimiter_len, &pos, &closed))
            return multipart_error(m, "Malformed multipart boundary line.");
    }
    return true;
}

bool http_parse_multipart(struct arena *a, const unsigned char *body, size_t len, const char *boundary,
                          struct http_form *out, struct err *e)
{
    *out = (struct http_form){0};
    if (!body || len == 0)
        return err_set(e, 400, "invalid", "Empty multipart body.");
    size_t boundary_len = boundary ? strnlen(boundary, BOUNDARY_MAX + 1) : 0;
    if (!boundary_valid(boundary ? boundary : "", boundary_len))
        return err_set(e, 400, "invalid", "Invalid multipart boundary.");
    struct multipart m = {.a = a, .body = body, .len = len, .out = out, .e = e};
    memcpy(m.delimiter, CRLF, 2);
    memcpy(m.delimiter + 2, DASH_DASH, 2);
    memcpy(m.delimiter + 4, boundary, boundary_len);
    m.delimiter_len = 4 + boundary_len;
    out->fields = arena_object(a);
    if (parse_multipart(&m))
        return true;
    *out = (struct http_form){0};
    return false;
}

/* ---- JSON --------------------------------------------------------------- */

/* A linear pre-scan so deep nesting is refused before jansson recurses.
 * Brackets inside strings do not count; malformed input is jansson's to
 * reject, so this only has to be exact for well-formed JSON. */
static bool json_too_deep(const unsigned char *s, size_t n)
{
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > JSON_MAX_DEPTH)
                return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return false;
}

/* jansson's message may quote a token cut at an arbitrary byte; keep only
 * printable ASCII so the error body stays valid UTF-8. */
static char *printable_ascii(struct arena *a, const char *s)
{
    char *copy = arena_strdup(a, s);
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E)
            *p = '?';
    return copy;
}

static bool parse_json(struct arena *a, const unsigned char *body, size_t len, struct http_form *out, struct err *e)
{
    /* JSON text is UTF-8 (RFC 8259 §8.1); DRF also reports a bad encoding as
     * a parse error. */
    if (!utf8_valid(body, len))
        return err_set(e, 400, "parse_error", "JSON parse error - the body is not valid UTF-8.");
    if (json_too_deep(body, len))
        return err_set(e, 400, "parse_error", "JSON parse error - nesting too deep.");
    json_error_t error;
    json_t *value = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
    if (!value) {
        if (json_error_code(&error) == json_error_out_of_memory)
            out_of_memory();
        return err_set(e, 400, "parse_error",
                       arena_printf(a, "JSON parse error - %s (line %d, column %d).", printable_ascii(a, error.text),
                                    error.line, error.column));
    }
    arena_defer(a, decref, value);
    out->fields = value;
    return true;
}

/* ---- dispatch ----------------------------------------------------------- */

/* application/json and the structured-syntax suffix application/<x>+json
 * (RFC 6839), e.g. application/merge-patch+json. */
static bool is_json_type(const char *mime)
{
    static const char APPLICATION[] = "application/";
    static const char SUFFIX[] = "+json";
    size_t n = strlen(mime);
    size_t prefix_len = sizeof APPLICATION - 1;
    size_t suffix_len = sizeof SUFFIX - 1;
    if (strcmp(mime, "application/json") == 0)
        return true;
    return n > prefix_len + suffix_len && strncmp(mime, APPLICATION, prefix_len) == 0 &&
           strcmp(mime + n - suffix_len, SUFFIX) == 0;
}

static bool unsupported(struct arena *a, const char *mime, struct err *e)
{
    const char *message = mime[0] ? arena_printf(a, "Unsupported media type \"%s\" in request.", mime)
                                  : "Missing or malformed Content-Type header.";
    return err_set(e, 415, "unsupported_media_type", message);
}

static bool dispatch_body(struct arena *a, const char *content_type, const unsigned char *body, size_t len,
                          struct http_form *out, struct err *e)
{
    char mime[MEDIA_TYPE_SIZE];
    char boundary[BOUNDARY_MAX + 1];
    if (!content_type || !http_parse_content_type(content_type, mime, sizeof mime, boundary))
        return unsupported(a, "", e);
    if (is_json_type(mime))
        return parse_json(a, body, len, out, e);
    if (strcmp(mime, "application/x-www-form-urlencoded") == 0)
        return http_parse_urlencoded(a, (const char *)body, len, &out->fields, e);
    if (strcmp(mime, "multipart/form-data") == 0) {
        if (!boundary[0])
            return err_set(e, 400, "invalid", "Multipart form parse error - missing boundary.");
        return http_parse_multipart(a, body, len, boundary, out, e);
    }
    return unsupported(a, mime, e);
}

bool http_parse_body(struct arena *a, const char *content_type, const unsigned char *body, size_t len,
                     struct http_form *out, struct err *e)
{
    *out = (struct http_form){0};
    if (len == 0) {
        out->fields = arena_object(a);
        return true;
    }
    if (dispatch_body(a, content_type, body, len, out, e))
        return true;
    *out = (struct http_form){0};
    return false;
}

/* ---- booleans ----------------------------------------------------------- */

bool http_parse_bool(const json_t *v, bool *out)
{
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return true;
    }
    return json_is_string(v) && text_parse_bool(json_string_value(v), json_string_length(v), out);
}
