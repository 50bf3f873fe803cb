/* openapi.h - the OpenAPI 3.1 document of the API, generated from the
 * route table (routes.c: paths, methods, authentication) and the route
 * descriptions (routes_doc.c: summaries, parameters, bodies, responses). */
#ifndef HEARTH_API_OPENAPI_H
#define HEARTH_API_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

/* The document for routes[0..n), with `server_url` as its server (may be
 * ""). A new reference, or NULL when out of memory. Routes without a
 * description get a bare operation, so the document never omits one. */
json_t *openapi_document(const struct route *routes, size_t n, const char *server_url);

/* GET /api/v2/schema/: the document for api_routes, as JSON. */
bool openapi_api_schema(struct request *req, struct response *resp, struct err *e);

#endif
