/* token.c - opaque OAuth tokens (see token.h): random generation, the
 * BLAKE2b-256 hash that is all the database ever stores, random hex secrets
 * and constant-time comparison, over libsodium. */
#include "auth/token.h"

#include <sodium.h>

enum {
    TOKEN_B64_VARIANT = sodium_base64_VARIANT_URLSAFE_NO_PADDING,
    /* token_random_hex draws this many bytes at a time, whatever n is */
    TOKEN_RANDOM_CHUNK = 32,
};

_Static_assert(sodium_base64_ENCODED_LEN(TOKEN_BYTES, TOKEN_B64_VARIANT) == TOKEN_STR_LEN + 1,
               "TOKEN_STR_LEN is base64url of TOKEN_BYTES without padding");
_Static_assert(TOKEN_HASH_HEX == 2 * TOKEN_HASH_BYTES, "hex doubles the length");
_Static_assert(TOKEN_HASH_BYTES >= crypto_generichash_BYTES_MIN && TOKEN_HASH_BYTES <= crypto_generichash_BYTES_MAX,
               "a BLAKE2b output size");

void token_generate(char out[TOKEN_STR_LEN + 1])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_STR_LEN + 1, raw, sizeof raw, TOKEN_B64_VARIANT);
    sodium_memzero(raw, sizeof raw);
}

void token_hash_hex(const char *token, size_t len, char out[TOKEN_HASH_HEX + 1])
{
    unsigned char hash[TOKEN_HASH_BYTES];
    /* an absent token hashes as the empty string rather than crashing */
    const unsigned char *in = token ? (const unsigned char *)token : (const unsigned char *)"";
    crypto_generichash(hash, sizeof hash, in, token ? len : 0, NULL, 0);
    sodium_bin2hex(out, TOKEN_HASH_HEX + 1, hash, sizeof hash);
}

void token_random_hex(char *out, size_t n)
{
    unsigned char raw[TOKEN_RANDOM_CHUNK];
    out[0] = '\0';
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof raw ? n - done : sizeof raw;
        randombytes_buf(raw, k);
        /* each call writes 2k digits and a NUL, which the next overwrites */
        sodium_bin2hex(out + 2 * done, 2 * k + 1, raw, k);
        done += k;
    }
    sodium_memzero(raw, sizeof raw);
}

bool token_equal(const void *a, const void *b, size_t len) { return sodium_memcmp(a, b, len) == 0; }
