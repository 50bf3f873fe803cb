/* ops_routes.c - routes for operators and integrators (see ops_routes.h). */
#include "api/ops_routes.h"

#include "api/docs_api.h"
#include "api/openapi.h"
#include "http/metrics.h"

const struct route ops_routes[] = {
    {"GET", "/", docs_api_root, ROUTE_PUBLIC | ROUTE_NO_AUTH},
    {"GET", "/api/v2/schema/", openapi_api_schema, ROUTE_PUBLIC | ROUTE_NO_AUTH},
    {"GET", "/api/docs/", docs_api_index, ROUTE_PUBLIC | ROUTE_NO_AUTH},
    {"GET", "/api/docs/{name}", docs_api_file, ROUTE_PUBLIC | ROUTE_NO_AUTH},
    {"GET", "/metrics", metrics_handler, ROUTE_PUBLIC | ROUTE_NO_AUTH},
};

const size_t ops_routes_count = sizeof ops_routes / sizeof ops_routes[0];
