/* file.c - see file.h. */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/fault.h"
#include "core/log.h"

bool file_write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len) {
        ssize_t n = write(fd, c, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        c += n;
        len -= (size_t)n;
    }
    return true;
}

bool file_sync(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    int saved = errno;
    close(fd);
    errno = saved;
    return ok;
}

bool file_fail(struct err *e, const char *subject, const char *what, const char *path)
{
    int err = errno;
    if (err == ENOSPC || err == EDQUOT || err == EIO) {
        char detail[4096 + 128];
        snprintf(detail, sizeof detail, "%s %s %s: %s", subject, what, path, strerror(err));
        fault_log(subject, detail);
        return err == EIO ? err_unavailable(e) : err_storage_full(e);
    }
    log_error("%s: %s %s: %s", subject, what, path, strerror(err));
    return err_internal(e);
}
