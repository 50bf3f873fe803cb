/* routes_doc.h - what the OpenAPI document says about each route of the
 * table in routes.c: kept beside it, one entry per method and pattern, and
 * read by openapi.c. A route without an entry, or an entry without a route,
 * makes the document incomplete; tests/api/openapi.test.js checks both. */
#ifndef HEARTH_API_ROUTES_DOC_H
#define HEARTH_API_ROUTES_DOC_H

#include <stddef.h>

struct route_doc {
    const char *method, *pattern;
    const char *tag;     /* the group the explorer shows it under */
    const char *summary; /* one line */
    const char *query;   /* query parameters, space-separated (described in openapi.c) */
    const char *body;    /* request body fields, space-separated; a trailing '!' marks a required one */
    int status;          /* the success status */
    /* The success body: a component name ("User"), "page:NAME" (contract §3
     * envelope of NAME), "array:NAME", "bool:KEY" ({KEY: boolean}), "image" or "zip"
     * (a file), or NULL (no body). */
    const char *result;
    const char *errors; /* further error statuses than the flags imply, space-separated ("409 429") */
};

extern const struct route_doc route_docs[];
extern const size_t route_docs_count;

#endif
