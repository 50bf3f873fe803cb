/* jwt.c - HS256 JSON Web Tokens (see jwt.h): verification of bearer tokens
 * and signing of access tokens, over libsodium (HMAC-SHA256, base64url) and
 * jansson (JSON). Depends on nothing else in src/. */
#include "auth/jwt.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum {
    JWT_PARTS = 3, /* header.payload.signature */
    JWT_SIG_BYTES = crypto_auth_hmacsha256_BYTES,
    /* base64url of the 32-byte MAC without padding; any other length is not
     * an HS256 signature, so it is refused before decoding */
    JWT_SIG_B64_LEN = (JWT_SIG_BYTES * 4 + 2) / 3,
    /* a part is at most JWT_MAX_LEN characters, so it decodes to at most this */
    JWT_DECODED_MAX = JWT_MAX_LEN / 4 * 3 + 3,
    /* every number of up to 18 decimal digits fits in an int64_t */
    JWT_USER_ID_DIGITS_MAX = 18,
    JWT_JTI_MAX = sizeof(((struct jwt_claims *)0)->jti) - 1,
    JWT_B64_VARIANT = sodium_base64_VARIANT_URLSAFE_NO_PADDING,
};

_Static_assert(JWT_SIG_B64_LEN == 43, "base64url of an HMAC-SHA256 is 43 characters");

/* The only header we produce; jose's generateJWTToken emits the same bytes. */
static const char JWT_HEADER_JSON[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

struct jwt_parts {
    const char *text[JWT_PARTS];
    size_t len[JWT_PARTS];
};

/* Records a failure reason (if the caller wants one) and returns false. */
static bool jwt_fail(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return false;
}

/* Splits on '.', insisting on exactly three non-empty parts: "a.b." is an
 * unsigned (alg "none") token and never acceptable. */
static bool jwt_split(const char *token, size_t len, struct jwt_parts *parts, const char **why)
{
    size_t count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && token[i] != '.')
            continue;
        if (count == JWT_PARTS)
            return jwt_fail(why, "more than three parts");
        if (i == start)
            return jwt_fail(why, "empty part");
        parts->text[count] = token + start;
        parts->len[count] = i - start;
        count++;
        start = i + 1;
    }
    if (count != JWT_PARTS)
        return jwt_fail(why, "fewer than three parts");
    return true;
}

/* The base64url alphabet only: no padding, whitespace or NUL. Checked by hand
 * so that the decoder never has to skip anything. */
static bool jwt_b64url_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Decodes one part into out[0..cap); libsodium also refuses impossible
 * lengths and non-zero trailing bits, so every token has one spelling. */
static bool jwt_b64_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *out_len)
{
    for (size_t i = 0; i < n; i++)
        if (!jwt_b64url_char((unsigned char)s[i]))
            return false;
    return sodium_base642bin(out, cap, s, n, NULL, out_len, NULL, JWT_B64_VARIANT) == 0;
}

/* Compares a JSON string with a literal, lengths included. */
static bool jwt_json_str_is(const json_t *v, const char *lit)
{
    size_t n = strlen(lit);
    return json_is_string(v) && json_string_length(v) == n && memcmp(json_string_value(v), lit, n) == 0;
}

/* Parses a decoded part as a JSON object; NULL if it is anything else. */
static json_t *jwt_parse_object(const unsigned char *buf, size_t n)
{
    json_t *v = json_loadb((const char *)buf, n, JSON_REJECT_DUPLICATES, NULL);
    if (v && !json_is_object(v)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

/* The header decides how the token is verified, so it is read before the
 * signature; only HS256 is ever honoured, whatever the token claims. */
static bool jwt_check_header(const json_t *h, const char **why)
{
    if (!jwt_json_str_is(json_object_get(h, "alg"), "HS256"))
        return jwt_fail(why, "alg is not HS256");
    const json_t *typ = json_object_get(h, "typ");
    if (typ && !jwt_json_str_is(typ, "JWT"))
        return jwt_fail(why, "typ is not JWT");
    /* RFC 7515 §4.1.11: extensions listed in "crit" must be understood, and
     * we understand none */
    if (json_object_get(h, "crit"))
        return jwt_fail(why, "crit header not supported");
    return true;
}

static bool jwt_header_ok(const struct jwt_parts *parts, const char **why)
{
    unsigned char buf[JWT_DECODED_MAX];
    size_t n = 0;
    if (!jwt_b64_decode(parts->text[0], parts->len[0], buf, sizeof buf, &n))
        return jwt_fail(why, "header is not base64url");
    json_t *h = jwt_parse_object(buf, n);
    if (!h)
        return jwt_fail(why, "header is not a JSON object");
    bool ok = jwt_check_header(h, why);
    json_decref(h);
    return ok;
}

/* HMAC-SHA256 with a key of any length (the init/update/final interface
 * hashes keys longer than a block, as RFC 2104 says). */
static void jwt_hmac(const unsigned char *secret, size_t secret_len, const char *msg, size_t n,
                     unsigned char mac[JWT_SIG_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, secret, secret_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, n);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
}

/* The signing input is the token's own bytes up to the second dot, so the
 * signature covers exactly what was sent, not a re-encoding of it. */
static bool jwt_signature_ok(const struct jwt_parts *parts, const unsigned char *secret, size_t secret_len,
                             const char **why)
{
    unsigned char given[JWT_SIG_BYTES];
    unsigned char expected[JWT_SIG_BYTES];
    size_t n = 0;
    if (parts->len[2] != JWT_SIG_B64_LEN || !jwt_b64_decode(parts->text[2], parts->len[2], given, sizeof given, &n) ||
        n != JWT_SIG_BYTES)
        return jwt_fail(why, "signature is malformed");
    size_t input_len = (size_t)(parts->text[1] - parts->text[0]) + parts->len[1];
    jwt_hmac(secret, secret_len, parts->text[0], input_len, expected);
    bool ok = sodium_memcmp(given, expected, JWT_SIG_BYTES) == 0;
    sodium_memzero(expected, sizeof expected);
    return ok ? true : jwt_fail(why, "bad signature");
}

/* An integer claim; reals such as 1.5 or 1e3 are not integers. */
static bool jwt_int_claim(const json_t *payload, const char *name, int64_t *out)
{
    const json_t *v = json_object_get(payload, name);
    if (!json_is_integer(v))
        return false;
    *out = (int64_t)json_integer_value(v);
    return true;
}

/* simplejwt's user_id is whatever the user's primary key serialises to, so a
 * string of digits is accepted as well as a JSON integer. */
static bool jwt_user_id(const json_t *v, int64_t *out)
{
    int64_t id = 0;
    if (json_is_integer(v)) {
        id = (int64_t)json_integer_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (n == 0 || n > JWT_USER_ID_DIGITS_MAX)
            return false;
        for (size_t i = 0; i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            id = id * 10 + (s[i] - '0');
        }
    } else {
        return false;
    }
    *out = id;
    return id > 0;
}

/* Copies a string jti, cut at a UTF-8 character boundary so that the copy is
 * still valid text for logs and JSON. A non-string jti counts as absent. */
static void jwt_copy_jti(const json_t *v, char out[JWT_JTI_MAX + 1])
{
    out[0] = '\0';
    if (!json_is_string(v))
        return;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > JWT_JTI_MAX) {
        n = JWT_JTI_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

static bool jwt_check_claims(const json_t *p, int64_t now, struct jwt_claims *c, const char **why)
{
    if (!jwt_json_str_is(json_object_get(p, "token_type"), "access"))
        return jwt_fail(why, "token_type is not access");
    if (!jwt_user_id(json_object_get(p, "user_id"), &c->user_id))
        return jwt_fail(why, "user_id is missing or not a positive integer");
    if (!jwt_int_claim(p, "exp", &c->exp))
        return jwt_fail(why, "exp is missing or not an integer");
    if (c->exp <= now)
        return jwt_fail(why, "expired");
    if (!jwt_int_claim(p, "iat", &c->iat))
        return jwt_fail(why, "iat is missing or not an integer");
    /* not required, but honoured when present, as PyJWT (under simplejwt)
     * does */
    int64_t nbf = 0;
    if (json_object_get(p, "nbf") && (!jwt_int_claim(p, "nbf", &nbf) || nbf > now))
        return jwt_fail(why, "nbf is not an integer or lies in the future");
    jwt_copy_jti(json_object_get(p, "jti"), c->jti);
    return true;
}

/* Called only once the signature has been checked. */
static bool jwt_payload_ok(const struct jwt_parts *parts, int64_t now, struct jwt_claims *c, const char **why)
{
    unsigned char buf[JWT_DECODED_MAX];
    size_t n = 0;
    if (!jwt_b64_decode(parts->text[1], parts->len[1], buf, sizeof buf, &n))
        return jwt_fail(why, "payload is not base64url");
    json_t *p = jwt_parse_object(buf, n);
    if (!p)
        return jwt_fail(why, "payload is not a JSON object");
    bool ok = jwt_check_claims(p, now, c, why);
    json_decref(p);
    return ok;
}

bool jwt_verify(const char *token, size_t len, const unsigned char *secret, size_t secret_len, int64_t now,
                struct jwt_claims *out, const char **why)
{
    if (!token || len == 0)
        return jwt_fail(why, "empty token");
    if (len > JWT_MAX_LEN)
        return jwt_fail(why, "token too long");
    /* with an empty key anyone could mint tokens: refuse them all instead */
    if (!secret || secret_len == 0)
        return jwt_fail(why, "no secret configured");
    struct jwt_parts parts;
    if (!jwt_split(token, len, &parts, why))
        return false;
    if (!jwt_header_ok(&parts, why))
        return false;
    if (!jwt_signature_ok(&parts, secret, secret_len, why))
        return false;
    struct jwt_claims c = {0};
    if (!jwt_payload_ok(&parts, now, &c, why))
        return false;
    if (out)
        *out = c;
    return true;
}

/* Claims in the order jose writes them for generateJWTToken. */
static char *jwt_claims_json(int64_t user_id, int64_t iat, int64_t exp, const char *jti)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool ok = json_object_set_new(o, "token_type", json_string("access")) == 0 &&
              json_object_set_new(o, "user_id", json_integer((json_int_t)user_id)) == 0 &&
              (!jti || json_object_set_new(o, "jti", json_string(jti)) == 0) &&
              json_object_set_new(o, "iat", json_integer((json_int_t)iat)) == 0 &&
              json_object_set_new(o, "exp", json_integer((json_int_t)exp)) == 0;
    char *s = ok ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

/* Appends base64url(bin) at dst (room for it and its NUL is the caller's
 * job); returns the number of characters written. */
static size_t jwt_b64_append(char *dst, const void *bin, size_t n)
{
    size_t room = sodium_base64_ENCODED_LEN(n, JWT_B64_VARIANT);
    sodium_bin2base64(dst, room, bin, n, JWT_B64_VARIANT);
    return room - 1;
}

char *jwt_sign(int64_t user_id, int64_t iat, int64_t exp, const char *jti, const unsigned char *secret,
               size_t secret_len)
{
    char *claims = jwt_claims_json(user_id, iat, exp, jti);
    if (!claims)
        return NULL;
    size_t header_len = sizeof JWT_HEADER_JSON - 1;
    size_t claims_len = strlen(claims);
    size_t total = sodium_base64_ENCODED_LEN(header_len, JWT_B64_VARIANT) +
                   sodium_base64_ENCODED_LEN(claims_len, JWT_B64_VARIANT) + JWT_SIG_B64_LEN + 1;
    char *tok = malloc(total);
    if (tok) {
        size_t at = jwt_b64_append(tok, JWT_HEADER_JSON, header_len);
        tok[at++] = '.';
        at += jwt_b64_append(tok + at, claims, claims_len);
        unsigned char mac[JWT_SIG_BYTES];
        jwt_hmac(secret ? secret : (const unsigned char *)"", secret ? secret_len : 0, tok, at, mac);
        tok[at++] = '.';
        jwt_b64_append(tok + at, mac, sizeof mac);
        sodium_memzero(mac, sizeof mac);
    }
    free(claims);
    return tok;
}
