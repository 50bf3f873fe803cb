/* media_api.h - GET /media/{name}: the uploaded avatars and covers, at the
 * URLs the User object shows. */
#ifndef HEARTH_API_MEDIA_API_H
#define HEARTH_API_MEDIA_API_H

#include "http/request.h"
#include "http/response.h"

bool media_api_get(struct request *req, struct response *resp, struct err *e);

#endif
