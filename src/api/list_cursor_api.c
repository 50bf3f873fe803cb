/* list_cursor_api.c - see list_cursor_api.h. */
#include "api/list_cursor_api.h"

#include <jansson.h>

#include "store/list_plan.h"

bool list_cursor_param(struct request *req, int list, int64_t owner, const char **out, struct err *e)
{
    const json_t *v = json_object_get(req->query, "cursor"); /* "" too: the opt-in */
    *out = json_is_string(v) ? json_string_value(v) : NULL;
    if (!*out || !**out)
        return true;
    if (list >= 0) {
        int64_t created, other;
        return list_edge_cursor(req->arena, *out, list, owner, -1, &created, &other, e) >= 0;
    }
    struct list_cursor c;
    return list_cursor_decode(req->arena, *out, &c) || err_field(e, "cursor", "invalid", LIST_CURSOR_INVALID);
}

void list_cursor_next(struct request *req, const char *cursor, const char *next)
{
    if (cursor)
        json_object_set_new(req->query, "cursor", json_string(next ? next : ""));
}
