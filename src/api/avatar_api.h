/* avatar_api.h - the caller's avatar gallery (GET/POST/PATCH/DELETE
 * /api/v2/user/avatar/), the caller's avatar URL (GET /api/v2/user/me/avatar/)
 * and the generated default avatar of any user (GET /api/v2/avatar/{id}). */
#ifndef HEARTH_API_AVATAR_API_H
#define HEARTH_API_AVATAR_API_H

#include "http/request.h"
#include "http/response.h"

bool avatar_api_list(struct request *req, struct response *resp, struct err *e);
bool avatar_api_add(struct request *req, struct response *resp, struct err *e);
bool avatar_api_set_primary(struct request *req, struct response *resp, struct err *e);
bool avatar_api_remove(struct request *req, struct response *resp, struct err *e);
bool avatar_api_me(struct request *req, struct response *resp, struct err *e);
bool avatar_api_default_image(struct request *req, struct response *resp, struct err *e);

#endif
