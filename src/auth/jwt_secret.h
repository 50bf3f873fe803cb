/* jwt_secret.h - the HS256 secret kept in the data directory, for servers
 * given none: generated once at first start, then read back at every start
 * so that the JWTs issued earlier stay valid.
 */
#ifndef HEARTH_AUTH_JWT_SECRET_H
#define HEARTH_AUTH_JWT_SECRET_H

#include <stdbool.h>
#include <stddef.h>

enum {
    JWT_SECRET_BYTES = 32,     /* random bytes of a generated secret (written as hex) */
    JWT_SECRET_MIN_CHARS = 16, /* a stored secret shorter than this is not used */
};

/* If `secret` (a buffer of `size` bytes) is empty, fills it with the secret
 * stored in <data_dir>/jwt_secret, or generates one and stores it there
 * (mode 0600; when another process wins the race to create the file, its
 * secret is used). A non-empty `secret` (configured) is left as it is. The
 * data directory must exist. Returns false with a message in `msg` when the
 * file cannot be written. Call at start, before threads exist. */
bool jwt_secret_prepare(const char *data_dir, char *secret, size_t size, char *msg, size_t msg_size);

#endif
