/* health_api.h - GET /health, for load balancers and orchestrators: no
 * authentication, no rate limit, one trivial query. */
#ifndef HEARTH_API_HEALTH_API_H
#define HEARTH_API_HEALTH_API_H

#include "http/request.h"
#include "http/response.h"

/* 200 {"status":"ok"} when this thread's database connection answers a
 * trivial query; 503 {"status":"unavailable"} when it does not, and 503
 * {"status":"draining"} from the stop signal on (http_server_draining), so
 * that a load balancer sends no new clients to a server about to stop.
 * Never cached. A 503 here is an answer, not a server error: it is not
 * logged as one. */
bool health_api_get(struct request *req, struct response *resp, struct err *e);

#endif
