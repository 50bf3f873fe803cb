/* oauth.c - /oauth/token/, /oauth/revoke_token/, /api/v2/jwt/verify_token/. */
#include "auth/oauth.h"

#include <pthread.h>
#include <string.h>

#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "core/clock.h"
#include "core/text.h"
#include "store/account_store.h"
#include "store/store.h"

/* Answers an RFC 6749 error. Always "succeeds" as a handler. */
static bool oauth_error(struct response *resp, int status, const char *error, const char *description)
{
    http_json(resp, status, json_pack("{s:s, s:s}", "error", error, "error_description", description));
    http_add_header(resp, "Cache-Control", "no-store");
    return true;
}

static const char *field(struct request *req, const char *name)
{
    const char *v = http_body_string(req, name, NULL);
    return v && *v ? v : NULL;
}

/* The client named in the body, authenticated if confidential. */
static int load_client(struct request *req, struct oauth_client *c, struct err *e)
{
    const char *client_id = field(req, "client_id");
    if (!client_id)
        return 0;
    int found = store_client_get(req->store, req->arena, client_id, c, e);
    if (found <= 0)
        return found;
    if (c->secret_hash) {
        const char *secret = field(req, "client_secret");
        char hash[TOKEN_HASH_HEX + 1];
        if (!secret)
            return 0;
        token_hash_hex(secret, strlen(secret), hash);
        if (!token_equal(hash, c->secret_hash, TOKEN_HASH_HEX))
            return 0;
    }
    return 1;
}

/* Issues a new access/refresh pair: the token object of RFC 6749 §5.1, or
 * NULL with e filled. */
static json_t *mint_tokens(struct request *req, int64_t user_id, int64_t client_row, struct err *e)
{
    char access[TOKEN_STR_LEN + 1], refresh[TOKEN_STR_LEN + 1];
    char access_hash[TOKEN_HASH_HEX + 1], refresh_hash[TOKEN_HASH_HEX + 1];
    token_generate(access);
    token_generate(refresh);
    token_hash_hex(access, TOKEN_STR_LEN, access_hash);
    token_hash_hex(refresh, TOKEN_STR_LEN, refresh_hash);
    int64_t now = clock_now(), id;
    struct oauth_token t = {.user_id = user_id,
                            .client_id = client_row,
                            .access_expires = now + OAUTH_ACCESS_TTL_S,
                            .refresh_expires = now + OAUTH_REFRESH_TTL_S};
    if (!store_token_insert(req->store, &t, access_hash, refresh_hash, &id, e))
        return NULL;
    return json_pack("{s:s, s:i, s:s, s:s, s:s}", "access_token", access, "expires_in", OAUTH_ACCESS_TTL_S,
                     "token_type", "Bearer", "scope", "read write", "refresh_token", refresh);
}

/* Issues a new access/refresh pair and writes the success reply. */
static bool issue_tokens(struct request *req, struct response *resp, int64_t user_id, int64_t client_row, struct err *e)
{
    json_t *t = mint_tokens(req, user_id, client_row, e);
    if (!t)
        return false;
    http_json(resp, 200, t);
    http_add_header(resp, "Cache-Control", "no-store");
    return true;
}

static bool throttled(struct response *resp, int limit, int retry_after)
{
    oauth_error(resp, 429, "slow_down", "Too many failed attempts. Try again later.");
    http_rate_limited(resp, limit, retry_after);
    return true;
}

/* A hash no password matches, checked when there is no real one, so that a
 * wrong password costs the same time whether or not the account exists and
 * can log in (no user enumeration by timing). Made once, at the configured
 * cost, by the first check that needs it: making it costs what one check
 * does, so that check does not verify as well (it would take twice as long). */
static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_hash_once = PTHREAD_ONCE_INIT;
static _Thread_local bool dummy_hash_made_here;

static void dummy_hash_make(void)
{
    char pw[2 * 16 + 1];
    token_random_hex(pw, 16);
    if (!password_hash(pw, dummy_hash))
        dummy_hash[0] = '\0';
    dummy_hash_made_here = true;
}

static void burn_password_check(const char *password)
{
    pthread_once(&dummy_hash_once, dummy_hash_make);
    if (dummy_hash_made_here) {
        dummy_hash_made_here = false;
        return;
    }
    (void)password_verify(dummy_hash, password);
}

static bool password_grant(struct request *req, struct response *resp, const struct oauth_client *c, struct err *e)
{
    const char *username = field(req, "username"), *password = field(req, "password");
    if (!username || !password)
        return oauth_error(resp, 400, "invalid_request", "username and password are required.");
    const char *address_key = arena_printf(req->arena, "addr:%s", http_client_address(req));
    int retry = 0;
    if (!ratelimit_allow(req->store, address_key, RATELIMIT_ADDRESS_MAX, &retry))
        return throttled(resp, RATELIMIT_ADDRESS_MAX, retry);
    struct user u;
    int found = store_user_get_by_login(req->store, req->arena, username, &u, e);
    if (found < 0)
        return false;
    /* one counter per account, however it is spelt (case, username or
     * email); unknown logins are counted by their folded text */
    const char *account_key = found ? arena_printf(req->arena, "login:#%lld", (long long)u.id)
                                    : arena_printf(req->arena, "login:%s", text_fold(req->arena, username));
    if (!ratelimit_allow(req->store, account_key, RATELIMIT_ACCOUNT_MAX, &retry))
        return throttled(resp, RATELIMIT_ACCOUNT_MAX, retry);
    bool can_login = found && user_status_active(u.status) && u.password_hash && *u.password_hash;
    bool ok = can_login && password_verify(u.password_hash, password);
    if (!can_login)
        burn_password_check(password);
    if (!ok) {
        ratelimit_fail(req->store, account_key);
        ratelimit_fail(req->store, address_key);
        return oauth_error(resp, 400, "invalid_grant", "Invalid credentials given.");
    }
    ratelimit_reset(req->store, account_key);
    /* a self sign-up logs in once its email is verified (and, where the
     * community requires it, an admin approved it by setting status a) */
    const char *state = NULL;
    int pending = store_signup_get(req->store, u.id, &state, e);
    if (pending < 0)
        return false;
    if (pending && !strcmp(state, STORE_SIGNUP_UNVERIFIED))
        return oauth_error(resp, 400, "invalid_grant", "The email address of this account has not been verified yet.");
    if (pending && u.status == USER_BLOCKED)
        return oauth_error(resp, 400, "invalid_grant", "This account is waiting for approval by an administrator.");
    if (pending && !store_signup_delete(req->store, u.id, e))
        return false;
    return issue_tokens(req, resp, u.id, c->id, e);
}

static bool refresh_grant(struct request *req, struct response *resp, const struct oauth_client *c, struct err *e)
{
    const char *refresh = field(req, "refresh_token");
    if (!refresh)
        return oauth_error(resp, 400, "invalid_request", "refresh_token is required.");
    char hash[TOKEN_HASH_HEX + 1];
    token_hash_hex(refresh, strlen(refresh), hash);
    if (!store_begin(req->store, e))
        return false;
    struct oauth_token t;
    struct user u = {0};
    int found = store_token_by_refresh(req->store, hash, &t, e);
    if (found < 0)
        return false;
    /* the token's user must still exist and be active */
    if (found && (found = store_user_get(req->store, req->arena, t.user_id, &u, e)) < 0)
        return false;
    if (!found || t.refresh_expires <= clock_now() || t.client_id != c->id || !user_status_active(u.status)) {
        store_rollback(req->store);
        return oauth_error(resp, 400, "invalid_grant", "Invalid refresh token.");
    }
    /* rotation: the old pair (refresh and its access token) dies */
    if (!store_token_delete(req->store, t.id, e) || !issue_tokens(req, resp, t.user_id, c->id, e) ||
        !store_commit(req->store, e))
        return false;
    return true;
}

bool oauth_token(struct request *req, struct response *resp, struct err *e)
{
    const char *grant = field(req, "grant_type");
    if (!grant)
        return oauth_error(resp, 400, "invalid_request", "grant_type is required.");
    if (strcmp(grant, "password") && strcmp(grant, "refresh_token"))
        return oauth_error(resp, 400, "unsupported_grant_type", "Unsupported grant type.");
    if (!field(req, "client_id"))
        return oauth_error(resp, 400, "invalid_request", "client_id is required.");
    struct oauth_client c;
    int found = load_client(req, &c, e);
    if (found < 0)
        return false;
    if (!found)
        return oauth_error(resp, 401, "invalid_client", "Invalid client.");
    return !strcmp(grant, "password") ? password_grant(req, resp, &c, e) : refresh_grant(req, resp, &c, e);
}

bool oauth_revoke(struct request *req, struct response *resp, struct err *e)
{
    const char *token = field(req, "token");
    if (!token || !field(req, "client_id"))
        return oauth_error(resp, 400, "invalid_request", "token and client_id are required.");
    struct oauth_client c;
    int found = load_client(req, &c, e);
    if (found < 0)
        return false;
    if (!found)
        return oauth_error(resp, 401, "invalid_client", "Invalid client.");
    char hash[TOKEN_HASH_HEX + 1];
    token_hash_hex(token, strlen(token), hash);
    struct oauth_token t;
    /* RFC 7009: unknown tokens are not an error; only the client's own */
    if (((found = store_token_by_access(req->store, hash, &t, e)) == 1 ||
         (found == 0 && (found = store_token_by_refresh(req->store, hash, &t, e)) == 1)) &&
        t.client_id == c.id && !store_token_delete(req->store, t.id, e))
        return false;
    if (found < 0)
        return false;
    http_json(resp, 200, json_object());
    return true;
}

bool oauth_jwt_verify(struct request *req, struct response *resp, struct err *e)
{
    const char *token = field(req, "token");
    if (!token)
        return err_field(e, "token", "required", "This field is required.");
    struct jwt_claims c;
    const char *why;
    if (!jwt_verify(token, strlen(token), (const unsigned char *)req->cfg->jwt_secret, strlen(req->cfg->jwt_secret),
                    clock_now(), &c, &why))
        return err_set(e, ERR_UNAUTHENTICATED, "token_not_valid", "Token is invalid or expired.");
    http_json(resp, 200, json_object());
    return true;
}

bool oauth_request_client(struct request *req, int64_t *client_row, struct err *e)
{
    struct oauth_client c;
    int found;
    if (field(req, "client_id")) {
        if ((found = load_client(req, &c, e)) < 0)
            return false;
        if (!found)
            return err_field(e, "client_id", "invalid", "Invalid client.");
    } else if ((found = store_client_first_public(req->store, req->arena, &c, e)) <= 0)
        return found < 0 ? false : err_field(e, "client_id", "required", "No public client exists: name one.");
    *client_row = c.id;
    return true;
}

json_t *oauth_tokens_for_user(struct request *req, int64_t user_id, int64_t client_row, struct err *e)
{
    return mint_tokens(req, user_id, client_row, e);
}

bool oauth_client_create(struct store *st, const char *name, bool confidential, char client_id[44], char secret_out[65],
                         struct err *e)
{
    token_generate(client_id);
    char hash[TOKEN_HASH_HEX + 1];
    secret_out[0] = '\0';
    if (confidential) {
        token_random_hex(secret_out, 32);
        token_hash_hex(secret_out, strlen(secret_out), hash);
    }
    return store_client_insert(st, client_id, confidential ? hash : NULL, name, e);
}
