/* pref_api.h - /api/v2/dynamic_preference/ (contract §6). */
#ifndef HEARTH_API_PREF_API_H
#define HEARTH_API_PREF_API_H

#include "http/request.h"
#include "http/response.h"

bool pref_api_list(struct request *req, struct response *resp, struct err *e);
bool pref_api_get(struct request *req, struct response *resp, struct err *e);
bool pref_api_patch(struct request *req, struct response *resp, struct err *e);

#endif
