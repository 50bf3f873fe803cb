/* spool.h - upload bodies held in a file rather than in memory.
 *
 * Multipart uploads are written to an unnamed temporary file in the media
 * directory (O_TMPFILE: nothing is left behind by a crash), and mapped
 * read-only for parsing once complete: the pages are the file's, which the
 * kernel can drop, not the server's heap. */
#ifndef HEARTH_HTTP_SPOOL_H
#define HEARTH_HTTP_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* An unnamed file in `dir` open for reading and writing; -1 with errno. */
int spool_open(const char *dir);

/* Appends data[0..n) to the file, adding the bytes written to *len; false
 * with errno on a failed write. */
bool spool_write(int fd, const char *data, size_t n, size_t *len);

/* The file's first `len` bytes, mapped read-only until the arena is freed;
 * NULL with errno on failure. */
const unsigned char *spool_map(struct arena *a, int fd, size_t len);

#endif
