#include "store/backend.h"
#include "core/log.h"
struct store *pg_store_open(const char *url, struct err *e)
{
    (void)url;
    err_internal(e);
    return NULL;
}
