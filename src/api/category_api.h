/* category_api.h - handlers for categories (contract §8): the
 * administrators' /category/ and /category/{id}/, following
 * (/category/{id}/follow/, /is_followed/) and /user/{id}/categories/; and
 * the Category object (schemas/category.md), produced in one place. */
#ifndef HEARTH_API_CATEGORY_API_H
#define HEARTH_API_CATEGORY_API_H

#include <jansson.h>

#include "domain/category.h"
#include "http/request.h"
#include "http/response.h"

/* A new Category object for c: `followed` only when c->followed is known
 * (category_fill_followed). */
json_t *category_json(const struct category *c);

/* A new JSON array of the Category objects of items, with `followed` for
 * an authenticated caller (filled into items). NULL with e filled when the
 * follows cannot be read. */
json_t *category_json_array(struct request *req, struct category *items, int n, struct err *e);

bool category_api_list(struct request *req, struct response *resp, struct err *e);
bool category_api_create(struct request *req, struct response *resp, struct err *e);
bool category_api_get(struct request *req, struct response *resp, struct err *e);
bool category_api_update(struct request *req, struct response *resp, struct err *e);
bool category_api_delete(struct request *req, struct response *resp, struct err *e);
bool category_api_follow(struct request *req, struct response *resp, struct err *e);
bool category_api_is_followed(struct request *req, struct response *resp, struct err *e);
bool category_api_user_list(struct request *req, struct response *resp, struct err *e);

#endif
