/* routes.h - the route table (routes.c): the map of the API. */
#ifndef HEARTH_API_ROUTES_H
#define HEARTH_API_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route api_routes[];
extern const size_t api_routes_count;

#endif
