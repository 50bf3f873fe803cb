/* user_api.h - handlers for reading users: /user/, /user/{id}/, /user/me/,
 * /user/me/permission/, /user/autocomplete/. */
#ifndef HEARTH_API_USER_API_H
#define HEARTH_API_USER_API_H

#include "http/request.h"
#include "http/response.h"

bool user_api_list(struct request *req, struct response *resp, struct err *e);
bool user_api_get(struct request *req, struct response *resp, struct err *e);
bool user_api_me(struct request *req, struct response *resp, struct err *e);
bool user_api_me_permission(struct request *req, struct response *resp, struct err *e);
bool user_api_autocomplete(struct request *req, struct response *resp, struct err *e);

#endif
