/* jwt.h - HS256 JSON Web Tokens, the kind djangorestframework-simplejwt and
 * the official client's generateJWTToken make.
 *
 * Pure functions over bytes; thread-safe once libsodium is initialised
 * (sodium_init() at start). No allocation escapes except where stated.
 */
#ifndef HEARTH_AUTH_JWT_H
#define HEARTH_AUTH_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    JWT_MAX_LEN = 4096, /* a bearer token longer than this is rejected unparsed */
};

struct jwt_claims {
    int64_t user_id;
    int64_t iat; /* seconds since the epoch */
    int64_t exp;
    char jti[65]; /* "" if absent; truncated to 64 bytes */
};

/* Verifies `token` (len bytes, not necessarily NUL-terminated) signed with
 * `secret`. Accepts it only if: three base64url parts; header is a JSON
 * object with "alg":"HS256" (any other alg, including "none", is refused;
 * "typ" if present must be "JWT"); the HMAC-SHA256 signature matches
 * (constant-time compare); the payload is a JSON object with
 * "token_type":"access", an integer "user_id" > 0 (a string of digits is
 * accepted too), an integer "exp" > now, and an integer "iat" (required).
 * On success fills *out and returns true. On failure returns false and sets
 * *why to a static English reason (for logs only, never for clients). */
bool jwt_verify(const char *token, size_t len, const unsigned char *secret, size_t secret_len, int64_t now,
                struct jwt_claims *out, const char **why);

/* Signs an access token with claims {token_type:"access", user_id, iat, exp,
 * jti} and header {"alg":"HS256","typ":"JWT"}. Returns a malloc'd
 * NUL-terminated string the caller frees, or NULL on out-of-memory. */
char *jwt_sign(int64_t user_id, int64_t iat, int64_t exp, const char *jti, const unsigned char *secret,
               size_t secret_len);

#endif
