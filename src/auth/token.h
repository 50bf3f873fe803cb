/* token.h - opaque OAuth tokens: generation and hashing.
 *
 * A token is 32 random bytes (256 bits) encoded base64url without padding
 * (43 characters). Only its BLAKE2b-256 hash is ever stored. Thread-safe.
 */
#ifndef HEARTH_AUTH_TOKEN_H
#define HEARTH_AUTH_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

enum {
    TOKEN_BYTES = 32,
    TOKEN_STR_LEN = 43, /* base64url of 32 bytes, no padding */
    TOKEN_HASH_BYTES = 32,
    TOKEN_HASH_HEX = 64,
};

/* Writes a fresh random token and its NUL into `out`. */
void token_generate(char out[TOKEN_STR_LEN + 1]);

/* BLAKE2b-256 of the token's bytes as lowercase hex plus NUL. */
void token_hash_hex(const char *token, size_t len, char out[TOKEN_HASH_HEX + 1]);

/* A random secret of `n` bytes as lowercase hex (2n chars + NUL) into out. */
void token_random_hex(char *out, size_t n);

/* Constant-time equality of two byte strings of the same length. */
bool token_equal(const void *a, const void *b, size_t len);

#endif
