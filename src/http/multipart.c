/* multipart.c - multipart/form-data (RFC 7578, RFC 2046 §5.1): one linear
 * pass over a complete body (in memory or a mapped upload file), bounded by
 * explicit lengths; the body is not NUL-terminated. Part headers use the
 * shared header grammar (parse_internal.h).
 */
#define _GNU_SOURCE /* memmem */
#include "http/multipart.h"

#include <stdint.h>
#include <string.h>

#include "http/parse_internal.h"

/* CRLF "--" boundary: the delimiter that ends every multipart part. */
enum { DELIMITER_MAX = 4 + BOUNDARY_MAX };

static const char DASH_DASH[] = "--";
static const char CRLF[] = "\r\n";

static bool has_prefix(const unsigned char *s, size_t n, const char *prefix, size_t prefix_len)
{
    return n >= prefix_len && memcmp(s, prefix, prefix_len) == 0;
}

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
    return err_set(m->e, ERR_INVALID, "invalid", message);
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
    size_t name_len = http_take_token(&c);
    if (name_len == 0 || !http_take_char(&c, ':'))
        return multipart_error(m, "Malformed header in a multipart part.");
    http_skip_ows(&c);
    const unsigned char *value_end = c.end;
    while (value_end > c.p && (value_end[-1] == ' ' || value_end[-1] == '\t'))
        value_end--;
    for (const unsigned char *p = c.p; p < value_end; p++)
        if (*p != '\t' && (*p < 0x20 || *p == 0x7F))
            return multipart_error(m, "Control character in a multipart header.");
    struct span value = {c.p, (size_t)(value_end - c.p)};
    struct span *slot = NULL;
    if (http_equals_lower(line, name_len, "content-disposition"))
        slot = &h->disposition;
    else if (http_equals_lower(line, name_len, "content-type"))
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
static bool read_part_headers(struct multipart *m, size_t start, size_t end, struct part_headers *h, size_t *body_start)
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
    if (!http_equals_lower(type, http_take_token(&c), "form-data"))
        return multipart_error(m, "A multipart part is not form-data.");
    struct span name, value;
    int r;
    while ((r = http_next_param(&c, &name, &value)) == 1) {
        bool is_name = http_equals_lower(name.p, name.len, "name");
        bool is_filename = http_equals_lower(name.p, name.len, "filename");
        if (!is_name && !is_filename)
            continue;
        bool *seen = is_name ? &d->has_name : &d->has_filename;
        char *dst = is_name ? d->name : d->filename;
        size_t *dst_len = is_name ? &d->name_len : &d->filename_len;
        if (*seen)
            return multipart_error(m, "Repeated parameter in Content-Disposition.");
        if (!http_unquote(value, dst, HTTP_MAX_NAME, dst_len))
            return multipart_error(m, "Field name or file name too long.");
        if (!http_text_ok(dst, *dst_len))
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
    if (!http_text_ok(data, len))
        return multipart_error(m, "A multipart text field is not valid UTF-8.");
    http_set_string(m->out->fields, d.name, d.name_len, (const char *)data, len);
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
        return err_set(e, ERR_INVALID, "invalid", "Empty multipart body.");
    size_t boundary_len = boundary ? strnlen(boundary, BOUNDARY_MAX + 1) : 0;
    if (!http_boundary_valid(boundary ? boundary : "", boundary_len))
        return err_set(e, ERR_INVALID, "invalid", "Invalid multipart boundary.");
    struct multipart m = {.a = a, .body = body, .len = len, .out = out, .e = e};
    memcpy(m.delimiter, CRLF, 2);
    memcpy(m.delimiter + 2, DASH_DASH, 2);
    memcpy(m.delimiter + 4, boundary, boundary_len);
    m.delimiter_len = 4 + boundary_len;
    out->fields = http_arena_object(a);
    if (parse_multipart(&m))
        return true;
    *out = (struct http_form){0};
    return false;
}
