/* category.h - categories (contract §8, schemas/category.md; the record is
 * in model/category.h): the administrators' create, update and delete
 * rules, following, and the slugs that categories and discussions get from
 * their names.
 *
 * Domain functions take a store and a request arena, return false with a
 * filled `struct err` on failure, and never speak HTTP. Writes run in one
 * transaction each, counters included (store.h's counter invariant).
 */
#ifndef HEARTH_DOMAIN_CATEGORY_H
#define HEARTH_DOMAIN_CATEGORY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/user.h"
#include "model/category.h"

struct store;

enum {
    CATEGORY_NAME_MAX = 100,            /* characters: a menu entry, not a sentence */
    CATEGORY_SLUG_MAX = 100,            /* characters of A-Z a-z 0-9 _ - (Django's SlugField) */
    CATEGORY_SYNONYMS_MAX = 2000,       /* characters of newline-separated aliases */
    CATEGORY_SLOGAN_MAX = 255,          /* characters */
    CATEGORY_SEO_TITLE_MAX = 255,       /* characters; search engines show about 60 */
    CATEGORY_SEO_DESCRIPTION_MAX = 500, /* characters; search engines show about 160 */
    CATEGORY_SLUG_TRIES = 100,          /* numbered suffixes tried to make a generated slug unique */
    CATEGORY_POSITION_MAX = 100,        /* emotional_image_position is a CSS percentage */
    CATEGORY_PAGE_DEFAULT = 20,         /* contract §3 */
    CATEGORY_PAGE_MAX = 100,            /* contract §3 */
    CATEGORY_SEARCH_MAX = 255,          /* bytes of a search term; longer ones cannot match a name */
    CATEGORY_FOLLOWED_MAX = 1000,       /* entries of /user/{id}/categories/, a plain array: only
                                         * administrators create categories, so a community has few */
};

/* Creates a category from a request body (JSON, form or multipart fields):
 * `name` required; `slug` given, or generated from the name when absent,
 * empty or "_GENERATE_"; the other writable fields optional. 400 with field
 * errors (required, blank, max_length, invalid, unique). */
bool category_create(struct store *st, struct arena *a, json_t *body, struct category *out, struct err *e);

/* Partial update (PATCH and PUT) of category `id`: 404 if missing. Setting
 * `deleted` deletes or restores it, as category_delete does. */
bool category_update(struct store *st, struct arena *a, int64_t id, json_t *body, struct category *out, struct err *e);

/* Soft delete: deleted and inactive; it stops counting in its followers'
 * categories_counter. 404 if missing, 400 already_deleted. */
bool category_delete(struct store *st, struct arena *a, int64_t id, struct err *e);

/* Any category, deleted ones included (for administrators). 404 if missing. */
bool category_get(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e);

bool category_list(struct store *st, struct arena *a, const struct category_filter *f, struct category_page *out,
                   struct err *e);

/* Parses an `ordering` parameter (order, name, id, lastmod_datetime; '-'
 * for descending; unknown keys ignored) into f. */
void category_parse_ordering(const char *ordering, struct category_filter *f);

/* Toggles the caller's follow of category `id`; *following tells the new
 * state. 403 mode_disabled when configurations.category_follow_enabled is
 * false; 404 for a missing or deleted category; 403 for a blocked caller;
 * 400 inactive when following an inactive one (unfollowing is allowed). */
bool category_follow_toggle(struct store *st, struct arena *a, const struct principal *who, int64_t id, bool *following,
                            struct err *e);

/* Whether the caller follows category `id` (404 if missing or deleted). */
bool category_is_followed(struct store *st, struct arena *a, const struct principal *who, int64_t id, bool *followed,
                          struct err *e);

/* Sets `followed` of each of the n categories for the caller: left
 * CATEGORY_FOLLOWED_UNKNOWN for an anonymous one. One indexed lookup each
 * (n is bounded by the callers' page sizes). */
bool category_fill_followed(struct store *st, const struct principal *who, struct category *items, int n,
                            struct err *e);

/* The categories user `user_id` follows (not deleted), by order then id, at
 * most CATEGORY_FOLLOWED_MAX. 404 for a missing or hard-deleted user. */
bool category_followed_by(struct store *st, struct arena *a, int64_t user_id, struct category **out, int *n,
                          struct err *e);

/* A slug from free text: folded to lower-case ASCII letters and digits
 * (accents stripped), every other run of characters one '-', at most
 * max_chars; "" when nothing is left. */
char *category_slugify(struct arena *a, const char *text, int max_chars);

#endif
