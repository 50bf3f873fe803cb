/* category.h - the category record and the shapes of category lists
 * (ordering, filters, one page), shared by the domain rules and the store.
 * The rules on the fields (lengths, slugs, page sizes) stay in
 * domain/category.h.
 */
#ifndef HEARTH_MODEL_CATEGORY_H
#define HEARTH_MODEL_CATEGORY_H

#include <stdbool.h>
#include <stdint.h>

enum {
    CATEGORY_MAX_ORDER = 4, /* keys in an `ordering` parameter */
};

/* Whether the caller follows a category: not known (anonymous callers, or
 * not looked up) is the zero value, so a record built anywhere omits it. */
enum category_followed {
    CATEGORY_FOLLOWED_UNKNOWN = 0,
    CATEGORY_FOLLOWED_NO,
    CATEGORY_FOLLOWED_YES,
};

struct category {
    int64_t id;
    int64_t order;
    const char *name;
    const char *name_synonyms; /* NULL when unset, as are the other optional texts */
    const char *slug;
    const char *slogan;
    const char *html_info; /* sanitised HTML (domain/html.h) */
    const char *seo_title;
    const char *seo_description;
    const char *auto_follow; /* "none", "default" or "forced" (recorded, not acted on) */
    bool active, deleted;    /* deleted implies !active */
    int64_t emotional_image_position;
    const char *stream_order_by; /* "recent" or "last_activity" */
    int64_t lastmod_us;
    bool content_only_staff;         /* only staff may post in it (recorded) */
    int64_t followers_counter;       /* followers who are active users (maintained by the store) */
    enum category_followed followed; /* by the caller; unknown for anonymous callers */
};

struct category_order {
    const char *column; /* a column name from an allow-list, never user text */
    bool desc;
};

/* Filters of GET /category/. */
struct category_filter {
    const char *search; /* name contains, case-insensitive; NULL = any */
    int active;         /* 1 or 0 to filter, -1 = any */
    bool deleted;       /* false: categories not deleted; true: only deleted ones */
    struct category_order order[CATEGORY_MAX_ORDER];
    int norder; /* 0 = by order, then id */
    int limit, offset;
};

struct category_page {
    int64_t count;
    struct category *items;
    int n;
};

#endif
