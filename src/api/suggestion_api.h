/* suggestion_api.h - suggestions for the caller (domain/suggestion.h):
 * GET /api/v2/suggestion/user/, /suggestion/?search=, /suggestion/category/
 * (the official client's SuggestionService) and POST /api/v2/user/match/
 * (UserService.matchUsernames). */
#ifndef HEARTH_API_SUGGESTION_API_H
#define HEARTH_API_SUGGESTION_API_H

#include "http/request.h"
#include "http/response.h"

bool suggestion_api_users(struct request *req, struct response *resp, struct err *e);
bool suggestion_api_search(struct request *req, struct response *resp, struct err *e);
bool suggestion_api_categories(struct request *req, struct response *resp, struct err *e);
bool suggestion_api_match(struct request *req, struct response *resp, struct err *e);

#endif
