/* avatar.h - the avatar gallery rules: each user keeps up to
 * AVATAR_GALLERY_MAX uploaded avatars, at most one of them primary; the
 * primary one is the user's avatar (users.avatar), none primary means no
 * avatar. The profile update (PATCH /user/{id}/) and the gallery endpoints
 * keep the same rows: an avatar set through the profile replaces the
 * primary entry.
 *
 * Files are written before the transaction that references them and
 * removed only after the one that stops referencing them commits, so a
 * failure loses nothing and leaves at most an unreferenced file for the
 * media sweep. */
#ifndef HEARTH_DOMAIN_AVATAR_H
#define HEARTH_DOMAIN_AVATAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/avatar.h"
#include "model/principal.h"

struct store;

enum {
    /* a gallery is a choice of pictures, not storage: 50 x 5 MiB at most
     * per user */
    AVATAR_GALLERY_MAX = 50,
    AVATAR_PAGE_DEFAULT = 20,
    AVATAR_PAGE_MAX = 100,
};

/* A page of the caller's gallery, oldest first. */
struct avatar_page {
    int64_t count;
    struct user_avatar *items;
    int n;
};

/* The caller's gallery (any active or blocked user).
 * Errors: 404 if the caller's account is gone. */
bool avatar_list(struct store *st, struct arena *a, const struct principal *who, int limit, int offset,
                 struct avatar_page *out, struct err *e);

/* Adds an uploaded image to the caller's gallery (media_check_upload's
 * rules, field "avatar"; no file: "required"). The entry is not primary,
 * unless the caller has no avatar: then it becomes it. *out is the new
 * entry as stored. Errors: 400 field errors (also "max_items" when the
 * gallery is full), 403 for a blocked user, media_save's 5xx. */
bool avatar_add(struct store *st, struct arena *a, const char *media_dir, const struct principal *who,
                const unsigned char *data, size_t len, bool given, struct user_avatar *out, struct err *e);

/* {"avatar_id"}: makes the caller's entry the only primary and the
 * caller's avatar. 400 bad or missing id, 404 no such entry of the
 * caller's, 403 blocked. */
bool avatar_set_primary(struct store *st, struct arena *a, const struct principal *who, json_t *body, struct err *e);

/* {"avatar_id"}: removes the caller's entry and, after the commit, its
 * file. Removing the primary one promotes the newest remaining entry, or
 * leaves the caller without an avatar. Errors as avatar_set_primary. */
bool avatar_remove(struct store *st, struct arena *a, const char *media_dir, const struct principal *who, json_t *body,
                   struct err *e);

/* The profile update's half: user_id's avatar became `file` (a new stored
 * file) or NULL (cleared). The primary entry, if any, is removed (its file
 * is the profile's old avatar, which the caller removes after the commit);
 * a new file is added as the primary entry. Errors: 400 "max_items" on
 * field "avatar" when a full gallery has no primary entry to replace.
 * Must run inside the caller's write transaction. */
bool avatar_profile_replace(struct store *st, struct arena *a, int64_t user_id, const char *file, int64_t now_us,
                            struct err *e);

#endif
