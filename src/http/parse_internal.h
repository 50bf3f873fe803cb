/* parse_internal.h - what the body parsers share (parse.c defines it,
 * multipart.c uses it): building the fields object, the text check, and
 * the header grammar of RFC 9110 §5.6 over bounded byte ranges. Not for
 * use outside src/http. */
#ifndef HEARTH_HTTP_PARSE_INTERNAL_H
#define HEARTH_HTTP_PARSE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* RFC 2046 §5.1.1: a multipart boundary is 1 to 70 characters. */
enum { BOUNDARY_MAX = 70 };

/* A bounded read position over header bytes. */
struct cursor {
    const unsigned char *p, *end;
};

struct span {
    const unsigned char *p;
    size_t len;
};

/* A new empty object whose reference the arena owns. */
json_t *http_arena_object(struct arena *a);

/* Sets obj[key] to a new string; both must have passed http_text_ok. */
void http_set_string(json_t *obj, const char *key, size_t key_len, const char *value, size_t value_len);

/* Valid UTF-8 without NUL: what every string handed to handlers must be. */
bool http_text_ok(const void *s, size_t n);

/* Case-insensitive comparison of a byte range with a lowercase literal. */
bool http_equals_lower(const unsigned char *s, size_t n, const char *lower);

/* RFC 2046 §5.1.1 bchars, 1 to BOUNDARY_MAX of them, no trailing space. */
bool http_boundary_valid(const char *b, size_t n);

/* Header grammar: optional whitespace, one character, a token (its length,
 * 0 if none). */
void http_skip_ows(struct cursor *c);
bool http_take_char(struct cursor *c, unsigned char ch);
size_t http_take_token(struct cursor *c);

/* The next parameter of `*( OWS ";" OWS [ name "=" value ] )`, value a
 * token or a quoted-string kept raw. 1 with a parameter, 0 at the end, -1
 * if malformed. */
int http_next_param(struct cursor *c, struct span *name, struct span *value);

/* Copies a parameter value into dst (room for cap + 1), removing quotes
 * and backslash escapes. False if longer than cap. */
bool http_unquote(struct span value, char *dst, size_t cap, size_t *dst_len);

#endif
