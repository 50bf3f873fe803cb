/* post_api.h - handlers for posts and discussions (contract §8):
 * POST /post/ and /discussion/, GET and DELETE /{post|discussion}/{id}/,
 * and the user feed GET /user/{id}/feed/ (Feed items, schemas/feed.md). */
#ifndef HEARTH_API_POST_API_H
#define HEARTH_API_POST_API_H

#include "http/request.h"
#include "http/response.h"

bool post_api_create_post(struct request *req, struct response *resp, struct err *e);
bool post_api_create_discussion(struct request *req, struct response *resp, struct err *e);
bool post_api_get_post(struct request *req, struct response *resp, struct err *e);
bool post_api_get_discussion(struct request *req, struct response *resp, struct err *e);
bool post_api_delete_post(struct request *req, struct response *resp, struct err *e);
bool post_api_delete_discussion(struct request *req, struct response *resp, struct err *e);
bool post_api_user_feed(struct request *req, struct response *resp, struct err *e);

#endif
