/* tag_api.h - the admin tag endpoints (contract §8, schemas/tag.md):
 * GET/POST /api/v2/tag/, GET/PUT/PATCH /api/v2/tag/{id}/, POST
 * /api/v2/tag/{id}/assign/, /add/, /remove/; GET /api/v2/user/{id}/tags/
 * for the user themself or an admin; and GET /api/v2/tag/user/search/, the
 * official client's searchUserTags, for any authenticated caller. */
#ifndef HEARTH_API_TAG_API_H
#define HEARTH_API_TAG_API_H

#include <jansson.h>

#include "core/buf.h"
#include "domain/tag.h"
#include "http/request.h"
#include "http/response.h"

bool tag_api_list(struct request *req, struct response *resp, struct err *e);
bool tag_api_create(struct request *req, struct response *resp, struct err *e);
bool tag_api_get(struct request *req, struct response *resp, struct err *e);
bool tag_api_patch(struct request *req, struct response *resp, struct err *e);
/* PUT: as PATCH, with `name` required (the official client's updateTag). */
bool tag_api_update(struct request *req, struct response *resp, struct err *e);
/* User tags (type user, not deleted) whose name contains `search`, by id:
 * admins may filter on active and visible; other callers see only the
 * visible, active ones (which every profile shows anyway). */
bool tag_api_search_user_tags(struct request *req, struct response *resp, struct err *e);
bool tag_api_assign(struct request *req, struct response *resp, struct err *e);
bool tag_api_remove(struct request *req, struct response *resp, struct err *e);
bool tag_api_user_tags(struct request *req, struct response *resp, struct err *e);

/* The Tag object of schemas/tag.md (a new reference). */
json_t *tag_json(const struct tag *t);
/* The same object's compact text (the bytes json_write gives of tag_json),
 * written straight into b. */
void tag_write(struct buf *b, const struct tag *t);

#endif
