/* spool.c - see spool.h. */
#define _GNU_SOURCE
#include "http/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int spool_open(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/.upload-XXXXXX", dir);
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

bool spool_write(int fd, const char *data, size_t n, size_t *len)
{
    while (n) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        data += w;
        n -= (size_t)w;
        *len += (size_t)w;
    }
    return true;
}

struct mapping {
    void *p;
    size_t len;
};

static void unmap(void *p)
{
    struct mapping *m = p;
    munmap(m->p, m->len);
}

const unsigned char *spool_map(struct arena *a, int fd, size_t len)
{
    if (!len)
        return (const unsigned char *)"";
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return NULL;
    struct mapping *m = arena_alloc(a, sizeof *m);
    *m = (struct mapping){p, len};
    arena_defer(a, unmap, m);
    return p;
}
