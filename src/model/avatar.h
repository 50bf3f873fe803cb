/* avatar.h - one entry of a user's avatar gallery, shared by the gallery
 * rules (domain/avatar.h) and the store. */
#ifndef HEARTH_MODEL_AVATAR_H
#define HEARTH_MODEL_AVATAR_H

#include <stdbool.h>
#include <stdint.h>

/* A row of the gallery. `file` is a stored media name (domain/media.h), an
 * arena copy. */
struct user_avatar {
    int64_t id;
    int64_t user_id;
    const char *file;
    bool primary;
    int64_t uploaded_us;
};

#endif
