/* colour.h - CSS colour values, as the theme preferences (section
 * `colors`) hold them and SelfCommunity's UI kit reads them.
 *
 * Accepted (CSS Color 4, ASCII case-insensitive, no surrounding spaces):
 *   #rgb, #rgba, #rrggbb, #rrggbbaa
 *   rgb() / rgba(): three components, each 0-255 or 0%-100%, and an
 *     optional alpha 0-1 or 0%-100%; separated by commas (the three all
 *     numbers or all percentages) or by spaces with "/ alpha"
 *   hsl() / hsla(): hue 0-360 (optionally "deg"), saturation and lightness
 *     0%-100% (plain 0-100 too in the space-separated form), optional alpha
 *   a CSS named colour (the 148 of CSS Color 4) or "transparent"
 * Numbers are decimal (digits, an optional fraction), never signed and
 * never out of their range: CSS would clamp them, a stored preference
 * should not need to be.
 *
 * Pure functions on their arguments: thread-safe, no allocation.
 */
#ifndef HEARTH_DOMAIN_COLOUR_H
#define HEARTH_DOMAIN_COLOUR_H

#include <stdbool.h>
#include <stddef.h>

enum {
    COLOUR_MAX = 64, /* bytes of a colour value: "rgba(100%, 100%, 100%, 0.5)" is 28 */
};

/* Whether the len bytes at s are one CSS colour value as above (len over
 * COLOUR_MAX: false). s need not be NUL-terminated. */
bool colour_is_css(const char *s, size_t len);

#endif
