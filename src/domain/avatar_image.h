/* avatar_image.h - the generated default avatar: a user's initial on a
 * background colour derived from the user's id, as a small SVG image, with
 * an entity tag for HTTP caching. No external service, no state:
 * thread-safe, and the same inputs always give the same bytes.
 */
#ifndef HEARTH_DOMAIN_AVATAR_IMAGE_H
#define HEARTH_DOMAIN_AVATAR_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

enum {
    AVATAR_IMAGE_SIZE = 128,  /* width and height, in CSS pixels */
    AVATAR_INITIAL_MAX = 5,   /* one UTF-8 character and NUL */
    AVATAR_ETAG_LEN = 24,     /* "\"" 16 hex "\"" NUL, with room */
    AVATAR_PALETTE_SIZE = 16, /* background colours, all readable under white */
};

/* The initial shown for `username`: its first letter or digit (ASCII
 * letters upper-cased; other scripts' letters upper-cased where Unicode
 * has a capital), else its first character, else "?" (empty, invalid
 * UTF-8 or a control character). out is UTF-8, NUL-terminated. */
void avatar_image_initial(const char *username, char out[AVATAR_INITIAL_MAX]);

/* The background colour of user `id` as 0xRRGGBB: one of the palette's,
 * spread over ids by a hash (neighbouring ids differ). */
uint32_t avatar_image_color(int64_t id);

/* Writes `s` into out with &, <, >, " and ' as XML entities. out
 * must hold 6 * strlen(s) + 1 bytes; returns the length written. */
size_t avatar_image_xml_escape(const char *s, char *out);

/* The SVG document of user id's default avatar (an arena string, *len its
 * length) and its strong entity tag (quoted, for ETag). */
const char *avatar_image_svg(struct arena *a, int64_t id, const char *username, size_t *len,
                             char etag[AVATAR_ETAG_LEN]);

#endif
