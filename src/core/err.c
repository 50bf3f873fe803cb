/* err.c - building error values (see err.h). */
#include "core/err.h"

#include <stddef.h>

bool err_set(struct err *e, int status, const char *code, const char *message)
{
    e->status = status;
    if (e->count < ERR_MAX_ENTRIES)
        e->entries[e->count++] = (struct err_entry){NULL, code, message};
    return false;
}

bool err_field(struct err *e, const char *field, const char *code, const char *message)
{
    if (!e->status)
        e->status = 400;
    if (e->count < ERR_MAX_ENTRIES)
        e->entries[e->count++] = (struct err_entry){field, code, message};
    return false;
}

bool err_not_found(struct err *e)
{
    return err_set(e, 404, "not_found", "Not found.");
}

bool err_forbidden(struct err *e, const char *message)
{
    return err_set(e, 403, "permission_denied",
                   message ? message : "You do not have permission to perform this action.");
}

bool err_internal(struct err *e)
{
    if ((e->status == 503 || e->status == 507) && e->retry_after > 0)
        return false;
    return err_set(e, 500, "error", "A server error occurred.");
}

bool err_storage_full(struct err *e)
{
    if (e->status == 507)
        return false;
    err_set(e, 507, "storage_full", "The server's storage is full. Reading works; try writing again later.");
    e->retry_after = ERR_STORAGE_RETRY_S;
    return false;
}

bool err_unavailable(struct err *e)
{
    if (e->status == 503 && e->retry_after > 0)
        return false;
    err_set(e, 503, "unavailable", "The server's storage is failing. Try again later.");
    e->retry_after = ERR_STORAGE_RETRY_S;
    return false;
}
