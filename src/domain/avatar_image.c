/* avatar_image.c - the generated default avatar (see avatar_image.h). */
#include "domain/avatar_image.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* Material-like dark tones: white text on each has a WCAG contrast ratio
 * of at least 4.5 (AA for normal text). */
static const uint32_t avatar_palette[AVATAR_PALETTE_SIZE] = {
    0xC62828, 0xAD1457, 0x6A1B9A, 0x4527A0, 0x283593, 0x1565C0, 0x0277BD, 0x00695C,
    0x2E7D32, 0x33691E, 0xBF360C, 0x6D4C41, 0x4E342E, 0x37474F, 0x5D4037, 0x00838F,
};

/* ================================================================ */
/* the initial                                                      */

static bool is_letter_or_digit(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: return true;
    default: return false;
    }
}

static bool is_visible(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c != UTF8PROC_CATEGORY_CC && c != UTF8PROC_CATEGORY_CF && c != UTF8PROC_CATEGORY_CN &&
           c != UTF8PROC_CATEGORY_ZS && c != UTF8PROC_CATEGORY_ZL && c != UTF8PROC_CATEGORY_ZP &&
           c != UTF8PROC_CATEGORY_CS && c != UTF8PROC_CATEGORY_CO;
}

void avatar_image_initial(const char *username, char out[AVATAR_INITIAL_MAX])
{
    utf8proc_int32_t first = -1, chosen = -1;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(username ? username : "");
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen((const char *)p);
    while (left > 0 && chosen < 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            first = -1; /* invalid UTF-8: the fallback */
            break;
        }
        if (first < 0)
            first = cp;
        if (is_letter_or_digit(cp))
            chosen = cp;
        p += n;
        left -= n;
    }
    if (chosen < 0)
        chosen = first >= 0 && is_visible(first) ? first : '?';
    chosen = utf8proc_toupper(chosen);
    utf8proc_ssize_t n = utf8proc_encode_char(chosen, (utf8proc_uint8_t *)out);
    out[n > 0 && n < AVATAR_INITIAL_MAX ? n : 0] = '\0';
    if (n <= 0) {
        out[0] = '?';
        out[1] = '\0';
    }
}

/* ================================================================ */
/* the colour                                                       */

uint32_t avatar_image_color(int64_t id)
{
    /* splitmix64's finaliser: consecutive ids land on unrelated colours */
    uint64_t x = (uint64_t)id + 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    return avatar_palette[x % AVATAR_PALETTE_SIZE];
}

/* ================================================================ */
/* the document                                                     */

size_t avatar_image_xml_escape(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++) {
        const char *entity = NULL;
        switch (*s) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&apos;"; break;
        default: break;
        }
        if (entity) {
            size_t len = strlen(entity);
            memcpy(out + n, entity, len);
            n += len;
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
    return n;
}

const char *avatar_image_svg(struct arena *a, int64_t id, const char *username, size_t *len, char etag[AVATAR_ETAG_LEN])
{
    char initial[AVATAR_INITIAL_MAX], escaped[6 * AVATAR_INITIAL_MAX + 1];
    avatar_image_initial(username, initial);
    avatar_image_xml_escape(initial, escaped);
    uint32_t color = avatar_image_color(id);
    const int size = AVATAR_IMAGE_SIZE, half = AVATAR_IMAGE_SIZE / 2;
    char *svg = arena_printf(a,
                             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                             "viewBox=\"0 0 %d %d\"><rect width=\"%d\" height=\"%d\" fill=\"#%06X\"/>"
                             "<text x=\"%d\" y=\"%d\" dy=\"0.35em\" text-anchor=\"middle\" "
                             "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"%d\" font-weight=\"600\" "
                             "fill=\"#FFFFFF\">%s</text></svg>\n",
                             size, size, size, size, size, size, (unsigned)color, half, half, half, escaped);
    *len = strlen(svg);
    /* FNV-1a over the bytes: the tag changes exactly when the image does */
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < *len; i++)
        h = (h ^ (unsigned char)svg[i]) * 0x100000001B3ull;
    snprintf(etag, AVATAR_ETAG_LEN, "\"%016llx\"", (unsigned long long)h);
    return svg;
}
