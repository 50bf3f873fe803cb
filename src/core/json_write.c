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

static void put_int(struct buf *b, json_int_t v)
{
    char tmp[24];
    char *end = tmp + sizeof tmp, *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    put(b, p, (size_t)(end - p));
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

static bool put_string(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    bool ascii = true;
    /* the worst case, every byte escaped as \u00XX, bounds the room needed */
    char *w = buf_reserve(b, 6 * n + 2);
    *w++ = '"';
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p != '"' && *p != '\\') {
            ascii &= *p < 0x80;
            p++;
        }
        memcpy(w, run, (size_t)(p - run));
        w += p - run;
        if (p < end)
            w += escape(*p++, w);
    }
    *w++ = '"';
    if (!ascii && !text_utf8_valid(s, n))
        return false;
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
