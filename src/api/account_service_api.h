/* account_service_api.h - /api/v2/account/: self sign-up, email
 * verification, password recovery and the admin's account search (the
 * official client's AccountService). */
#ifndef HEARTH_API_ACCOUNT_SERVICE_API_H
#define HEARTH_API_ACCOUNT_SERVICE_API_H

#include "http/request.h"
#include "http/response.h"

bool account_service_create(struct request *req, struct response *resp, struct err *e);
bool account_service_verify(struct request *req, struct response *resp, struct err *e);
bool account_service_verify_code(struct request *req, struct response *resp, struct err *e);
bool account_service_recover(struct request *req, struct response *resp, struct err *e);
bool account_service_reset(struct request *req, struct response *resp, struct err *e);
bool account_service_search(struct request *req, struct response *resp, struct err *e);

#endif
