/* authenticate.h - turning an Authorization header into the caller
 * (contract §4): OAuth access tokens (looked up by hash) and HS256 JWTs.
 * A header that is present but invalid is always 401, even on public
 * endpoints (never silently anonymous). */
#ifndef HEARTH_AUTH_AUTHENTICATE_H
#define HEARTH_AUTH_AUTHENTICATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct request;

enum auth_bearer {
    AUTH_BEARER_OK,
    AUTH_BEARER_NOT_BEARER, /* another scheme, or no scheme at all */
    AUTH_BEARER_BAD_TOKEN,  /* Bearer, but the token is empty or over JWT_MAX_LEN */
};

/* Splits an Authorization header value: the scheme "Bearer" (any case), one
 * space, any further spaces, then the token. On AUTH_BEARER_OK *token points
 * into `authorization` and *len is the token's length (1..JWT_MAX_LEN). Pure
 * and thread-safe (fuzzed: fuzz/fuzz_headers.c). */
enum auth_bearer auth_bearer_token(const char *authorization, const char **token, size_t *len);

/* Fills req->who from `authorization` (may be NULL: anonymous). Needs
 * req->store, req->arena and req->cfg. */
bool auth_authenticate(struct request *req, const char *authorization, struct err *e);

#endif
