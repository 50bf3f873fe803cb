/* feature_api.h - GET /api/v2/feature/: the SelfCommunity features
 * (domain/feature.h), public, on one page. */
#ifndef HEARTH_API_FEATURE_API_H
#define HEARTH_API_FEATURE_API_H

#include "http/request.h"
#include "http/response.h"

bool feature_api_list(struct request *req, struct response *resp, struct err *e);

#endif
