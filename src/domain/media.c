/* media.c - uploaded images: detection by content, atomic storage under
 * the media directory, reading and removal (see media.h). */
#define _GNU_SOURCE
#include "domain/media.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/token.h"
#include "core/fault.h"
#include "core/file.h"
#include "core/log.h"
#include "store/store.h"

enum {
    MEDIA_PATH_MAX = PATH_MAX + 64, /* the media directory, "/", a name */
    MEDIA_TEMP_HEX = 16,            /* random part of a temporary file name */
};

/* ================================================================ */
/* detection                                                        */

static bool starts_with(const unsigned char *data, size_t len, size_t at, const char *sig, size_t n)
{
    return len >= at + n && memcmp(data + at, sig, n) == 0;
}

enum media_type media_detect(const unsigned char *data, size_t len)
{
    /* PNG: signature, then the IHDR chunk (length 13) with a non-zero size */
    if (starts_with(data, len, 0, "\x89PNG\r\n\x1a\n", 8) && starts_with(data, len, 8, "\0\0\0\x0dIHDR", 8) &&
        len >= 33) {
        bool zero_w = !memcmp(data + 16, "\0\0\0\0", 4), zero_h = !memcmp(data + 20, "\0\0\0\0", 4);
        return zero_w || zero_h ? MEDIA_NONE : MEDIA_PNG;
    }
    /* JPEG: SOI then the first marker's 0xFF */
    if (starts_with(data, len, 0, "\xff\xd8\xff", 3) && len >= 4)
        return MEDIA_JPEG;
    /* GIF: header and the 7-byte logical screen descriptor */
    if ((starts_with(data, len, 0, "GIF87a", 6) || starts_with(data, len, 0, "GIF89a", 6)) && len >= 13)
        return MEDIA_GIF;
    /* WebP: a RIFF container of form WEBP whose first chunk is a VP8 kind */
    if (starts_with(data, len, 0, "RIFF", 4) && starts_with(data, len, 8, "WEBP", 4) &&
        (starts_with(data, len, 12, "VP8 ", 4) || starts_with(data, len, 12, "VP8L", 4) ||
         starts_with(data, len, 12, "VP8X", 4)) &&
        len >= 20)
        return MEDIA_WEBP;
    return MEDIA_NONE;
}

static const struct {
    enum media_type type;
    const char *ext, *mime;
} media_types[] = {
    {MEDIA_PNG, "png", "image/png"},
    {MEDIA_JPEG, "jpg", "image/jpeg"},
    {MEDIA_GIF, "gif", "image/gif"},
    {MEDIA_WEBP, "webp", "image/webp"},
};
enum { MEDIA_TYPE_COUNT = sizeof media_types / sizeof media_types[0] };

const char *media_type_ext(enum media_type t)
{
    for (int i = 0; i < MEDIA_TYPE_COUNT; i++)
        if (media_types[i].type == t)
            return media_types[i].ext;
    return NULL;
}

const char *media_type_mime(enum media_type t)
{
    for (int i = 0; i < MEDIA_TYPE_COUNT; i++)
        if (media_types[i].type == t)
            return media_types[i].mime;
    return NULL;
}

bool media_check_upload(const char *field, const unsigned char *data, size_t len, enum media_type *type, struct err *e)
{
    if (len == 0)
        return err_field(e, field, "empty", "The submitted file is empty.");
    if (len > MEDIA_MAX_BYTES)
        return err_field(e, field, "file_too_large", "The file is too large: at most 5 MiB.");
    *type = media_detect(data, len);
    if (*type == MEDIA_NONE)
        return err_field(e, field, "invalid_image",
                         "Upload a valid image (PNG, JPEG, GIF or WebP). The file you uploaded was either not an "
                         "image or a corrupted image.");
    return true;
}

bool media_name_valid(const char *name, enum media_type *t)
{
    if (!name)
        return false;
    for (int i = 0; i < MEDIA_NAME_HEX; i++) {
        char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    if (name[MEDIA_NAME_HEX] != '.')
        return false;
    const char *ext = name + MEDIA_NAME_HEX + 1;
    for (int i = 0; i < MEDIA_TYPE_COUNT; i++)
        if (!strcmp(ext, media_types[i].ext)) {
            if (t)
                *t = media_types[i].type;
            return true;
        }
    return false;
}

/* ================================================================ */
/* files                                                            */

static bool dir_copy(const char *media_dir, char *out, size_t size)
{
    int n = snprintf(out, size, "%s", media_dir);
    return n > 0 && (size_t)n < size;
}

static bool write_all(int fd, const unsigned char *p, size_t len)
{
    enum fault_kind fault = fault_injected(); /* tests only */
    if (fault != FAULT_NONE) {
        errno = fault == FAULT_FULL ? ENOSPC : EIO;
        return false;
    }
    return file_write_all(fd, p, len);
}

bool media_save(struct arena *a, const char *media_dir, enum media_type t, const unsigned char *data, size_t len,
                const char **name, struct err *e)
{
    const char *ext = media_type_ext(t);
    char dir[MEDIA_PATH_MAX], tmp[MEDIA_PATH_MAX], final[MEDIA_PATH_MAX];
    char rnd[MEDIA_NAME_HEX + 1], trnd[MEDIA_TEMP_HEX * 2 + 1];
    if (!ext || !dir_copy(media_dir, dir, sizeof dir))
        return err_internal(e);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return file_fail(e, "media", "cannot create", dir);
    token_random_hex(rnd, MEDIA_NAME_HEX / 2);
    token_random_hex(trnd, MEDIA_TEMP_HEX);
    /* the leading dot keeps temporary files out of media_name_valid's shape */
    int n1 = snprintf(tmp, sizeof tmp, "%s/.tmp-%s", dir, trnd);
    int n2 = snprintf(final, sizeof final, "%s/%s.%s", dir, rnd, ext);
    if (n1 < 0 || (size_t)n1 >= sizeof tmp || n2 < 0 || (size_t)n2 >= sizeof final)
        return err_internal(e);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return file_fail(e, "media", "cannot create", tmp);
    bool ok = write_all(fd, data, len) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    /* RENAME_NOREPLACE: never overwrite an existing file, however unlikely
     * 128 random bits are to collide */
    if (ok && renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) != 0) {
        /* file systems without RENAME_NOREPLACE: link() also refuses to
         * replace, and is as atomic */
        ok = (errno == EINVAL || errno == ENOSYS) && link(tmp, final) == 0;
        if (ok)
            unlink(tmp);
    }
    if (!ok) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
        return file_fail(e, "media", "cannot store", final);
    }
    if (!file_sync(dir))
        log_error("media: cannot sync %s: %s", dir, strerror(errno));
    *name = arena_printf(a, "%s.%s", rnd, ext);
    return true;
}

void media_remove(const char *media_dir, const char *name)
{
    char dir[MEDIA_PATH_MAX], path[MEDIA_PATH_MAX];
    if (!media_name_valid(name, NULL) || !dir_copy(media_dir, dir, sizeof dir))
        return;
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return;
    if (unlink(path) != 0 && errno != ENOENT)
        log_error("media: cannot remove %s: %s", path, strerror(errno));
}

int media_read(const char *media_dir, const char *name, unsigned char **data, size_t *len, struct err *e)
{
    char dir[MEDIA_PATH_MAX], path[MEDIA_PATH_MAX];
    if (!media_name_valid(name, NULL) || !dir_copy(media_dir, dir, sizeof dir))
        return 0;
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return 0;
    /* O_NOFOLLOW: a symbolic link (ELOOP) is not a stored file */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)
            return 0;
        log_error("media: cannot open %s: %s", path, strerror(errno));
        err_internal(e);
        return -1;
    }
    struct stat sb;
    unsigned char *buf = NULL;
    size_t got = 0;
    if (fstat(fd, &sb) != 0)
        goto fail;
    /* only regular files media_save wrote belong here: a directory, a
     * device, a FIFO (O_NONBLOCK: opening it did not wait) or anything
     * larger is not a stored file */
    if (!S_ISREG(sb.st_mode) || sb.st_size > MEDIA_MAX_BYTES) {
        close(fd);
        return 0;
    }
    buf = malloc(sb.st_size > 0 ? (size_t)sb.st_size : 1);
    if (!buf)
        goto fail;
    while (got < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            goto fail;
        got += (size_t)r;
    }
    close(fd);
    *data = buf;
    *len = got;
    return 1;
fail:
    log_error("media: cannot read %s", path);
    free(buf);
    close(fd);
    err_internal(e);
    return -1;
}

/* ================================================================ */
/* housekeeping                                                     */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool media_sweep(struct store *st, const char *media_dir, bool remove, struct media_sweep_stats *out, struct err *e)
{
    *out = (struct media_sweep_stats){0};
    char dir[MEDIA_PATH_MAX];
    if (!dir_copy(media_dir, dir, sizeof dir))
        return err_internal(e);
    struct arena *a = arena_new();
    const char **referenced = NULL;
    size_t nreferenced = 0;
    if (!a)
        return err_internal(e);
    if (!store_media_referenced(st, a, &referenced, &nreferenced, e)) {
        arena_free(a);
        return false;
    }
    DIR *d = opendir(dir);
    if (!d) {
        arena_free(a);
        if (errno == ENOENT)
            return true;
        log_error("media: cannot list %s: %s", dir, strerror(errno));
        return err_internal(e);
    }
    time_t now = time(NULL);
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        const char *name = ent->d_name;
        bool temporary = !strncmp(name, ".tmp-", 5);
        if (!temporary && !media_name_valid(name, NULL))
            continue; /* not ours: leave it */
        struct stat sb;
        if (fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(sb.st_mode) ||
            now - sb.st_mtime < MEDIA_SWEEP_MIN_AGE_S)
            continue;
        if (!temporary && bsearch(&name, referenced, nreferenced, sizeof *referenced, compare_names))
            continue;
        if (temporary)
            out->temporaries++;
        else
            out->orphans++;
        if (!remove)
            continue;
        if (unlinkat(dirfd(d), name, 0) == 0 || errno == ENOENT) {
            out->removed++;
        } else {
            out->failed++;
            log_error("media: cannot remove %s/%s: %s", dir, name, strerror(errno));
        }
    }
    closedir(d);
    arena_free(a);
    return true;
}
