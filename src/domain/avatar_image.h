/* avatar_image.h - the generated default avatar: a user's initial in white
 * on a background colour derived from the user's id, as a tiny PNG (64×64,
 * two colours, about 700 bytes), with an entity tag for HTTP caching. No
 * external service, no state: thread-safe, and the same inputs always give
 * the same bytes.
 */
#ifndef HEARTH_DOMAIN_AVATAR_IMAGE_H
#define HEARTH_DOMAIN_AVATAR_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

enum {
    AVATAR_IMAGE_SIZE = 64,   /* width and height in pixels */
    AVATAR_GLYPH_SCALE = 6,   /* the 5×7 glyph drawn as 30×42 pixels */
    AVATAR_ETAG_LEN = 24,     /* "\"" 16 hex "\"" NUL, with room */
    AVATAR_PALETTE_SIZE = 16, /* background colours, all readable under white */
};

/* The initial drawn for `username`: its first letter or digit, upper-cased
 * ASCII; a letter of another script by its base letter where it has one
 * ("É" → 'E'); else '?' (none, invalid UTF-8, or no ASCII base). */
char avatar_image_initial(const char *username);

/* The background colour of user `id` as 0xRRGGBB: one of the palette's,
 * spread over ids by a hash (neighbouring ids differ). */
uint32_t avatar_image_color(int64_t id);

/* The PNG of user id's default avatar (arena bytes, *len their count) and
 * its strong entity tag (quoted, for ETag). */
const unsigned char *avatar_image_png(struct arena *a, int64_t id, const char *username, size_t *len,
                                      char etag[AVATAR_ETAG_LEN]);

#endif
