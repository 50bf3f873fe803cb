/* media_api.c - serving uploaded images (domain/media.h) with their type,
 * long-lived caching (names are never reused: a new upload gets a new name)
 * and no content sniffing. */
#include "api/media_api.h"

#include <stdlib.h>
#include <string.h>

#include "domain/media.h"

bool media_api_get(struct request *req, struct response *resp, struct err *e)
{
    enum media_type t;
    /* a file is not a directory: "/media/<name>/" names nothing (the router
     * treats a final slash as optional) */
    size_t path_len = req->path ? strlen(req->path) : 0;
    if (!media_name_valid(req->param, &t) || (path_len && req->path[path_len - 1] == '/'))
        return err_not_found(e);
    unsigned char *data = NULL;
    size_t len = 0;
    int found = media_read(req->cfg->media_dir, req->param, &data, &len, e);
    if (found < 0)
        return false;
    if (!found)
        return err_not_found(e);
    resp->status = 200;
    resp->data = data;
    resp->len = len;
    resp->free_data = free;
    resp->content_type = media_type_mime(t);
    http_add_header(resp, "Cache-Control", "public, max-age=31536000, immutable");
    http_add_header(resp, "X-Content-Type-Options", "nosniff");
    /* an image is never a document: nothing in it may run if opened directly */
    http_add_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    return true;
}
