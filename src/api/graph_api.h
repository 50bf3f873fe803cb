/* graph_api.h - handlers of the social graph (contract §5-§9): follow,
 * connections and their requests, hiding, connection statuses and
 * counters. Routes and their mode flags are in routes.c. */
#ifndef HEARTH_API_GRAPH_API_H
#define HEARTH_API_GRAPH_API_H

#include "http/request.h"
#include "http/response.h"

/* lists of users */
bool graph_api_followers(struct request *req, struct response *resp, struct err *e);
bool graph_api_followings(struct request *req, struct response *resp, struct err *e);
bool graph_api_connections(struct request *req, struct response *resp, struct err *e);
bool graph_api_hidden_users(struct request *req, struct response *resp, struct err *e);
bool graph_api_hidden_users_id(struct request *req, struct response *resp, struct err *e);

/* connection requests: /user/{id}/connection/requests[_sent]/ and the
 * caller's /user/connection/requests[_sent]/ */
bool graph_api_requests(struct request *req, struct response *resp, struct err *e);
bool graph_api_requests_sent(struct request *req, struct response *resp, struct err *e);
bool graph_api_my_requests(struct request *req, struct response *resp, struct err *e);
bool graph_api_my_requests_sent(struct request *req, struct response *resp, struct err *e);

/* actions: 204, or 200 {"connection_status"} with Prefer: return=representation */
bool graph_api_follow(struct request *req, struct response *resp, struct err *e);
bool graph_api_hide(struct request *req, struct response *resp, struct err *e);
bool graph_api_connection_request(struct request *req, struct response *resp, struct err *e);
bool graph_api_connection_accept(struct request *req, struct response *resp, struct err *e);
bool graph_api_connection_reject(struct request *req, struct response *resp, struct err *e);
bool graph_api_connection_cancel_reject(struct request *req, struct response *resp, struct err *e);
bool graph_api_connection_cancel_request(struct request *req, struct response *resp, struct err *e);
bool graph_api_connection_remove(struct request *req, struct response *resp, struct err *e);
bool graph_api_mark_seen(struct request *req, struct response *resp, struct err *e);

/* questions and statuses */
bool graph_api_is_followed(struct request *req, struct response *resp, struct err *e);
bool graph_api_is_follower(struct request *req, struct response *resp, struct err *e);
bool graph_api_is_connection(struct request *req, struct response *resp, struct err *e);
bool graph_api_is_hidden(struct request *req, struct response *resp, struct err *e);
bool graph_api_is_hidden_by(struct request *req, struct response *resp, struct err *e);
bool graph_api_connection_status(struct request *req, struct response *resp, struct err *e);
bool graph_api_statuses(struct request *req, struct response *resp, struct err *e);

/* GET /user/{id}/counters/ */
bool graph_api_counters(struct request *req, struct response *resp, struct err *e);

#endif
