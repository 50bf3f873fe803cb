/* provider_api.h - GET/POST/DELETE /api/v2/user/{id}/provider/: a user's
 * accounts at external sign-in providers (domain/provider.h), for the user
 * themself or an admin. */
#ifndef HEARTH_API_PROVIDER_API_H
#define HEARTH_API_PROVIDER_API_H

#include "http/request.h"
#include "http/response.h"

bool provider_api_list(struct request *req, struct response *resp, struct err *e);
bool provider_api_create(struct request *req, struct response *resp, struct err *e);
bool provider_api_delete(struct request *req, struct response *resp, struct err *e);

#endif
