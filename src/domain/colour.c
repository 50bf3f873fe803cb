/* colour.c - a strict reader of CSS colour values (see colour.h). */
#include "domain/colour.h"

#include <stdint.h>
#include <string.h>

/* CSS Color 4 named colours, sorted (bsearch). */
static const char *const named_colours[] = {
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "transparent",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
};

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool is_hex(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Copies the len bytes at s, lower-cased, into out (room for COLOUR_MAX + 1). */
static void fold(const char *s, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = lower(s[i]);
    out[len] = '\0';
}

static bool is_named(const char *folded)
{
    size_t lo = 0, hi = sizeof named_colours / sizeof named_colours[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(folded, named_colours[mid]);
        if (!c)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

static bool is_hex_colour(const char *s, size_t len)
{
    if (len < 1 || s[0] != '#' || (len != 4 && len != 5 && len != 7 && len != 9))
        return false;
    for (size_t i = 1; i < len; i++)
        if (!is_hex(s[i]))
            return false;
    return true;
}

/* ================================================================ */
/* functional notation                                              */

enum unit { UNIT_NONE, UNIT_PERCENT, UNIT_DEG };

/* A reading position in a NUL-terminated, lower-cased copy. */
struct cursor {
    const char *p;
};

static void skip_space(struct cursor *c)
{
    while (is_space(*c->p))
        c->p++;
}

/* An unsigned decimal number with an optional unit: digits, optionally a
 * fraction ("1", "1.5", ".5"). The value is exact enough for range checks
 * (a colour value is at most COLOUR_MAX bytes). */
static bool read_number(struct cursor *c, double *value, enum unit *unit)
{
    const char *p = c->p;
    double v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        digits++;
    }
    if (*p == '.') {
        p++;
        double scale = 0.1;
        int fraction = 0;
        while (*p >= '0' && *p <= '9') {
            v += (*p++ - '0') * scale;
            scale /= 10;
            fraction++;
        }
        if (!fraction)
            return false; /* "1." is not a CSS number */
        digits += fraction;
    }
    if (!digits)
        return false;
    if (*p == '%') {
        *unit = UNIT_PERCENT;
        p++;
    } else if (!strncmp(p, "deg", 3)) {
        *unit = UNIT_DEG;
        p += 3;
    } else {
        *unit = UNIT_NONE;
    }
    c->p = p;
    *value = v;
    return true;
}

struct component {
    double value;
    enum unit unit;
};

/* The arguments of a colour function: three components, then an optional
 * alpha. *commas tells the separator used. */
static bool read_arguments(struct cursor *c, struct component comp[3], struct component *alpha, bool *has_alpha,
                           bool *commas)
{
    skip_space(c);
    for (int i = 0; i < 3; i++) {
        if (i > 0) {
            skip_space(c);
            if (i == 1)
                *commas = *c->p == ',';
            if (*commas) {
                if (*c->p != ',')
                    return false;
                c->p++;
                skip_space(c);
            } else if (!is_space(c->p[-1])) {
                return false; /* "1 2" needs the space; "1%2%" is not two numbers */
            }
        }
        if (!read_number(c, &comp[i].value, &comp[i].unit))
            return false;
    }
    skip_space(c);
    *has_alpha = false;
    if (*c->p == (*commas ? ',' : '/')) {
        c->p++;
        skip_space(c);
        if (!read_number(c, &alpha->value, &alpha->unit))
            return false;
        *has_alpha = true;
        skip_space(c);
    }
    return *c->p == ')' && c->p[1] == '\0';
}

static bool in_range(const struct component *x, double max)
{
    double bound = x->unit == UNIT_PERCENT ? 100 : max;
    return x->value <= bound;
}

static bool alpha_ok(const struct component *a) { return a->unit != UNIT_DEG && in_range(a, 1); }

static bool rgb_ok(const struct component comp[3], bool commas)
{
    for (int i = 0; i < 3; i++) {
        if (comp[i].unit == UNIT_DEG || !in_range(&comp[i], 255))
            return false;
        if (commas && comp[i].unit != comp[0].unit)
            return false; /* the legacy form does not mix numbers and percentages */
    }
    return true;
}

static bool hsl_ok(const struct component comp[3], bool commas)
{
    if (comp[0].unit == UNIT_PERCENT || comp[0].value > 360)
        return false;
    for (int i = 1; i < 3; i++) {
        if (comp[i].unit == UNIT_DEG || (commas && comp[i].unit != UNIT_PERCENT) || !in_range(&comp[i], 100))
            return false;
    }
    return true;
}

static bool is_function_colour(const char *folded)
{
    bool hsl;
    size_t name;
    if (!strncmp(folded, "rgba(", 5) || !strncmp(folded, "hsla(", 5)) {
        name = 5;
    } else if (!strncmp(folded, "rgb(", 4) || !strncmp(folded, "hsl(", 4)) {
        name = 4;
    } else {
        return false;
    }
    hsl = folded[0] == 'h';
    struct cursor c = {folded + name};
    struct component comp[3], alpha;
    bool has_alpha, commas = false;
    if (!read_arguments(&c, comp, &alpha, &has_alpha, &commas))
        return false;
    if (has_alpha && !alpha_ok(&alpha))
        return false;
    return hsl ? hsl_ok(comp, commas) : rgb_ok(comp, commas);
}

bool colour_is_css(const char *s, size_t len)
{
    if (!s || len == 0 || len > COLOUR_MAX || memchr(s, '\0', len))
        return false;
    if (s[0] == '#')
        return is_hex_colour(s, len);
    char folded[COLOUR_MAX + 1];
    fold(s, len, folded);
    return is_named(folded) || is_function_colour(folded);
}
