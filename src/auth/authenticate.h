/* authenticate.h - turning an Authorization header into the caller
 * (contract §4): OAuth access tokens (looked up by hash) and HS256 JWTs.
 * A header that is present but invalid is always 401, even on public
 * endpoints (never silently anonymous). */
#ifndef HEARTH_AUTH_AUTHENTICATE_H
#define HEARTH_AUTH_AUTHENTICATE_H

#include <stdbool.h>

#include "core/err.h"

struct request;

/* Fills req->who from `authorization` (may be NULL: anonymous). Needs
 * req->store, req->arena and req->cfg. */
bool auth_authenticate(struct request *req, const char *authorization, struct err *e);

#endif
