/* json_write.c - see json_write.h. */
#include "core/json_write.h"

#include <stdint.h>
#include <string.h>

#include "core/text.h"

static void put(struct buf *b, const char *s, size_t n)
{
    memcpy(buf_reserve(b, n), s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Room for n more bytes and the NUL, without a call when there is. */
static inline char *room(struct buf *b, size_t n)
{
    return b->data && b->cap - b->len > n ? b->data + b->len : buf_reserve(b, n);
}

static void put_int(struct buf *b, json_int_t v)
{
    char *w = room(b, 21);  /* "-9223372036854775808" */
    if (v >= 0 && v < 10) { /* most counters */
        w[0] = (char)('0' + v);
        b->len++;
        b->data[b->len] = '\0';
        return;
    }
    char tmp[24];
    char *end = tmp + sizeof tmp, *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(end - p);
    memcpy(w, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* The escape jansson writes for a byte below 0x20, '"' or '\\'. */
static size_t escape(unsigned char c, char out[6])
{
    static const char hex[] = "0123456789ABCDEF";
    out[0] = '\\';
    switch (c) {
    case '"': out[1] = '"'; return 2;
    case '\\': out[1] = '\\'; return 2;
    case '\b': out[1] = 'b'; return 2;
    case '\f': out[1] = 'f'; return 2;
    case '\n': out[1] = 'n'; return 2;
    case '\r': out[1] = 'r'; return 2;
    case '\t': out[1] = 't'; return 2;
    default:
        memcpy(out + 1, "u00", 3);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
}

/* Nonzero when one of the 8 bytes in x is below 0x20, '"', '\\' or not
 * ASCII (the "has less than" and "has zero byte" tests: exact for whether
 * any byte matches, which is all that is asked). */
static inline uint64_t needs_care(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    return ((x - 0x20 * ones) | ((x ^ ('"' * ones)) - ones) | ((x ^ ('\\' * ones)) - ones) | x) & high;
}

/* Per byte: 0 copied as it is, 1 escaped (below 0x20, '"', '\\'), 2 not
 * ASCII (copied; the string is then checked for UTF-8). */
static const unsigned char byte_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static bool put_string(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    unsigned seen = 0; /* the classes of the bytes copied as they are */
    /* the worst case, every byte escaped as \u00XX, bounds the room needed */
    char *w = room(b, 6 * n + 2);
    *w++ = '"';
    while (p < end) {
        /* plain ASCII, 8 bytes at a time */
        while (end - p >= 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            if (needs_care(x))
                break;
            memcpy(w, p, 8);
            w += 8;
            p += 8;
        }
        /* the word that holds something else (or the tail), byte by byte */
        const unsigned char *stop = end - p > 8 ? p + 8 : end;
        while (p < stop) {
            unsigned char c = *p++;
            unsigned k = byte_class[c];
            if (k != 1) {
                seen |= k;
                *w++ = (char)c;
            } else {
                w += escape(c, w);
            }
        }
    }
    *w++ = '"';
    if (seen && !text_utf8_valid(s, n)) {
        b->data[b->len] = '\0'; /* nothing appended */
        return false;
    }
    b->len = (size_t)(w - b->data);
    b->data[b->len] = '\0';
    return true;
}

/* jansson's own text of a real (its precision rules), copied. */
static bool put_real(struct buf *b, const json_t *v)
{
    char tmp[100];
    size_t n = json_dumpb(v, tmp, sizeof tmp, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!n || n > sizeof tmp)
        return false;
    put(b, tmp, n);
    return true;
}

static bool write_value(struct buf *b, const json_t *v, int depth)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_NULL: put(b, "null", 4); return true;
    case JSON_TRUE: put(b, "true", 4); return true;
    case JSON_FALSE: put(b, "false", 5); return true;
    case JSON_INTEGER: put_int(b, json_integer_value(v)); return true;
    case JSON_REAL: return put_real(b, v);
    case JSON_STRING: return put_string(b, json_string_value(v), json_string_length(v));
    case JSON_ARRAY: {
        if (depth >= JSON_WRITE_MAX_DEPTH)
            return false;
        put(b, "[", 1);
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++) {
            if (i)
                put(b, ",", 1);
            if (!write_value(b, json_array_get(v, i), depth + 1))
                return false;
        }
        put(b, "]", 1);
        return true;
    }
    case JSON_OBJECT: {
        if (depth >= JSON_WRITE_MAX_DEPTH)
            return false;
        put(b, "{", 1);
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
            if (!first)
                put(b, ",", 1);
            first = false;
            if (!put_string(b, json_object_iter_key(it), json_object_iter_key_len(it)))
                return false;
            put(b, ":", 1);
            if (!write_value(b, json_object_iter_value(it), depth + 1))
                return false;
        }
        put(b, "}", 1);
        return true;
    }
    }
    return false;
}

bool json_write(struct buf *out, const json_t *v) { return write_value(out, v, 0); }

bool json_write_string(struct buf *out, const char *s, size_t n) { return put_string(out, s, n); }

void json_write_int(struct buf *out, json_int_t v) { put_int(out, v); }
