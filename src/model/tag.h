/* tag.h - the tag record, a user's tag, and the shapes of tag lists
 * (filters, one page), shared by the domain rules and the store. The rules
 * on the fields and who sees which tag stay in domain/tag.h.
 */
#ifndef HEARTH_MODEL_TAG_H
#define HEARTH_MODEL_TAG_H

#include <stdbool.h>
#include <stdint.h>

struct tag {
    int64_t id;
    const char *type; /* "user" or "category" */
    const char *name;
    const char *description; /* NULL when none */
    const char *color;       /* "#RRGGBB" or "#RGB" */
    bool visible, active, deleted;
    int64_t created_us;
};

/* A user's tag, for rendering many users at once. */
struct user_tag {
    int64_t user_id;
    struct tag tag;
};

struct tag_filter {
    const char *type;             /* NULL = any */
    const char *search;           /* folded; name contains it; NULL = any */
    int visible, active, deleted; /* -1 any, 0 false, 1 true */
    int limit, offset;
};

struct tag_page {
    int64_t count;
    struct tag *items;
    int n;
};

#endif
