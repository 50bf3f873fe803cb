/* list_cursor_api.c - see list_cursor_api.h. */
#include "api/list_cursor_api.h"

#include <jansson.h>

#include "store/store.h"

bool list_cursor_param(struct request *req, int list, int64_t owner, const char **out, struct err *e)
{
    const json_t *v = json_object_get(req->query, "cursor"); /* "" too: the opt-in */
    *out = json_is_string(v) ? json_string_value(v) : NULL;
    if (!*out || !**out)
        return true;
    return store_list_cursor_check(req->arena, *out, list, owner, e);
}

void list_cursor_next(struct request *req, const char *cursor, const char *next)
{
    if (cursor)
        json_object_set_new(req->query, "cursor", json_string(next ? next : ""));
}
