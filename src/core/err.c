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
    return err_set(e, 500, "error", "A server error occurred.");
}
