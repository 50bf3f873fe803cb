/* docs_api.h - the API explorer (Swagger UI, installed by the build into
 * the web directory, --web-dir) at /api/docs/, and / redirecting to it. */
#ifndef HEARTH_API_DOCS_API_H
#define HEARTH_API_DOCS_API_H

#include "http/request.h"
#include "http/response.h"

enum { DOCS_FILE_MAX = 8 << 20 }; /* the largest file served (the UI bundle is about 1.5 MiB) */

/* GET /: 302 to /api/docs/. */
bool docs_api_root(struct request *req, struct response *resp, struct err *e);

/* GET /api/docs/: the explorer page (/api/docs redirects to the slash form,
 * so that the page's relative links resolve under /api/docs/). */
bool docs_api_index(struct request *req, struct response *resp, struct err *e);

/* GET /api/docs/{name}: one of a fixed list of files; others are 404. */
bool docs_api_file(struct request *req, struct response *resp, struct err *e);

#endif
