/* ops_routes.h - the routes around the API that are not part of it (the
 * OpenAPI document describes api_routes only): the document itself, the
 * explorer, the / redirect, and /metrics. Served after api_routes. */
#ifndef HEARTH_API_OPS_ROUTES_H
#define HEARTH_API_OPS_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route ops_routes[];
extern const size_t ops_routes_count;

#endif
