/* list_cursor_api.h - the `cursor` parameter of the user list and the
 * followers, followings and connections lists (docs/api.md, "Keyset
 * cursor"): an optional extension of the contract's limit/offset pages.
 * A client opts in with `cursor=` (empty) or a cursor; the page's `next`
 * link then carries the cursor of the page it names, so that following
 * `next` continues after the last row shown instead of seeking the offset.
 * The envelope and its limit/offset links stay as the contract says. */
#ifndef HEARTH_API_LIST_CURSOR_API_H
#define HEARTH_API_LIST_CURSOR_API_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "http/request.h"

/* The request's cursor into *out (NULL when absent, "" for "from the
 * offset"); false (the field `cursor` invalid) when it is not a cursor
 * this server made, or, for an edge list (list >= 0: enum
 * graph_list_kind, of owner), not one of that list. Whether a cursor
 * belongs to the user list's ordering is the store's check. */
bool list_cursor_param(struct request *req, int list, int64_t owner, const char **out, struct err *e);

/* With a cursor asked for (cursor not NULL): the page links repeat `next`,
 * the next page's cursor ("" when there is none, e.g. a list that does not
 * seek): `previous` carries it too, where its offset makes it ignored. */
void list_cursor_next(struct request *req, const char *cursor, const char *next);

#endif
