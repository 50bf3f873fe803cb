/* fuzz_headers.c - libFuzzer target for what hearth parses out of request
 * headers: the Authorization header (auth_bearer_token, then jwt_verify or
 * the opaque token's hash) and the Content-Type header
 * (http_parse_content_type, with a multipart body built from any boundary it
 * accepts). The first byte picks the header; the rest is its value, cut at
 * the first NUL as libmicrohttpd hands values over.
 *
 * hearth reads no cookies. Origin, Host, Expect and Content-Length are
 * compared in place in http/server.c, not parsed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/authenticate.h"
#include "auth/jwt.h"
#include "auth/token.h"
#include "http/parse.h"

static const unsigned char FUZZ_SECRET[] = "fuzz-secret";
enum {
    FUZZ_NOW = 1700000000,
    FUZZ_MIME_SIZE = 128,
    FUZZ_BOUNDARY_MAX = 70, /* RFC 2046 */
    HEADER_AUTHORIZATION = 0,
    HEADER_CONTENT_TYPE = 1,
    HEADER_KINDS = 2,
};

static void fuzz_authorization(const char *value)
{
    const char *token = NULL;
    size_t len = 0;
    enum auth_bearer r = auth_bearer_token(value, &token, &len);
    if (r != AUTH_BEARER_OK) {
        if (r == AUTH_BEARER_BAD_TOKEN && strncasecmp(value, "Bearer ", 7))
            abort();
        return;
    }
    if (strncasecmp(value, "Bearer ", 7) || token < value + 7 || len == 0 || len > JWT_MAX_LEN ||
        token + len != value + strlen(value) || *token == ' ')
        abort();
    if (memchr(token, '.', len)) {
        struct jwt_claims c;
        const char *why = NULL;
        if (jwt_verify(token, len, FUZZ_SECRET, sizeof FUZZ_SECRET - 1, FUZZ_NOW, &c, &why) &&
            (c.user_id <= 0 || c.exp <= FUZZ_NOW))
            abort();
        if (!jwt_verify(token, len, FUZZ_SECRET, sizeof FUZZ_SECRET - 1, FUZZ_NOW, NULL, &why) && !why)
            abort(); /* every refusal has a reason */
    } else {
        char hash[TOKEN_HASH_HEX + 1];
        token_hash_hex(token, len, hash);
        if (strlen(hash) != TOKEN_HASH_HEX || strspn(hash, "0123456789abcdef") != TOKEN_HASH_HEX)
            abort();
    }
}

/* Every boundary the header parser accepts must delimit a body. */
static void fuzz_multipart_with(const char *content_type, const char *boundary)
{
    struct arena *arena = arena_new();
    struct err err = {0};
    struct http_form form = {0};
    const char *body = arena_printf(arena, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--%s--\r\n",
                                    boundary, boundary);
    if (!http_parse_body(arena, content_type, (const unsigned char *)body, strlen(body), &form, &err))
        abort();
    const char *a = json_string_value(json_object_get(form.fields, "a"));
    if (!a || strcmp(a, "x") || form.nuploads != 0)
        abort();
    arena_free(arena);
}

static void fuzz_content_type(const char *value)
{
    char mime[FUZZ_MIME_SIZE], boundary[FUZZ_BOUNDARY_MAX + 1];
    if (!http_parse_content_type(value, mime, sizeof mime, boundary)) {
        if (mime[0] || boundary[0])
            abort(); /* nothing half-parsed is left behind */
        return;
    }
    const char *slash = strchr(mime, '/');
    if (!slash || slash == mime || !slash[1] || strlen(boundary) > FUZZ_BOUNDARY_MAX)
        abort();
    for (const char *p = mime; *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || *p <= ' ' || *p > '~' || *p == ';' || *p == '"')
            abort();
    /* what was understood, written out again, is understood the same way */
    char again[sizeof mime + 2 * sizeof boundary + 32];
    char mime2[FUZZ_MIME_SIZE], boundary2[FUZZ_BOUNDARY_MAX + 1];
    if (boundary[0])
        snprintf(again, sizeof again, "%s; boundary=\"%s\"", mime, boundary);
    else
        snprintf(again, sizeof again, "%s", mime);
    if (!http_parse_content_type(again, mime2, sizeof mime2, boundary2) || strcmp(mime, mime2) ||
        strcmp(boundary, boundary2))
        abort();
    if (!strcmp(mime, "multipart/form-data") && boundary[0])
        fuzz_multipart_with(value, boundary);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *value = malloc(size);
    memcpy(value, data + 1, size - 1);
    value[size - 1] = '\0';
    switch (data[0] % HEADER_KINDS) {
    case HEADER_AUTHORIZATION: fuzz_authorization(value); break;
    case HEADER_CONTENT_TYPE: fuzz_content_type(value); break;
    }
    free(value);
    return 0;
}
