/* test_jwt.c - unit tests of auth/jwt.c: round trips, a token made by the
 * official client's generateJWTToken (jose), and every kind of rejection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"

static const unsigned char SECRET[] = "test-secret-123";
#define SECRET_LEN (sizeof SECRET - 1)

/* Made by `generateJWTToken(42, 'test-secret-123', '2h')` from
 * @selfcommunity/api-services (jose). Payload:
 * {"token_type":"access","user_id":42,"jti":"1795930214951",
 *  "iat":1795930214,"exp":1795937414} */
static const char JOSE_TOKEN[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                                 "eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwidXNlcl9pZCI6NDIsImp0aSI6IjE3OTU5MzAyMTQ5NTEiLCJp"
                                 "YXQiOjE3OTU5MzAyMTQsImV4cCI6MTc5NTkzNzQxNH0."
                                 "2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA";
enum {
    JOSE_IAT = 1795930214,
    JOSE_EXP = 1795937414,
};
static const int64_t NOW = 1700000000;   /* for hand-made tokens */
static const int64_t LATER = 1800000000; /* exp of hand-made tokens */

static const char HS256_HEADER[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
static const char GOOD_PAYLOAD[] = "{\"token_type\":\"access\",\"user_id\":7,\"jti\":\"abc\","
                                   "\"iat\":1700000000,\"exp\":1800000000}";

/* ---- helpers: build tokens byte by byte, independently of jwt_sign ---- */

static char *b64(const void *bin, size_t n)
{
    size_t room = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *s = malloc(room);
    assert_non_null(s);
    sodium_bin2base64(s, room, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return s;
}

/* header.payload.HMAC-SHA256(secret) */
static char *make_token(const char *header, const char *payload, const unsigned char *secret, size_t secret_len)
{
    char *h = b64(header, strlen(header));
    char *p = b64(payload, strlen(payload));
    size_t input_len = strlen(h) + 1 + strlen(p);
    char *tok = malloc(input_len + 64);
    assert_non_null(tok);
    snprintf(tok, input_len + 64, "%s.%s", h, p);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, secret, secret_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)tok, input_len);
    crypto_auth_hmacsha256_final(&st, mac);
    char *sig = b64(mac, sizeof mac);
    snprintf(tok + input_len, 64, ".%s", sig);
    free(h);
    free(p);
    free(sig);
    return tok;
}

static bool verify_str(const char *tok, int64_t now, struct jwt_claims *c, const char **why)
{
    return jwt_verify(tok, strlen(tok), SECRET, SECRET_LEN, now, c, why);
}

/* Why a correctly signed token with this header and payload is refused, or
 * NULL if it verifies. */
static const char *reason_for(const char *header, const char *payload)
{
    char *tok = make_token(header, payload, SECRET, SECRET_LEN);
    struct jwt_claims c;
    const char *why = NULL;
    bool ok = verify_str(tok, NOW, &c, &why);
    free(tok);
    if (ok)
        return NULL;
    assert_non_null(why);
    return why;
}

static bool accepts(const char *header, const char *payload) { return reason_for(header, payload) == NULL; }

/* Signs raw parts as given, however malformed, so that checks made after the
 * signature can be reached. */
static char *sign_raw(const char *header_b64, const char *payload_b64)
{
    size_t input_len = strlen(header_b64) + 1 + strlen(payload_b64);
    char *tok = malloc(input_len + 64);
    assert_non_null(tok);
    snprintf(tok, input_len + 64, "%s.%s", header_b64, payload_b64);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, SECRET, SECRET_LEN);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)tok, input_len);
    crypto_auth_hmacsha256_final(&st, mac);
    char *sig = b64(mac, sizeof mac);
    snprintf(tok + input_len, 64, ".%s", sig);
    free(sig);
    return tok;
}

static bool accepts_payload(const char *payload) { return accepts(HS256_HEADER, payload); }

/* ---- tests ---- */

static void test_sign_verify_roundtrip(void **state)
{
    char *tok = jwt_sign(123, NOW, LATER, "1700000000123", SECRET, SECRET_LEN);
    assert_non_null(tok);
    assert_true(strlen(tok) <= JWT_MAX_LEN);
    struct jwt_claims c;
    const char *why = NULL;
    assert_true(verify_str(tok, NOW, &c, &why));
    assert_int_equal(c.user_id, 123);
    assert_int_equal(c.iat, NOW);
    assert_int_equal(c.exp, LATER);
    assert_string_equal(c.jti, "1700000000123");
    /* same header bytes as jose */
    assert_memory_equal(tok, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37);
    free(tok);
}

static void test_sign_without_jti(void **state)
{
    char *tok = jwt_sign(5, NOW, LATER, NULL, SECRET, SECRET_LEN);
    assert_non_null(tok);
    struct jwt_claims c;
    assert_true(verify_str(tok, NOW, &c, NULL));
    assert_string_equal(c.jti, "");
    free(tok);
}

static void test_sign_long_secret(void **state)
{
    unsigned char secret[200];
    memset(secret, 'k', sizeof secret); /* longer than an HMAC block */
    char *tok = jwt_sign(9, NOW, LATER, "x", secret, sizeof secret);
    assert_non_null(tok);
    struct jwt_claims c;
    assert_true(jwt_verify(tok, strlen(tok), secret, sizeof secret, NOW, &c, NULL));
    assert_false(jwt_verify(tok, strlen(tok), secret, sizeof secret - 1, NOW, &c, NULL));
    free(tok);
}

static void test_jose_token_verifies(void **state)
{
    struct jwt_claims c;
    const char *why = NULL;
    assert_true(verify_str(JOSE_TOKEN, JOSE_IAT + 60, &c, &why));
    assert_int_equal(c.user_id, 42);
    assert_int_equal(c.iat, JOSE_IAT);
    assert_int_equal(c.exp, JOSE_EXP);
    assert_string_equal(c.jti, "1795930214951");
    assert_true(verify_str(JOSE_TOKEN, JOSE_EXP - 1, &c, &why));
}

static void test_jose_token_expires(void **state)
{
    struct jwt_claims c;
    const char *why = NULL;
    assert_false(verify_str(JOSE_TOKEN, JOSE_EXP, &c, &why));
    assert_string_equal(why, "expired");
    assert_false(verify_str(JOSE_TOKEN, JOSE_EXP + 1, &c, &why));
}

static void test_not_nul_terminated(void **state)
{
    char buf[sizeof JOSE_TOKEN - 1 + 8];
    memcpy(buf, JOSE_TOKEN, sizeof JOSE_TOKEN - 1);
    memcpy(buf + sizeof JOSE_TOKEN - 1, "garbage!", 8);
    struct jwt_claims c;
    assert_true(jwt_verify(buf, sizeof JOSE_TOKEN - 1, SECRET, SECRET_LEN, JOSE_IAT, &c, NULL));
    assert_false(jwt_verify(buf, sizeof buf, SECRET, SECRET_LEN, JOSE_IAT, &c, NULL));
}

static void test_wrong_secret(void **state)
{
    const unsigned char other[] = "test-secret-124";
    struct jwt_claims c;
    const char *why = NULL;
    assert_false(jwt_verify(JOSE_TOKEN, strlen(JOSE_TOKEN), other, sizeof other - 1, JOSE_IAT, &c, &why));
    assert_string_equal(why, "bad signature");
    assert_false(jwt_verify(JOSE_TOKEN, strlen(JOSE_TOKEN), SECRET, SECRET_LEN - 1, JOSE_IAT, &c, &why));
}

static void test_empty_secret_refused(void **state)
{
    const unsigned char empty[] = "";
    char *tok = make_token(HS256_HEADER, GOOD_PAYLOAD, empty, 0);
    struct jwt_claims c;
    assert_false(jwt_verify(tok, strlen(tok), empty, 0, NOW, &c, NULL));
    assert_false(jwt_verify(tok, strlen(tok), NULL, 0, NOW, &c, NULL));
    free(tok);
}

static void test_alg_none(void **state)
{
    const char *none = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
    char *h = b64(none, strlen(none));
    char *p = b64(GOOD_PAYLOAD, strlen(GOOD_PAYLOAD));
    char tok[512];
    snprintf(tok, sizeof tok, "%s.%s.", h, p);
    struct jwt_claims c;
    assert_false(verify_str(tok, NOW, &c, NULL));
    snprintf(tok, sizeof tok, "%s.%s", h, p);
    assert_false(verify_str(tok, NOW, &c, NULL));
    free(h);
    free(p);
    /* even with a valid HS256 MAC attached */
    assert_false(accepts(none, GOOD_PAYLOAD));
    assert_false(accepts("{\"alg\":\"None\"}", GOOD_PAYLOAD));
}

static void test_other_algs(void **state)
{
    assert_true(accepts(HS256_HEADER, GOOD_PAYLOAD));
    assert_true(accepts("{\"alg\":\"HS256\"}", GOOD_PAYLOAD)); /* typ is optional */
    assert_string_equal(reason_for("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", GOOD_PAYLOAD), "alg is not HS256");
    assert_false(accepts("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", GOOD_PAYLOAD));
    assert_false(accepts("{\"alg\":\"hs256\",\"typ\":\"JWT\"}", GOOD_PAYLOAD));
    assert_false(accepts("{\"alg\":\"HS256 \",\"typ\":\"JWT\"}", GOOD_PAYLOAD));
    assert_false(accepts("{\"typ\":\"JWT\"}", GOOD_PAYLOAD));
    assert_false(accepts("{\"alg\":null}", GOOD_PAYLOAD));
    assert_false(accepts("{\"alg\":[\"HS256\"]}", GOOD_PAYLOAD));
}

static void test_header_shape(void **state)
{
    assert_string_equal(reason_for("{\"alg\":\"HS256\",\"typ\":\"JWS\"}", GOOD_PAYLOAD), "typ is not JWT");
    assert_false(accepts("{\"alg\":\"HS256\",\"typ\":null}", GOOD_PAYLOAD));
    assert_false(accepts("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", GOOD_PAYLOAD)); /* duplicate */
    assert_false(accepts("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", GOOD_PAYLOAD));
    assert_false(accepts("[\"HS256\"]", GOOD_PAYLOAD));
    assert_false(accepts("\"HS256\"", GOOD_PAYLOAD));
    assert_false(accepts("{\"alg\":\"HS256\"} x", GOOD_PAYLOAD));
    assert_false(accepts("", GOOD_PAYLOAD));
}

static void test_tampered_payload(void **state)
{
    const char *evil = "{\"token_type\":\"access\",\"user_id\":1,\"jti\":\"1795930214951\","
                       "\"iat\":1795930214,\"exp\":1795937414}";
    char *p = b64(evil, strlen(evil));
    const char *dot1 = strchr(JOSE_TOKEN, '.');
    const char *dot2 = strchr(dot1 + 1, '.');
    char tok[512];
    snprintf(tok, sizeof tok, "%.*s.%s%s", (int)(dot1 - JOSE_TOKEN), JOSE_TOKEN, p, dot2);
    struct jwt_claims c;
    const char *why = NULL;
    assert_false(verify_str(tok, JOSE_IAT, &c, &why));
    assert_string_equal(why, "bad signature");
    free(p);

    /* one flipped character anywhere in the signed part */
    char copy[sizeof JOSE_TOKEN];
    memcpy(copy, JOSE_TOKEN, sizeof copy);
    copy[50] = copy[50] == 'A' ? 'B' : 'A';
    assert_false(verify_str(copy, JOSE_IAT, &c, NULL));
}

static void test_tampered_signature(void **state)
{
    char copy[sizeof JOSE_TOKEN];
    struct jwt_claims c;
    size_t last = sizeof JOSE_TOKEN - 2;
    memcpy(copy, JOSE_TOKEN, sizeof copy);
    copy[last] = copy[last] == 'A' ? 'E' : 'A';
    assert_false(verify_str(copy, JOSE_IAT, &c, NULL));
    /* the same bits spelt with non-zero padding bits ("A" -> "B") */
    memcpy(copy, JOSE_TOKEN, sizeof copy);
    assert_int_equal(copy[last], 'A');
    copy[last] = 'B';
    const char *why = NULL;
    assert_false(verify_str(copy, JOSE_IAT, &c, &why));
    assert_string_equal(why, "signature is malformed");
    /* truncated and extended signatures */
    memcpy(copy, JOSE_TOKEN, sizeof copy);
    copy[last] = '\0';
    assert_false(verify_str(copy, JOSE_IAT, &c, NULL));
    char longer[sizeof JOSE_TOKEN + 4];
    snprintf(longer, sizeof longer, "%sAAAA", JOSE_TOKEN);
    assert_false(verify_str(longer, JOSE_IAT, &c, NULL));
}

static void test_expiry(void **state)
{
    char *tok = jwt_sign(7, NOW, NOW + 10, "j", SECRET, SECRET_LEN);
    struct jwt_claims c;
    const char *why = NULL;
    assert_true(verify_str(tok, NOW + 9, &c, &why));
    assert_false(verify_str(tok, NOW + 10, &c, &why));
    assert_string_equal(why, "expired");
    assert_false(verify_str(tok, NOW + 1000, &c, &why));
    free(tok);
}

static void test_exp_claim(void **state)
{
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1700000000}"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1700000000,\"exp\":1.8e9}"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1700000000,\"exp\":1800000000.5}"));
    assert_false(
        accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1700000000,\"exp\":\"1800000000\"}"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1700000000,\"exp\":null}"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1700000000,\"exp\":-1}"));
    /* an integer too big for 64 bits is a JSON error, not a huge exp */
    assert_false(accepts_payload(
        "{\"token_type\":\"access\",\"user_id\":7,\"iat\":1700000000,\"exp\":99999999999999999999999}"));
}

static void test_token_type(void **state)
{
    assert_false(accepts_payload("{\"token_type\":\"refresh\",\"user_id\":7,\"iat\":1700000000,\"exp\":1800000000}"));
    assert_false(accepts_payload("{\"user_id\":7,\"iat\":1700000000,\"exp\":1800000000}"));
    assert_false(accepts_payload("{\"token_type\":\"Access\",\"user_id\":7,\"iat\":1700000000,\"exp\":1800000000}"));
    assert_false(accepts_payload("{\"token_type\":1,\"user_id\":7,\"iat\":1700000000,\"exp\":1800000000}"));
}

static void test_iat_claim(void **state)
{
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"exp\":1800000000}"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":\"1\",\"exp\":1800000000}"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1.5,\"exp\":1800000000}"));
}

static void test_user_id_string_digits(void **state)
{
    char *tok =
        make_token(HS256_HEADER, "{\"token_type\":\"access\",\"user_id\":\"42\",\"iat\":1700000000,\"exp\":1800000000}",
                   SECRET, SECRET_LEN);
    struct jwt_claims c;
    assert_true(verify_str(tok, NOW, &c, NULL));
    assert_int_equal(c.user_id, 42);
    free(tok);
    tok = make_token(HS256_HEADER,
                     "{\"token_type\":\"access\",\"user_id\":\"999999999999999999\",\"iat\":1,\"exp\":1800000000}",
                     SECRET, SECRET_LEN);
    assert_true(verify_str(tok, NOW, &c, NULL));
    assert_int_equal(c.user_id, 999999999999999999LL);
    free(tok);
}

static void test_user_id_rejected(void **state)
{
    static const char *const bad[] = {
        "0",
        "-1",
        "\"0\"",
        "\"-1\"",
        "\"abc\"",
        "\"\"",
        "\"4 2\"",
        "\"+42\"",
        "\" 42\"",
        "\"42a\"",
        "\"1000000000000000000\"", /* 19 digits */
        "1.5",
        "42.0",
        "true",
        "null",
        "[42]",
        "{}",
    };
    char payload[256];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(payload, sizeof payload,
                 "{\"token_type\":\"access\",\"user_id\":%s,\"iat\":1700000000,\"exp\":1800000000}", bad[i]);
        const char *why = reason_for(HS256_HEADER, payload);
        if (!why || strncmp(why, "user_id", 7) != 0)
            fail_msg("user_id %s: %s", bad[i], why ? why : "accepted");
    }
    assert_false(accepts_payload("{\"token_type\":\"access\",\"iat\":1700000000,\"exp\":1800000000}"));
}

static void test_payload_shape(void **state)
{
    assert_false(accepts_payload("[]"));
    assert_false(accepts_payload("null"));
    assert_false(
        accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"user_id\":8,\"iat\":1,\"exp\":1800000000}"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1,\"exp\":1800000000"));
    assert_false(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1,\"exp\":1800000000}{}"));
    /* nbf is honoured when present */
    assert_true(accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1,\"exp\":1800000000,\"nbf\":1}"));
    assert_false(
        accepts_payload("{\"token_type\":\"access\",\"user_id\":7,\"iat\":1,\"exp\":1800000000,\"nbf\":1750000000}"));
}

static void test_jti_truncated_on_char_boundary(void **state)
{
    /* 63 ASCII bytes then "é" (2 bytes): byte 64 would split the "é" */
    char payload[512];
    char jti[70];
    memset(jti, 'a', 63);
    strcpy(jti + 63, "\xc3\xa9xyz");
    snprintf(payload, sizeof payload,
             "{\"token_type\":\"access\",\"user_id\":7,\"jti\":\"%s\",\"iat\":1,\"exp\":1800000000}", jti);
    char *tok = make_token(HS256_HEADER, payload, SECRET, SECRET_LEN);
    struct jwt_claims c;
    assert_true(verify_str(tok, NOW, &c, NULL));
    assert_int_equal(strlen(c.jti), 63);
    free(tok);

    memset(jti, 'b', 69);
    jti[69] = '\0';
    snprintf(payload, sizeof payload,
             "{\"token_type\":\"access\",\"user_id\":7,\"jti\":\"%s\",\"iat\":1,\"exp\":1800000000}", jti);
    tok = make_token(HS256_HEADER, payload, SECRET, SECRET_LEN);
    assert_true(verify_str(tok, NOW, &c, NULL));
    assert_int_equal(strlen(c.jti), 64);
    free(tok);

    /* a non-string jti counts as absent */
    tok = make_token(HS256_HEADER, "{\"token_type\":\"access\",\"user_id\":7,\"jti\":5,\"iat\":1,\"exp\":1800000000}",
                     SECRET, SECRET_LEN);
    assert_true(verify_str(tok, NOW, &c, NULL));
    assert_string_equal(c.jti, "");
    free(tok);
}

static void test_garbage(void **state)
{
    static const char *const bad[] = {
        "",
        ".",
        "..",
        "...",
        "abc",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "eyJhbGciOiJIUzI1NiJ9..abc",
        ".eyJhbGciOiJIUzI1NiJ9.abc",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e$J0.2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9=.eyJ0.2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0.2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA=",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 .eyJ0.2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.A.2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0+/.2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA",
        "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0.2PlzpXcCpfFIVtOw_K3ewlZXd0Lw8wnpQAettNRoKpA",
    };
    struct jwt_claims c;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *why = NULL;
        if (verify_str(bad[i], NOW, &c, &why))
            fail_msg("accepted garbage %s", bad[i]);
        assert_non_null(why);
    }
    assert_false(jwt_verify(NULL, 0, SECRET, SECRET_LEN, NOW, &c, NULL));
    /* an embedded NUL */
    char nul[sizeof JOSE_TOKEN + 1];
    memcpy(nul, JOSE_TOKEN, sizeof JOSE_TOKEN);
    nul[sizeof JOSE_TOKEN] = 'A';
    assert_false(jwt_verify(nul, sizeof nul, SECRET, SECRET_LEN, JOSE_IAT, &c, NULL));
}

static void test_signed_bad_base64_payload(void **state)
{
    static const char *const bad[] = {
        "e$J0",
        "eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0=", /* padded */
        "eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn1",  /* non-zero trailing bits */
        "A",                                /* impossible length */
        "eyJ0+/",                           /* standard, not url-safe, alphabet */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *tok = sign_raw("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", bad[i]);
        struct jwt_claims c;
        const char *why = NULL;
        assert_false(verify_str(tok, NOW, &c, &why));
        if (strcmp(why, "payload is not base64url") != 0)
            fail_msg("payload %s: %s", bad[i], why);
        free(tok);
    }
    /* the canonical spelling of the last case is fine base64, bad JSON */
    char *tok = sign_raw("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0");
    const char *why = NULL;
    struct jwt_claims c;
    assert_false(verify_str(tok, NOW, &c, &why));
    assert_string_equal(why, "user_id is missing or not a positive integer");
    free(tok);
}

static void test_overlong(void **state)
{
    /* a correctly signed token over the limit is refused unparsed */
    char jti[JWT_MAX_LEN];
    memset(jti, 'x', sizeof jti - 1);
    jti[sizeof jti - 1] = '\0';
    char *tok = jwt_sign(7, NOW, LATER, jti, SECRET, SECRET_LEN);
    assert_non_null(tok);
    assert_true(strlen(tok) > JWT_MAX_LEN);
    struct jwt_claims c;
    const char *why = NULL;
    assert_false(verify_str(tok, NOW, &c, &why));
    assert_string_equal(why, "token too long");
    free(tok);

    /* and one just within it is accepted */
    size_t jti_len = 2900;
    jti[jti_len] = '\0';
    tok = jwt_sign(7, NOW, LATER, jti, SECRET, SECRET_LEN);
    assert_true(strlen(tok) <= JWT_MAX_LEN);
    assert_true(verify_str(tok, NOW, &c, &why));
    assert_int_equal(strlen(c.jti), 64);
    free(tok);

    char *junk = malloc(JWT_MAX_LEN + 2);
    memset(junk, 'A', JWT_MAX_LEN + 1);
    junk[10] = junk[20] = '.';
    junk[JWT_MAX_LEN + 1] = '\0';
    assert_false(verify_str(junk, NOW, &c, NULL));
    free(junk);
}

static void test_out_untouched_on_failure(void **state)
{
    struct jwt_claims c = {.user_id = -5};
    assert_false(verify_str(JOSE_TOKEN, JOSE_EXP, &c, NULL));
    assert_int_equal(c.user_id, -5);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_verify_roundtrip),
        cmocka_unit_test(test_sign_without_jti),
        cmocka_unit_test(test_sign_long_secret),
        cmocka_unit_test(test_jose_token_verifies),
        cmocka_unit_test(test_jose_token_expires),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_wrong_secret),
        cmocka_unit_test(test_empty_secret_refused),
        cmocka_unit_test(test_alg_none),
        cmocka_unit_test(test_other_algs),
        cmocka_unit_test(test_header_shape),
        cmocka_unit_test(test_tampered_payload),
        cmocka_unit_test(test_tampered_signature),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_exp_claim),
        cmocka_unit_test(test_token_type),
        cmocka_unit_test(test_iat_claim),
        cmocka_unit_test(test_user_id_string_digits),
        cmocka_unit_test(test_user_id_rejected),
        cmocka_unit_test(test_payload_shape),
        cmocka_unit_test(test_jti_truncated_on_char_boundary),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_signed_bad_base64_payload),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_out_untouched_on_failure),
    };
    return cmocka_run_group_tests_name("jwt", tests, NULL, NULL);
}
