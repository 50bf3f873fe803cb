/* search_api.h - GET /api/v2/user/search/ (contract §3, §7): the official
 * client's userSearch. */
#ifndef HEARTH_API_SEARCH_API_H
#define HEARTH_API_SEARCH_API_H

#include "http/request.h"
#include "http/response.h"

bool search_api_users(struct request *req, struct response *resp, struct err *e);

#endif
