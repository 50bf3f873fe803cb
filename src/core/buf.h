/* buf.h - a growable byte string (Git's strbuf, smaller). The bytes are
 * always NUL-terminated. Owned by the caller: free with buf_free(). Aborts
 * on out-of-memory. Not thread-safe (one buf, one thread). */
#ifndef HEARTH_CORE_BUF_H
#define HEARTH_CORE_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* NULL until the first append */
    size_t len, cap;
};

/* An empty buf: `struct buf b = BUF_INIT;` (all-zero is the same). */
#define BUF_INIT   \
    {              \
        NULL, 0, 0 \
    }

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
/* Room for n more bytes and the NUL: the address of the end, where the
 * caller writes before moving len forward (and writing the NUL). */
char *buf_reserve(struct buf *b, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the contents and keeps the memory for reuse. */
void buf_reset(struct buf *b);
/* Hands the bytes (NUL-terminated, malloc'd, never NULL) to the caller, who
 * frees them with free(); the buf is left empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Frees the memory; the buf is left empty and reusable. */
void buf_free(struct buf *b);

/* The contents as a C string ("" when empty); valid until the next append. */
static inline const char *buf_str(const struct buf *b) { return b->data ? b->data : ""; }

#endif
