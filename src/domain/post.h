/* post.h - posts and discussions (contract §8, schemas/post.md and
 * discussion.md) and the user feed: who may create, read and delete them,
 * and the counters they move.
 *
 * A post and a discussion are one record with a type; a discussion also
 * has a title and a slug. Text is HTML, sanitised (domain/html.h) and kept
 * with a plain-text summary. Deletion is soft: the record stays, marked
 * deleted, and leaves feeds and counters.
 */
#ifndef HEARTH_DOMAIN_POST_H
#define HEARTH_DOMAIN_POST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/user.h"
#include "model/post.h"

struct store;
struct category;

enum {
    POST_TITLE_MAX = 255,     /* characters of a discussion title (1-255) */
    POST_SLUG_MAX = 100,      /* characters of a discussion slug, made from the title */
    POST_CATEGORIES_MAX = 20, /* categories on one post: enough to file it, few enough to read */
    POST_PAGE_DEFAULT = 20,   /* contract §3 */
    POST_PAGE_MAX = 100,      /* contract §3 */
};

/* What a create request carries, read from any body encoding. */
struct post_input {
    const char *title; /* trimmed; NULL when absent */
    bool has_title;
    const char *text; /* raw HTML; NULL when absent */
    bool has_text;
    int64_t category_ids[POST_CATEGORIES_MAX]; /* distinct */
    int ncategories;
    bool has_categories;
};

/* Whether `type` is one of the two types (and the canonical string). */
const char *post_type(const char *type);

/* Reads {title, text, categories} from a body: `categories` is a JSON array
 * of ids (integers or decimal strings), or one id, or a comma-separated
 * string of ids (form bodies). Field errors: invalid, max_length. */
bool post_input_from_json(struct arena *a, json_t *body, struct post_input *in, struct err *e);

/* Creates a post or discussion by `who` from a request body (any
 * encoding, see post_input_from_json): 403 mode_disabled when
 * configurations.<type>_type_enabled is false; 403 for a blocked caller;
 * categories required, each existing, not deleted and active
 * (does_not_exist otherwise); a discussion needs a title of 1-255
 * characters; a post needs text with some content, a discussion's text is
 * optional. The author's posts_counter or discussions_counter moves in the
 * same transaction. Fills *out, and *author as it is after the change. */
bool post_create(struct store *st, struct arena *a, const struct principal *who, const char *type, json_t *body,
                 struct post *out, struct user *author, struct err *e);

/* Loads the post `id` of `type` as `who` may see it, and its author: 404 if
 * missing, of the other type, by a hard-deleted author, or deleted (unless
 * `who` is its author or an administrator, who see it with deleted: true). */
bool post_get(struct store *st, struct arena *a, const struct principal *who, const char *type, int64_t id,
              struct post *out, struct user *author, struct err *e);

/* The categories of a post (Category objects of the feed, contract §9). */
bool post_categories(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n, struct err *e);

/* Soft-deletes the post `id` of `type`: 404 as post_get; 403 unless `who`
 * is its author or an administrator, or when `who` is blocked; 400
 * already_deleted. The author's counter moves in the same transaction. */
bool post_delete(struct store *st, struct arena *a, const struct principal *who, const char *type, int64_t id,
                 struct err *e);

/* The feed of user `author_id` as `who` sees it: the author's posts and
 * discussions not deleted, newest first. 404 for a missing or hard-deleted
 * author; empty when `who` has hidden the author. Fills *author too. */
bool post_user_feed(struct store *st, struct arena *a, const struct principal *who, int64_t author_id, int limit,
                    int offset, struct user *author, struct post_page *out, struct err *e);

#endif
