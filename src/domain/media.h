/* media.h - uploaded images (avatar, cover): recognising them by their
 * bytes, storing them atomically in the media directory (--media-dir,
 * DATA_DIR/media by default; one directory several servers may share) with unguessable
 * names, reading them back for serving, and removing them.
 *
 * Names are MEDIA_NAME_HEX random hex characters plus the extension of the
 * detected type ("3f9c...e1.png"); only names of that exact shape are ever
 * opened or removed, so a stored name can never reach outside the media
 * directory. Thread-safe (no shared state).
 */
#ifndef HEARTH_DOMAIN_MEDIA_H
#define HEARTH_DOMAIN_MEDIA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

enum {
    MEDIA_MAX_BYTES = 5 << 20, /* one avatar or cover: 5 MiB (contract §5) */
    MEDIA_NAME_HEX = 32,       /* 128 random bits: names cannot be guessed */
    MEDIA_NAME_MAX = 48,       /* hex, dot, extension, NUL, with room */
};

enum media_type { MEDIA_NONE, MEDIA_PNG, MEDIA_JPEG, MEDIA_GIF, MEDIA_WEBP };

/* The image type of data[0..len) by its signature and first header bytes
 * (not by any name or declared type); MEDIA_NONE if it is none of the four. */
enum media_type media_detect(const unsigned char *data, size_t len);

/* "png", "jpg", "gif", "webp" / "image/png", ... ; NULL for MEDIA_NONE. */
const char *media_type_ext(enum media_type t);
const char *media_type_mime(enum media_type t);

/* Checks an upload for `field`: not empty, at most MEDIA_MAX_BYTES, one of
 * the four image types. On failure adds a field error (codes "empty",
 * "file_too_large", "invalid_image") and returns false. */
bool media_check_upload(const char *field, const unsigned char *data, size_t len, enum media_type *type, struct err *e);

/* Writes data to a new file <media_dir>/<random>.<ext>: a temporary
 * file in the same directory, fsync, rename, fsync of the directory, so a
 * crash leaves either no file or the whole file. *name (arena) is the file
 * name. 507 when the disk is full, 503 on a device error, 500 on other
 * I/O errors (details logged). */
bool media_save(struct arena *a, const char *media_dir, enum media_type t, const unsigned char *data, size_t len,
                const char **name, struct err *e);

/* Removes a stored file. Names not of the stored shape and files already
 * gone are ignored; other failures are logged. */
void media_remove(const char *media_dir, const char *name);

/* True if `name` has the shape of a stored file name; *t its type. */
bool media_name_valid(const char *name, enum media_type *t);

/* Reads a stored file for serving into a malloc'd buffer (caller frees).
 * Never follows a symbolic link (O_NOFOLLOW) and reads only regular files
 * of at most MEDIA_MAX_BYTES: whatever an operator's restore or a shared
 * volume put there otherwise is "no such file".
 * 1 found, 0 no such file (or an invalid name), -1 I/O error (e filled). */
int media_read(const char *media_dir, const char *name, unsigned char **data, size_t *len, struct err *e);

/* ================================================================ */
/* housekeeping                                                     */

enum {
    /* Only files at least this old are swept: an upload writes its file
     * before the row that references it commits, so a younger unreferenced
     * file may be an upload in flight. */
    MEDIA_SWEEP_MIN_AGE_S = 60 * 60,
};

struct media_sweep_stats {
    long orphans;     /* stored names no row references */
    long temporaries; /* temporary files of uploads that never finished */
    long removed;     /* of both, removed (when asked to) */
    long failed;      /* removals that failed (logged) */
};

struct store;

/* Finds, in media_dir, the files at least MEDIA_SWEEP_MIN_AGE_S old
 * that a crash left behind: temporary upload files, and stored names no
 * user row references (avatar, cover). Removes them when `remove`. Reads
 * the references from st (no transaction needed: a file referenced after
 * the read is younger than the age bound). Entries of any other name,
 * directories and referenced files are never touched. False (e filled) if
 * the references cannot be read; a missing media directory is empty. */
bool media_sweep(struct store *st, const char *media_dir, bool remove, struct media_sweep_stats *out, struct err *e);

#endif
