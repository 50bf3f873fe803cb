/* authenticate.c - bearer tokens: OAuth (opaque, hashed) or JWT (HS256). */
#include "auth/authenticate.h"

#include <string.h>
#include <strings.h>

#include "auth/jwt.h"
#include "auth/token.h"
#include "core/clock.h"
#include "http/request.h"
#include "store/store.h"

static bool invalid(struct err *e, const char *message)
{
    return err_set(e, ERR_UNAUTHENTICATED, "authentication_failed", message);
}

/* The user behind a token: must exist and be active (a or b). */
static bool load_principal(struct request *req, int64_t user_id, int64_t token_id, int64_t jwt_iat, struct err *e)
{
    struct user u;
    int found = store_user_get(req->store, req->arena, user_id, &u, e);
    if (found < 0)
        return false;
    if (!found || !user_status_active(u.status))
        return invalid(e, "User not found or inactive.");
    if (!token_id && jwt_iat < u.tokens_valid_after)
        return invalid(e, "Token is no longer valid.");
    req->who = (struct principal){
        .user_id = u.id, .status = u.status, .role = u.role, .username = u.username, .token_id = token_id};
    struct user *copy = arena_alloc(req->arena, sizeof *copy);
    *copy = u;
    req->who_user = copy;
    return true;
}

enum auth_bearer auth_bearer_token(const char *authorization, const char **token, size_t *len)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7))
        return AUTH_BEARER_NOT_BEARER;
    const char *t = authorization + 7;
    while (*t == ' ')
        t++;
    size_t n = strlen(t);
    if (n == 0 || n > JWT_MAX_LEN)
        return AUTH_BEARER_BAD_TOKEN;
    *token = t;
    *len = n;
    return AUTH_BEARER_OK;
}

bool auth_authenticate(struct request *req, const char *authorization, struct err *e)
{
    memset(&req->who, 0, sizeof req->who);
    if (!authorization)
        return true;
    const char *token = NULL;
    size_t len = 0;
    switch (auth_bearer_token(authorization, &token, &len)) {
    case AUTH_BEARER_NOT_BEARER: return invalid(e, "Invalid authorization header. Expected a Bearer token.");
    case AUTH_BEARER_BAD_TOKEN: return invalid(e, "Invalid token.");
    case AUTH_BEARER_OK: break;
    }

    if (memchr(token, '.', len)) {
        struct jwt_claims c;
        const char *why = NULL;
        if (!jwt_verify(token, len, (const unsigned char *)req->cfg->jwt_secret, strlen(req->cfg->jwt_secret),
                        clock_now(), &c, &why))
            return invalid(e, "Given token not valid for any token type.");
        return load_principal(req, c.user_id, 0, c.iat, e);
    }
    char hash[TOKEN_HASH_HEX + 1];
    token_hash_hex(token, len, hash);
    struct oauth_token t;
    int found = store_token_by_access(req->store, hash, &t, e);
    if (found < 0)
        return false;
    if (!found || t.access_expires <= clock_now())
        return invalid(e, "Invalid or expired token.");
    return load_principal(req, t.user_id, t.id, 0, e);
}
