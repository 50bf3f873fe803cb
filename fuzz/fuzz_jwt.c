/* fuzz_jwt.c - libFuzzer target for auth/jwt.c.
 *
 * Random bytes almost never carry a valid HMAC, so on their own they only
 * reach the splitting, base64 and header code. The first input byte therefore
 * picks a mode: feed the rest as a raw token, or as the header or payload
 * JSON of a token this harness signs correctly, which drives the claim
 * checks too. Accepted tokens must satisfy the invariants jwt.h promises.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"

static const unsigned char FUZZ_SECRET[] = "fuzz-secret";
enum {
    FUZZ_SECRET_LEN = sizeof FUZZ_SECRET - 1,
    FUZZ_NOW = 1700000000,
    FUZZ_MODE_RAW = 0,
    FUZZ_MODE_HEADER = 1,
    FUZZ_MODE_PAYLOAD = 2,
    FUZZ_MODES = 3,
};

static const char FUZZ_HEADER[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
static const char FUZZ_PAYLOAD[] = "{\"token_type\":\"access\",\"user_id\":1,\"iat\":1,\"exp\":1800000000}";

static void fuzz_check(const char *tok, size_t len)
{
    struct jwt_claims c;
    const char *why = NULL;
    if (jwt_verify(tok, len, FUZZ_SECRET, FUZZ_SECRET_LEN, FUZZ_NOW, &c, &why)) {
        if (c.user_id <= 0 || c.exp <= FUZZ_NOW || strlen(c.jti) >= sizeof c.jti)
            abort();
    } else if (!why) {
        abort();
    }
}

static char *fuzz_b64(const void *bin, size_t n)
{
    size_t room = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *s = malloc(room);
    if (s)
        sodium_bin2base64(s, room, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return s;
}

/* header.payload signed with the fuzz secret, then verified */
static void fuzz_signed(const void *header, size_t header_len, const void *payload, size_t payload_len)
{
    char *h = fuzz_b64(header, header_len);
    char *p = fuzz_b64(payload, payload_len);
    size_t input_len = (h && p) ? strlen(h) + 1 + strlen(p) : 0;
    char *tok = (h && p) ? malloc(input_len + 1 + 43 + 1) : NULL;
    if (tok) {
        memcpy(tok, h, strlen(h));
        tok[strlen(h)] = '.';
        memcpy(tok + strlen(h) + 1, p, strlen(p));
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, FUZZ_SECRET, FUZZ_SECRET_LEN);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)tok, input_len);
        crypto_auth_hmacsha256_final(&st, mac);
        tok[input_len] = '.';
        sodium_bin2base64(tok + input_len + 1, 43 + 1, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        fuzz_check(tok, strlen(tok));
    }
    free(tok);
    free(h);
    free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            abort();
        ready = 1;
    }
    if (size == 0)
        return 0;
    const uint8_t *rest = data + 1;
    size_t rest_len = size - 1;
    switch (data[0] % FUZZ_MODES) {
    case FUZZ_MODE_RAW: {
        /* a copy of exactly rest_len bytes, so ASan sees any over-read */
        char *tok = malloc(rest_len ? rest_len : 1);
        if (!tok)
            return 0;
        memcpy(tok, rest, rest_len);
        fuzz_check(tok, rest_len);
        free(tok);
        break;
    }
    case FUZZ_MODE_HEADER: fuzz_signed(rest, rest_len, FUZZ_PAYLOAD, sizeof FUZZ_PAYLOAD - 1); break;
    case FUZZ_MODE_PAYLOAD: fuzz_signed(FUZZ_HEADER, sizeof FUZZ_HEADER - 1, rest, rest_len); break;
    }
    return 0;
}
