/* account_api.h - handlers for the account lifecycle:
 * PUT/PATCH/DELETE /user/{id}/, /user/{id}/change_email/,
 * /user/{id}/confirm_email/, /user/{id}/change_password/ and
 * GET/POST/PATCH /user/{id}/settings/. Rules live in domain/account.h and
 * domain/settings.h. */
#ifndef HEARTH_API_ACCOUNT_API_H
#define HEARTH_API_ACCOUNT_API_H

#include "http/request.h"
#include "http/response.h"

bool account_api_update(struct request *req, struct response *resp, struct err *e);
bool account_api_delete(struct request *req, struct response *resp, struct err *e);
bool account_api_change_email(struct request *req, struct response *resp, struct err *e);
bool account_api_confirm_email(struct request *req, struct response *resp, struct err *e);
bool account_api_change_password(struct request *req, struct response *resp, struct err *e);
bool account_api_settings_get(struct request *req, struct response *resp, struct err *e);
bool account_api_settings_update(struct request *req, struct response *resp, struct err *e);

#endif
