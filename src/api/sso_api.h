/* sso_api.h - POST /api/v2/sso/signup/ (admin) and /sso/signin/ (contract §5). */
#ifndef HEARTH_API_SSO_API_H
#define HEARTH_API_SSO_API_H

#include "http/request.h"
#include "http/response.h"

bool sso_api_signup(struct request *req, struct response *resp, struct err *e);
bool sso_api_signin(struct request *req, struct response *resp, struct err *e);

#endif
