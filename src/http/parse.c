/* parse.c - request parsers (see parse.h): urlencoded forms and query strings,
 * Content-Type headers and JSON bodies, all turned into one `struct
 * http_form`, and the header grammar multipart.c shares (parse_internal.h).
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
#include "http/multipart.h"
#include "http/parse_internal.h"

enum {
    /* RFC 6838 §4.2: type and subtype names are at most 127 characters each;
     * plus the '/' and the NUL. */
    MEDIA_TYPE_SIZE = 127 + 1 + 127 + 1,
    /* No endpoint takes more than a few levels of nesting; the bound keeps
     * jansson's recursive parser and json_decref shallow on thread stacks
     * (jansson's own limit, 2048, is far deeper than we need). */
    JSON_MAX_DEPTH = 64,
};

/* ---- small helpers ---------------------------------------------------- */

/* jansson reports allocation failure by returning NULL or -1; the arena's
 * policy applies: there is nothing sensible a handler could do. */
static _Noreturn void out_of_memory(void)
{
    fputs("hearth: out of memory\n", stderr);
    abort();
}

static void decref(void *p) { json_decref(p); }

/* A new empty object whose reference the arena owns. */
json_t *http_arena_object(struct arena *a)
{
    json_t *obj = json_object();
    if (!obj)
        out_of_memory();
    arena_defer(a, decref, obj);
    return obj;
}

/* Sets obj[key] to a new string; both were validated by http_text_ok(). */
void http_set_string(json_t *obj, const char *key, size_t key_len, const char *value, size_t value_len)
{
    json_t *s = json_stringn_nocheck(value, value_len);
    if (!s || json_object_setn_new_nocheck(obj, key, key_len, s) != 0)
        out_of_memory();
}

static unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c; }

/* Case-insensitive comparison of a byte range with a lowercase literal. */
bool http_equals_lower(const unsigned char *s, size_t n, const char *lower)
{
    if (strlen(lower) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(s[i]) != (unsigned char)lower[i])
            return false;
    return true;
}

/* ---- UTF-8 -------------------------------------------------------------- */

/* Strings handed to handlers: valid UTF-8 and no NUL, which C-string users
 * (handlers, SQLite bindings) would silently truncate at. */
bool http_text_ok(const void *s, size_t n) { return text_valid_utf8(s, n); }

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
    if (!form_decode(pair, raw_key_len, key, &key_len) ||
        !form_decode(eq ? eq + 1 : pair, raw_value_len, value, &value_len))
        return err_set(e, ERR_INVALID, "invalid", "Malformed percent-escape in form data.");
    if (key_len == 0)
        return err_set(e, ERR_INVALID, "invalid", "Empty field name in form data.");
    if (key_len > HTTP_MAX_NAME)
        return err_set(e, ERR_INVALID, "invalid", "Field name too long in form data.");
    if (!http_text_ok(key, key_len) || !http_text_ok(value, value_len))
        return err_set(e, ERR_INVALID, "invalid", "Form data is not valid UTF-8 text.");
    http_set_string(obj, key, key_len, value, value_len);
    return true;
}

/* Empty pairs ("a=1&&b=2", a trailing '&') are skipped, as Python's
 * parse_qsl does: clients that build URLs by appending "&k=v" produce them,
 * and they carry no key at all, unlike "=v" whose key is empty (rejected). */
bool http_parse_urlencoded(struct arena *a, const char *s, size_t len, json_t **out, struct err *e)
{
    json_t *obj = http_arena_object(a);
    size_t pairs = 0;
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - s) : len;
        if (end > i) {
            if (++pairs > HTTP_MAX_FIELDS)
                return err_set(e, ERR_INVALID, "invalid", "Too many fields in form data.");
            if (!add_pair(a, obj, s + i, end - i, e))
                return false;
        }
        i = end + 1;
    }
    *out = obj;
    return true;
}

/* ---- header grammar (RFC 9110 §5.6) ------------------------------------- */

static bool is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_qdtext(unsigned char c)
{
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E) || c >= 0x80;
}

static bool is_quotable(unsigned char c) { return c == '\t' || (c >= 0x20 && c <= 0x7E) || c >= 0x80; }

static bool at_end(const struct cursor *c) { return c->p == c->end; }

void http_skip_ows(struct cursor *c)
{
    while (!at_end(c) && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

bool http_take_char(struct cursor *c, unsigned char ch)
{
    if (at_end(c) || *c->p != ch)
        return false;
    c->p++;
    return true;
}

size_t http_take_token(struct cursor *c)
{
    const unsigned char *start = c->p;
    while (!at_end(c) && is_tchar(*c->p))
        c->p++;
    return (size_t)(c->p - start);
}

/* Skips a well-formed quoted-string (quotes included). */
static bool skip_quoted(struct cursor *c)
{
    if (!http_take_char(c, '"'))
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
int http_next_param(struct cursor *c, struct span *name, struct span *value)
{
    for (;;) {
        http_skip_ows(c);
        if (at_end(c))
            return 0;
        if (!http_take_char(c, ';'))
            return -1;
        http_skip_ows(c);
        if (at_end(c))
            return 0;
        if (*c->p == ';')
            continue; /* an empty parameter, allowed by RFC 9110 */
        name->p = c->p;
        name->len = http_take_token(c);
        if (name->len == 0 || !http_take_char(c, '='))
            return -1;
        value->p = c->p;
        if (!at_end(c) && *c->p == '"') {
            if (!skip_quoted(c))
                return -1;
        } else if (http_take_token(c) == 0) {
            return -1;
        }
        value->len = (size_t)(c->p - value->p);
        return 1;
    }
}

/* Copies a parameter value from next_param into dst (room for cap + 1),
 * removing quotes and backslash escapes. False if longer than cap. */
bool http_unquote(struct span value, char *dst, size_t cap, size_t *dst_len)
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
bool http_boundary_valid(const char *b, size_t n)
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
    http_skip_ows(&c);
    const unsigned char *type = c.p;
    if (http_take_token(&c) == 0 || !http_take_char(&c, '/') || http_take_token(&c) == 0)
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
    while ((r = http_next_param(&c, &name, &value)) == 1) {
        if (!http_equals_lower(name.p, name.len, "boundary"))
            continue;
        size_t n;
        /* a repeated boundary is ambiguous: two parsers could disagree */
        if (have_boundary || !http_unquote(value, boundary, BOUNDARY_MAX, &n) || !http_boundary_valid(boundary, n))
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
    if (!text_utf8_valid(body, len))
        return err_set(e, ERR_INVALID, "parse_error", "JSON parse error - the body is not valid UTF-8.");
    if (json_too_deep(body, len))
        return err_set(e, ERR_INVALID, "parse_error", "JSON parse error - nesting too deep.");
    json_error_t error;
    json_t *value = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
    if (!value) {
        if (json_error_code(&error) == json_error_out_of_memory)
            out_of_memory();
        return err_set(e, ERR_INVALID, "parse_error",
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
    return err_set(e, ERR_MEDIA_TYPE, "unsupported_media_type", message);
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
            return err_set(e, ERR_INVALID, "invalid", "Multipart form parse error - missing boundary.");
        return http_parse_multipart(a, body, len, boundary, out, e);
    }
    return unsupported(a, mime, e);
}

bool http_parse_body(struct arena *a, const char *content_type, const unsigned char *body, size_t len,
                     struct http_form *out, struct err *e)
{
    *out = (struct http_form){0};
    if (len == 0) {
        out->fields = http_arena_object(a);
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
