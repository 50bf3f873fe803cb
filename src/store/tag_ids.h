/* tag_ids.h - the users.tag_ids column (sqlite 025, postgres 019): a
 * user's tag ids, ascending, joined by ',' ("3,17"), NULL for none. Both
 * engines read it here, so its format stays in the store. Engine-neutral. */
#ifndef HEARTH_STORE_TAG_IDS_H
#define HEARTH_STORE_TAG_IDS_H

#include <stdint.h>

struct arena;

/* The number of ids in a stored list (0 for NULL or ""). */
int tag_ids_count(const char *s);

/* The ids of a stored list, in its order, into an arena array (NULL for
 * none); their number. */
int tag_ids_parse(struct arena *a, const char *s, const int64_t **out);

#endif
