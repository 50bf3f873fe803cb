/* parse.h - request parsers: query strings, form bodies, multipart, JSON.
 *
 * Every body encoding is parsed into one representation, `struct http_form`:
 * a jansson object of fields plus a list of uploaded files, so handlers never
 * care which encoding came (contract §1). All memory comes from the arena
 * given, or is owned by the arena through arena_defer (the jansson object), so
 * the caller frees nothing. These functions are pure and thread-safe, and
 * are fuzzed (fuzz/).
 */
#ifndef HEARTH_HTTP_PARSE_H
#define HEARTH_HTTP_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

/* Bounds with their reasons. */
enum {
    HTTP_MAX_FIELDS = 256,      /* fields in a query, form or multipart body: no endpoint needs more */
    HTTP_MAX_UPLOADS = 4,       /* file parts in one multipart body: avatar and cover */
    HTTP_MAX_PART_HEADERS = 16, /* header lines in one multipart part */
    HTTP_MAX_NAME = 256,        /* bytes of a field name or a file name */
};

struct http_upload {
    const char *field;         /* form field name, NUL-terminated */
    const char *filename;      /* as sent by the client ("" if none); never trusted */
    const char *content_type;  /* the part's Content-Type, or "" */
    const unsigned char *data; /* the bytes; points into the body buffer */
    size_t len;
};

struct http_form {
    json_t *fields; /* any JSON value for JSON bodies (handlers check for an object);
                       an object of strings for forms and multipart */
    struct http_upload uploads[HTTP_MAX_UPLOADS];
    size_t nuploads;
};

/* Parses an application/x-www-form-urlencoded string (also used for query
 * strings, without the leading '?') of `len` bytes into `out`, an object of
 * strings. '+' is a space; %XX is decoded; a key without '=' gets "". The last
 * value of a repeated key wins, as in Django's QueryDict.get. A value equal to
 * the literal `undefined` is kept (the caller decides; see http_query_get).
 * Fails with 400 (code "invalid") on a bad escape, invalid UTF-8 after
 * decoding, an empty key, or more than HTTP_MAX_FIELDS pairs.
 * On success *out is a new object owned by the arena. */
bool http_parse_urlencoded(struct arena *a, const char *s, size_t len, json_t **out, struct err *e);

/* Splits a Content-Type header value into its lowercased media type (no
 * parameters) and, if present, the `boundary` parameter (quotes removed).
 * `mime` gets at most mime_size-1 bytes, `boundary` at most 70 (RFC 2046)
 * plus NUL; boundary is "" when absent. Returns false if the header is
 * malformed (no '/', overlong). */
bool http_parse_content_type(const char *header, char *mime, size_t mime_size, char boundary[71]);

/* Parses a request body according to its Content-Type header (may be NULL).
 * - empty body (len 0), whatever the type: an empty object (contract §1);
 * - application/json: jansson with JSON_REJECT_DUPLICATES; must be valid
 *   UTF-8; any JSON value is accepted (handlers check they got an object);
 *   400 code "parse_error" on malformed JSON;
 * - application/x-www-form-urlencoded: http_parse_urlencoded;
 * - multipart/form-data: http_parse_multipart, multipart.h (400 if no boundary);
 * - anything else with a non-empty body: 415 code "unsupported_media_type".
 * The resulting `fields` is owned by the arena. */
bool http_parse_body(struct arena *a, const char *content_type, const unsigned char *body, size_t len,
                     struct http_form *out, struct err *e);

/* Interprets a form/query boolean: "1","true","True" -> true; "0","false",
 * "False" -> false. JSON true/false also accepted. Returns false if `v` is
 * none of these (then *out is untouched). */
bool http_parse_bool(const json_t *v, bool *out);

#endif
