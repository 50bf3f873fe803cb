/* health_api.c - GET /health (see health_api.h). */
#include "api/health_api.h"

#include "http/server.h"
#include "store/store.h"

bool health_api_get(struct request *req, struct response *resp, struct err *e)
{
    (void)e;
    const char *status = "ok";
    struct err ping = {0};
    if (http_server_draining())
        status = "draining";
    else if (!store_ping(req->store, &ping))
        status = "unavailable";
    http_json(resp, *status == 'o' ? 200 : 503, json_pack("{s:s}", "status", status));
    http_add_header(resp, "Cache-Control", "no-store");
    return true;
}
