/* tag.h - tags (contract §8, schemas/tag.md): validation of the record
 * (model/tag.h), the admin actions, and which tags a caller sees on a user.
 *
 * Visibility: everyone sees a user's tags that are visible, active and not
 * deleted; the user themself and admins see all their tags that are not
 * deleted. Tag endpoints are admin-only (the API enforces it).
 */
#ifndef HEARTH_DOMAIN_TAG_H
#define HEARTH_DOMAIN_TAG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/tag.h"

#define TAG_TYPE_CHOICES_MESSAGE "Select a valid choice: user or category."

struct store;
struct principal;

enum {
    TAG_NAME_MAX = 100,         /* characters */
    TAG_TYPE_MAX = 16,          /* characters of a type: longer ones match none */
    TAG_COLOR_MAX = 7,          /* characters of "#RRGGBB" */
    TAG_DESCRIPTION_MAX = 1000, /* characters */
    TAG_SIGNUP_MAX = 100,       /* tag ids in one signup */
    TAG_PAGE_DEFAULT = 20,
    TAG_PAGE_MAX = 100,
};

/* Shown to everyone: visible, active and not deleted. */
bool tag_visible_to_all(const struct tag *t);

/* Whether `viewer` sees tag t on user `owner_id`. */
bool tag_visible_to(const struct tag *t, const struct principal *viewer, int64_t owner_id);

/* Creates a tag from a body {type?, name, description?, color?, visible?,
 * active?, deleted?}; 400 with the field named when invalid, `unique` when
 * (type, name) exists. */
bool tag_create(struct store *st, struct arena *a, json_t *body, struct tag *out, struct err *e);

/* Changes the fields present in body (partial); 404 if no such tag. */
bool tag_update(struct store *st, struct arena *a, int64_t id, json_t *body, struct tag *out, struct err *e);

/* 404 if no such tag. */
bool tag_get(struct store *st, struct arena *a, int64_t id, struct tag *out, struct err *e);

bool tag_list(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out, struct err *e);

/* assign/add (add = true, idempotent) or remove the tag of body {"user": id}.
 * 404 if no such tag; 400 on `user` missing, not an id, or not an existing
 * user; 400 when the tag is deleted or not a user tag (adding). */
bool tag_set_user(struct store *st, struct arena *a, int64_t tag_id, json_t *body, bool add, struct err *e);

/* Reads a list of tag ids (a JSON array of integers or digit strings, or a
 * comma-separated string, as forms send): deduplicated, at most
 * TAG_SIGNUP_MAX; errors on `field`. NULL/absent = none. */
bool tag_ids_from_json(struct arena *a, json_t *v, const char *field, int64_t **ids, int *n, struct err *e);

/* Checks that every id names a user tag that is not deleted (400
 * `does_not_exist` on `field` otherwise). */
bool tag_ids_check(struct store *st, struct arena *a, const int64_t *ids, int n, const char *field, struct err *e);

/* The ids of a user's tags that are not deleted (the SSO replies). *ids
 * is an arena array. */
bool tag_ids_of_user(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, int *n, struct err *e);

/* The tags of a user that are not deleted, for /user/{id}/tags/. */
bool tag_list_of_user(struct store *st, struct arena *a, int64_t user_id, struct tag **tags, int *n, struct err *e);

#endif
