/* err.c - building error values (see err.h). */
#include "core/err.h"

#include <stddef.h>

bool err_set(struct err *e, enum err_kind kind, const char *code, const char *message)
{
    e->kind = kind;
    if (e->count < ERR_MAX_ENTRIES)
        e->entries[e->count++] = (struct err_entry){NULL, code, message};
    return false;
}

bool err_field(struct err *e, const char *field, const char *code, const char *message)
{
    if (e->kind == ERR_NONE)
        e->kind = ERR_INVALID;
    if (e->count < ERR_MAX_ENTRIES)
        e->entries[e->count++] = (struct err_entry){field, code, message};
    return false;
}

bool err_not_found(struct err *e) { return err_set(e, ERR_NOT_FOUND, "not_found", "Not found."); }

bool err_forbidden(struct err *e, const char *message)
{
    return err_set(e, ERR_FORBIDDEN, "permission_denied",
                   message ? message : "You do not have permission to perform this action.");
}

bool err_internal(struct err *e)
{
    if ((e->kind == ERR_UNAVAILABLE || e->kind == ERR_STORAGE_FULL) && e->retry_after > 0)
        return false;
    return err_set(e, ERR_INTERNAL, "error", "A server error occurred.");
}

bool err_storage_full(struct err *e)
{
    if (e->kind == ERR_STORAGE_FULL)
        return false;
    err_set(e, ERR_STORAGE_FULL, "storage_full",
            "The server's storage is full. Reading works; try writing again later.");
    e->retry_after = ERR_STORAGE_RETRY_S;
    return false;
}

bool err_unavailable(struct err *e)
{
    if (e->kind == ERR_UNAVAILABLE && e->retry_after > 0)
        return false;
    err_set(e, ERR_UNAVAILABLE, "unavailable", "The server's storage is failing. Try again later.");
    e->retry_after = ERR_STORAGE_RETRY_S;
    return false;
}
