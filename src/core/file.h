/* file.h - the file operations several subjects share (media, data
 * exports, mail files, backups): writing a whole buffer, making a file or a
 * directory's entries durable, and reporting a failed operation. */
#ifndef HEARTH_CORE_FILE_H
#define HEARTH_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Writes p[0..len) to fd, retrying short writes and EINTR; false with errno
 * on failure. */
bool file_write_all(int fd, const void *p, size_t len);

/* fsync of the file or directory at path (for a directory: the renames and
 * unlinks in it); false with errno on failure. */
bool file_sync(const char *path);

/* Reports a failed file operation of `subject` (errno set): a full disk is
 * 507 storage_full and a device error 503 (both logged once per interval,
 * core/fault.h), anything else 500 (logged). Returns false. */
bool file_fail(struct err *e, const char *subject, const char *what, const char *path);

#endif
