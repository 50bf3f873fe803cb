/* json_write.h - compact JSON text of a jansson value, written straight
 * into a buf: the bytes jansson's json_dump_callback writes with
 * JSON_COMPACT | JSON_ENCODE_ANY (the differential fuzz target
 * fuzz/fuzz_json_write.c holds it to that), at a fraction of the cost: no
 * callback per token, no printf per integer, no hash-table insertion per
 * array or object to look for cycles (values built by hearth have none;
 * nesting is bounded instead). */
#ifndef HEARTH_CORE_JSON_WRITE_H
#define HEARTH_CORE_JSON_WRITE_H

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "core/buf.h"

enum { JSON_WRITE_MAX_DEPTH = 64 };

/* Appends the text of v to out. False (out holding a partial text) when v
 * nests deeper than JSON_WRITE_MAX_DEPTH or holds a string that is not
 * UTF-8 (jansson's dump fails on those too). */
bool json_write(struct buf *out, const json_t *v);

/* The pieces, for renderers that write an object without building it: a
 * string s[0..n) (false, with nothing appended, when it is not UTF-8) and
 * an integer. */
bool json_write_string(struct buf *out, const char *s, size_t n);
void json_write_int(struct buf *out, json_int_t v);

/* Appends n bytes; inlined, so a literal's copy is a few moves when the
 * buffer has room (it grows in buf_append otherwise). */
static inline void json_put_bytes(struct buf *b, const char *s, size_t n)
{
    if (b->data && b->cap - b->len > n) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else {
        buf_append(b, s, n);
    }
}

/* A literal of known length: no strlen per key. */
#define JSON_PUT_LITERAL(b, s) json_put_bytes((b), (s), sizeof(s) - 1)

/* An integer; one digit without a call when the buffer has room. */
static inline void json_put_int(struct buf *b, json_int_t v)
{
    if (v >= 0 && v < 10 && b->data && b->cap - b->len > 1) {
        b->data[b->len++] = (char)('0' + v);
        b->data[b->len] = '\0';
    } else {
        json_write_int(b, v);
    }
}

/* A string value; one that is not UTF-8 (only a hand-edited database holds
 * such) is written as "", so the document stays valid. */
static inline void json_put_str(struct buf *b, const char *s)
{
    if (!json_write_string(b, s ? s : "", s ? strlen(s) : 0))
        json_put_bytes(b, "\"\"", 2);
}

static inline void json_put_str_or_null(struct buf *b, const char *s)
{
    if (s)
        json_put_str(b, s);
    else
        json_put_bytes(b, "null", 4);
}

static inline void json_put_bool(struct buf *b, bool v) { json_put_bytes(b, v ? "true" : "false", v ? 4 : 5); }

#endif
