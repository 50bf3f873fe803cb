/* jwt_secret.c - the JWT secret file of the data directory (see
 * jwt_secret.h). */
#include "auth/jwt_secret.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/token.h"

static bool read_secret_file(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(out, (int)size, f) != NULL;
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return ok && strlen(out) >= JWT_SECRET_MIN_CHARS;
}

bool jwt_secret_prepare(const char *data_dir, char *secret, size_t size, char *msg, size_t msg_size)
{
    if (secret[0])
        return true;
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/jwt_secret", data_dir);
    if (read_secret_file(path, secret, size))
        return true;
    char fresh[2 * JWT_SECRET_BYTES + 1];
    token_random_hex(fresh, JWT_SECRET_BYTES);
    if (strlen(fresh) >= size) {
        snprintf(msg, msg_size, "no room for a JWT secret");
        return false;
    }
    /* written whole under a temporary name, then linked to its own: a
     * server starting at the same moment reads either no file or the
     * whole secret, never an empty one; link() refuses to replace */
    char tmp[PATH_MAX + 48], rnd[17];
    token_random_hex(rnd, 8);
    snprintf(tmp, sizeof tmp, "%s/.jwt_secret-%s", data_dir, rnd);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(msg, msg_size, "cannot write %s: %s", tmp, strerror(errno));
        return false;
    }
    bool ok = write(fd, fresh, strlen(fresh)) == (ssize_t)strlen(fresh) && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    int linked = ok ? link(tmp, path) : -1;
    int saved = errno;
    unlink(tmp);
    if (!ok) {
        snprintf(msg, msg_size, "cannot write %s", tmp);
        return false;
    }
    if (linked != 0) {
        /* another process won the race: its secret is the one */
        if (saved == EEXIST && read_secret_file(path, secret, size))
            return true;
        snprintf(msg, msg_size, "cannot write %s: %s", path, strerror(saved));
        return false;
    }
    strcpy(secret, fresh);
    return true;
}
