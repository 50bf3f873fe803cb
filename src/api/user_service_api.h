/* user_service_api.h - the rest of the official client's UserService that
 * the User API does not specify:
 *   GET /api/v2/user/{id}/check_email_token/   {"is_valid"} for a pending email-change code
 *   GET /api/v2/user/tag/tags_to_address_a_contribution/   bare array of Tags
 *   GET /api/v2/user/me/platform_url/          {"platform_url"}, staff only
 *   GET /api/v2/user/{id}/loyalty/points/      {"points": 0}: no loyalty programme
 *   GET /api/v2/user/{id}/live_stream/         an empty page: no live streams
 *   GET /api/v2/user/{id}/order/               an empty page: no payments
 *   GET /api/v2/user/{id}/order/{order}/       404: no payments
 * docs/api.md ("UserService coverage") holds the whole table. */
#ifndef HEARTH_API_USER_SERVICE_API_H
#define HEARTH_API_USER_SERVICE_API_H

#include "http/request.h"
#include "http/response.h"

enum {
    PLATFORM_NEXT_MAX = 1000, /* characters of `next`, a path on the platform */
    PLATFORM_HOST_MAX = 255,  /* characters of the Host header the fallback URL is built from */
};

bool user_service_api_check_email_token(struct request *req, struct response *resp, struct err *e);
bool user_service_api_addressing_tags(struct request *req, struct response *resp, struct err *e);
bool user_service_api_platform_url(struct request *req, struct response *resp, struct err *e);
bool user_service_api_loyalty_points(struct request *req, struct response *resp, struct err *e);
bool user_service_api_live_streams(struct request *req, struct response *resp, struct err *e);
bool user_service_api_orders(struct request *req, struct response *resp, struct err *e);
bool user_service_api_order(struct request *req, struct response *resp, struct err *e);

#endif
