/* post.h - the post record (a post or a discussion, told apart by its
 * type) and one page of posts, shared by the domain rules and the store.
 * The rules on the fields (title length, categories) stay in domain/post.h.
 */
#ifndef HEARTH_MODEL_POST_H
#define HEARTH_MODEL_POST_H

#include <stdbool.h>
#include <stdint.h>

#define POST_TYPE_POST "post"
#define POST_TYPE_DISCUSSION "discussion"

struct post {
    int64_t id;
    const char *type; /* POST_TYPE_POST or POST_TYPE_DISCUSSION */
    int64_t author_id;
    const char *title; /* discussions; NULL for posts */
    const char *slug;  /* discussions; NULL for posts */
    const char *html;
    const char *summary;
    int64_t added_us, last_activity_us;
    bool deleted;
};

struct post_page {
    int64_t count;
    struct post *items;
    int n;
};

#endif
