/* avatar_image.c - the generated default avatar (see avatar_image.h): a
 * 5×7 bitmap glyph scaled into a 1-bit palette PNG, written by hand (zlib
 * stored blocks need no compressor: the image is a few hundred bytes). */
#include "domain/avatar_image.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Material-like dark tones: white text on each has a WCAG contrast ratio
 * of at least 4.5 (AA for normal text). */
static const uint32_t avatar_palette[AVATAR_PALETTE_SIZE] = {
    0xC62828, 0xAD1457, 0x6A1B9A, 0x4527A0, 0x283593, 0x1565C0, 0x0277BD, 0x00695C,
    0x2E7D32, 0x33691E, 0xBF360C, 0x6D4C41, 0x4E342E, 0x37474F, 0x5D4037, 0x00838F,
};

enum {
    GLYPH_W = 5,
    GLYPH_H = 7,
    ROW_BYTES = AVATAR_IMAGE_SIZE / 8,               /* 1 bit per pixel */
    RAW_BYTES = (1 + ROW_BYTES) * AVATAR_IMAGE_SIZE, /* a filter byte per row */
    GLYPH_X = (AVATAR_IMAGE_SIZE - GLYPH_W * AVATAR_GLYPH_SCALE) / 2,
    GLYPH_Y = (AVATAR_IMAGE_SIZE - GLYPH_H * AVATAR_GLYPH_SCALE) / 2,
};
_Static_assert(AVATAR_IMAGE_SIZE % 8 == 0, "whole bytes per row");
_Static_assert(RAW_BYTES <= 65535, "one stored deflate block");

/* ================================================================ */
/* the initial                                                      */

/* The classic 5×7 character-LCD glyphs, one byte per row (bit 4 = left). */
static const unsigned char glyph_letters[26][GLYPH_H] = {
    {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}, {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}, /* A B */
    {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}, {0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E}, /* C D */
    {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}, {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}, /* E F */
    {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}, {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}, /* G H */
    {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}, {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}, /* I J */
    {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}, {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}, /* K L */
    {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}, {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}, /* M N */
    {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}, {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}, /* O P */
    {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}, {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}, /* Q R */
    {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}, {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}, /* S T */
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}, {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}, /* U V */
    {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}, {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}, /* W X */
    {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}, /* Y Z */
};
static const unsigned char glyph_digits[10][GLYPH_H] = {
    {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}, {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}, /* 0 1 */
    {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}, {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}, /* 2 3 */
    {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}, {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}, /* 4 5 */
    {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}, /* 6 7 */
    {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}, {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}, /* 8 9 */
};
static const unsigned char glyph_unknown[GLYPH_H] = {0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04}; /* ? */

static const unsigned char *glyph_of(char c)
{
    if (c >= 'A' && c <= 'Z')
        return glyph_letters[c - 'A'];
    if (c >= '0' && c <= '9')
        return glyph_digits[c - '0'];
    return glyph_unknown;
}

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

/* An ASCII letter or digit, upper-cased, or 0. */
static char ascii_alnum(unsigned c)
{
    if (c >= 'a' && c <= 'z')
        return (char)(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return (char)c;
    return 0;
}

/* The ASCII base of a letter of another script ("É", "ñ", "ﬁ"), or 0. */
static char ascii_base(utf8proc_int32_t cp)
{
    utf8proc_uint8_t one[8];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, one);
    if (n <= 0)
        return 0;
    one[n] = '\0';
    utf8proc_uint8_t *mapped = NULL;
    if (utf8proc_map(one, n, &mapped, UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK) < 1 || !mapped) {
        free(mapped);
        return 0;
    }
    char c = ascii_alnum(mapped[0]);
    free(mapped);
    return c;
}

char avatar_image_initial(const char *username)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(username ? username : "");
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen((const char *)p);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            return '?'; /* invalid UTF-8 */
        if (is_letter_or_digit(cp)) {
            char c = cp < 0x80 ? ascii_alnum((unsigned)cp) : ascii_base(cp);
            return c ? c : '?';
        }
        p += n;
        left -= n;
    }
    return '?';
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
/* the PNG                                                          */

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return ~crc;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Appends the chunk (length, type, data, CRC of type and data) at out+*at. */
static void put_chunk(unsigned char *out, size_t *at, const char type[4], const unsigned char *data, size_t len)
{
    unsigned char *p = out + *at;
    put32(p, (uint32_t)len);
    memcpy(p + 4, type, 4);
    if (len)
        memcpy(p + 8, data, len);
    put32(p + 8 + len, crc32_update(0, p + 4, 4 + len));
    *at += 12 + len;
}

/* The scanlines: filter byte 0, then 1 bit per pixel (1 = the letter). */
static void draw(char initial, unsigned char raw[RAW_BYTES])
{
    const unsigned char *g = glyph_of(initial);
    memset(raw, 0, RAW_BYTES);
    for (int y = 0; y < GLYPH_H * AVATAR_GLYPH_SCALE; y++) {
        unsigned char *row = raw + (size_t)(GLYPH_Y + y) * (1 + ROW_BYTES) + 1;
        for (int x = 0; x < GLYPH_W * AVATAR_GLYPH_SCALE; x++) {
            if (!(g[y / AVATAR_GLYPH_SCALE] >> (GLYPH_W - 1 - x / AVATAR_GLYPH_SCALE) & 1))
                continue;
            int px = GLYPH_X + x;
            row[px / 8] |= (unsigned char)(0x80 >> (px % 8));
        }
    }
}

const unsigned char *avatar_image_png(struct arena *a, int64_t id, const char *username, size_t *len,
                                      char etag[AVATAR_ETAG_LEN])
{
    unsigned char raw[RAW_BYTES];
    draw(avatar_image_initial(username), raw);

    /* IHDR: size, bit depth 1, colour type 3 (palette), deflate, no
     * filtering choice, no interlace */
    unsigned char ihdr[13] = {0};
    put32(ihdr, AVATAR_IMAGE_SIZE);
    put32(ihdr + 4, AVATAR_IMAGE_SIZE);
    ihdr[8] = 1;
    ihdr[9] = 3;
    uint32_t bg = avatar_image_color(id);
    const unsigned char plte[6] = {
        (unsigned char)(bg >> 16), (unsigned char)(bg >> 8), (unsigned char)bg, 0xFF, 0xFF, 0xFF};

    /* zlib: header (deflate, 32K window, no dictionary, check bits), one
     * final stored block (LEN, NLEN little-endian), the data, Adler-32 */
    enum { ZLIB_BYTES = 2 + 5 + RAW_BYTES + 4 };
    unsigned char z[ZLIB_BYTES];
    z[0] = 0x78;
    z[1] = 0x01;
    z[2] = 0x01;
    const unsigned stored = RAW_BYTES, complement = 0xFFFFu ^ stored;
    z[3] = (unsigned char)(stored & 0xFF);
    z[4] = (unsigned char)(stored >> 8);
    z[5] = (unsigned char)(complement & 0xFF);
    z[6] = (unsigned char)(complement >> 8);
    memcpy(z + 7, raw, RAW_BYTES);
    uint32_t s1 = 1, s2 = 0;
    for (size_t i = 0; i < RAW_BYTES; i++) {
        s1 = (s1 + raw[i]) % 65521;
        s2 = (s2 + s1) % 65521;
    }
    put32(z + 7 + RAW_BYTES, s2 << 16 | s1);

    size_t cap = 8 + (12 + sizeof ihdr) + (12 + sizeof plte) + (12 + ZLIB_BYTES) + 12, at = 8;
    unsigned char *out = arena_alloc(a, cap);
    memcpy(out, "\x89PNG\r\n\x1a\n", 8);
    put_chunk(out, &at, "IHDR", ihdr, sizeof ihdr);
    put_chunk(out, &at, "PLTE", plte, sizeof plte);
    put_chunk(out, &at, "IDAT", z, ZLIB_BYTES);
    put_chunk(out, &at, "IEND", NULL, 0);
    *len = at;

    /* FNV-1a over the bytes: the tag changes exactly when the image does */
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < at; i++)
        h = (h ^ out[i]) * 0x100000001B3ull;
    snprintf(etag, AVATAR_ETAG_LEN, "\"%016llx\"", (unsigned long long)h);
    return out;
}
