/* oauth.h - the OAuth2 endpoints (RFC 6749 password and refresh_token
 * grants, RFC 7009 revocation) and JWT verification (contract §4).
 * Errors on /oauth/ use RFC 6749's {error, error_description} shape. */
#ifndef HEARTH_AUTH_OAUTH_H
#define HEARTH_AUTH_OAUTH_H

#include <stdint.h>

#include "http/request.h"
#include "http/response.h"

enum {
    OAUTH_ACCESS_TTL_S = 36000,           /* contract §4: expires_in 36000 */
    OAUTH_REFRESH_TTL_S = 30 * 24 * 3600, /* refresh tokens live 30 days */
};

bool oauth_token(struct request *req, struct response *resp, struct err *e);
bool oauth_revoke(struct request *req, struct response *resp, struct err *e);
bool oauth_jwt_verify(struct request *req, struct response *resp, struct err *e);

/* The OAuth client a request names in its body (client_id, and
 * client_secret for a confidential one) or, when it names none, the oldest
 * public client: its row id in *client_row. 400 on client_id when the named
 * client does not authenticate or no public client exists. */
bool oauth_request_client(struct request *req, int64_t *client_row, struct err *e);

/* A new token pair for user_id and that client, as /oauth/token/ answers
 * it (owned by the caller), or NULL with e filled. */
json_t *oauth_tokens_for_user(struct request *req, int64_t user_id, int64_t client_row, struct err *e);

/* Creates an OAuth client; prints nothing. *secret_out (may be NULL for a
 * public client) receives the plain secret into a buffer of 65 bytes. */
bool oauth_client_create(struct store *st, const char *name, bool confidential, char client_id[44], char secret_out[65],
                         struct err *e);

#endif
