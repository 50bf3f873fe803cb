/* test_avatar_image.c - unit tests of domain/avatar_image.c: the initial
 * (ASCII letters and digits, other scripts' base letters, fallbacks), the
 * colour (from the palette, stable, spread, dark enough), and the PNG:
 * chunk layout and CRCs, the zlib stored block and its Adler-32, the
 * palette, and the pixels of the glyph; the entity tag. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/avatar_image.h"

static void test_initial(void **state)
{
    (void)state;
    assert_int_equal(avatar_image_initial("alice"), 'A');
    assert_int_equal(avatar_image_initial("Bob"), 'B');
    assert_int_equal(avatar_image_initial("42cats"), '4');
    assert_int_equal(avatar_image_initial("_zed"), 'Z'); /* the first letter or digit */
    assert_int_equal(avatar_image_initial(".-@x"), 'X');
    assert_int_equal(avatar_image_initial("élodie"), 'E'); /* the ASCII base letter */
    assert_int_equal(avatar_image_initial("Ñandú"), 'N');
    assert_int_equal(avatar_image_initial("ﬁsh"), 'F');   /* a compatibility ligature */
    assert_int_equal(avatar_image_initial("_日本"), '?'); /* no ASCII base */
    assert_int_equal(avatar_image_initial("ωmega"), '?');
    assert_int_equal(avatar_image_initial("__"), '?');
    assert_int_equal(avatar_image_initial("<>"), '?');
    assert_int_equal(avatar_image_initial(""), '?');
    assert_int_equal(avatar_image_initial(NULL), '?');
    assert_int_equal(avatar_image_initial("\x01x"), 'X');
    assert_int_equal(avatar_image_initial("\xff\xfe"), '?'); /* invalid UTF-8 */
    assert_int_equal(avatar_image_initial("\xc3"), '?');     /* truncated sequence */
}

static void test_color(void **state)
{
    (void)state;
    /* stable, in range, and spread: 64 consecutive ids use most colours,
     * and neighbours are mostly different */
    uint32_t seen[AVATAR_PALETTE_SIZE];
    int distinct = 0, same_as_next = 0;
    for (int64_t id = 1; id <= 64; id++) {
        uint32_t c = avatar_image_color(id);
        assert_true(c <= 0xFFFFFF);
        assert_int_equal(c, avatar_image_color(id));
        bool known = false;
        for (int i = 0; i < distinct; i++)
            known = known || seen[i] == c;
        if (!known) {
            assert_true(distinct < AVATAR_PALETTE_SIZE);
            seen[distinct++] = c;
        }
        same_as_next += c == avatar_image_color(id + 1);
    }
    assert_true(distinct >= 10);
    assert_true(same_as_next < 16);
    /* every colour is dark enough for white text: luminance below one half */
    for (int64_t id = 1; id <= 1000; id++) {
        uint32_t c = avatar_image_color(id);
        unsigned r = c >> 16, g = c >> 8 & 0xFF, b = c & 0xFF;
        assert_true(299 * r + 587 * g + 114 * b < 128 * 1000);
    }
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t crc32_ref(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

/* Walks the chunks, checking each CRC; returns the data of `type`. */
static const unsigned char *find_chunk(const unsigned char *png, size_t len, const char *type, size_t *n)
{
    size_t at = 8;
    while (at + 12 <= len) {
        uint32_t clen = get32(png + at);
        assert_true(at + 12 + clen <= len);
        assert_int_equal(get32(png + at + 8 + clen), crc32_ref(png + at + 4, 4 + clen));
        if (!memcmp(png + at + 4, type, 4)) {
            *n = clen;
            return png + at + 8;
        }
        at += 12 + clen;
    }
    return NULL;
}

/* The pixel (x, y) of the decoded image: 1 = the letter. */
static int pixel(const unsigned char *raw, int x, int y)
{
    const unsigned char *row = raw + (size_t)y * (1 + AVATAR_IMAGE_SIZE / 8);
    assert_int_equal(row[0], 0); /* filter: none */
    return row[1 + x / 8] >> (7 - x % 8) & 1;
}

static void test_png(void **state)
{
    struct arena *a = *state;
    char etag[AVATAR_ETAG_LEN], etag2[AVATAR_ETAG_LEN];
    size_t len = 0, len2 = 0;
    const unsigned char *png = avatar_image_png(a, 7, "alice", &len, etag);
    assert_true(len < 1024);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(png + 12, "IHDR", 4);      /* first */
    assert_memory_equal(png + len - 8, "IEND", 4); /* last */

    size_t n;
    const unsigned char *ihdr = find_chunk(png, len, "IHDR", &n);
    assert_non_null(ihdr);
    assert_int_equal(n, 13);
    assert_int_equal(get32(ihdr), AVATAR_IMAGE_SIZE);
    assert_int_equal(get32(ihdr + 4), AVATAR_IMAGE_SIZE);
    assert_int_equal(ihdr[8], 1); /* bit depth */
    assert_int_equal(ihdr[9], 3); /* palette */
    const unsigned char *plte = find_chunk(png, len, "PLTE", &n);
    assert_non_null(plte);
    assert_int_equal(n, 6);
    uint32_t bg = avatar_image_color(7);
    assert_int_equal((uint32_t)plte[0] << 16 | (uint32_t)plte[1] << 8 | plte[2], bg);
    assert_memory_equal(plte + 3, "\xff\xff\xff", 3);

    /* zlib: a valid header, one final stored block, the Adler-32 */
    const unsigned char *z = find_chunk(png, len, "IDAT", &n);
    assert_non_null(z);
    assert_int_equal((z[0] << 8 | z[1]) % 31, 0);
    assert_int_equal(z[0] & 0x0F, 8);
    assert_int_equal(z[2], 0x01);
    size_t raw_len = (size_t)(z[3] | z[4] << 8);
    assert_int_equal(raw_len, (1 + AVATAR_IMAGE_SIZE / 8) * AVATAR_IMAGE_SIZE);
    assert_int_equal((z[5] | z[6] << 8) ^ 0xFFFF, raw_len);
    assert_int_equal(n, 7 + raw_len + 4);
    const unsigned char *raw = z + 7;
    uint32_t s1 = 1, s2 = 0;
    for (size_t i = 0; i < raw_len; i++) {
        s1 = (s1 + raw[i]) % 65521;
        s2 = (s2 + s1) % 65521;
    }
    assert_int_equal(get32(z + 7 + raw_len), s2 << 16 | s1);

    /* the glyph 'A' (.###. / #...# / ... / #####): scaled, centred */
    const int s = AVATAR_GLYPH_SCALE, x0 = (AVATAR_IMAGE_SIZE - 5 * s) / 2, y0 = (AVATAR_IMAGE_SIZE - 7 * s) / 2;
    assert_int_equal(pixel(raw, 0, 0), 0);
    assert_int_equal(pixel(raw, x0 + s / 2, y0 + s / 2), 0);         /* top-left corner of A: off */
    assert_int_equal(pixel(raw, x0 + s + s / 2, y0 + s / 2), 1);     /* top bar */
    assert_int_equal(pixel(raw, x0 + s / 2, y0 + 3 * s + s / 2), 1); /* left leg at the cross bar */
    assert_int_equal(pixel(raw, x0 + 2 * s, y0 + 3 * s), 1);         /* the cross bar */
    assert_int_equal(pixel(raw, x0 + 2 * s, y0 + 5 * s), 0);         /* below it: open */
    assert_int_equal(pixel(raw, x0 - 1, y0 + 3 * s), 0);             /* outside the glyph */
    assert_int_equal(pixel(raw, x0 + 5 * s, y0 + 3 * s), 0);
    int on = 0;
    for (int y = 0; y < AVATAR_IMAGE_SIZE; y++)
        for (int x = 0; x < AVATAR_IMAGE_SIZE; x++)
            on += pixel(raw, x, y);
    assert_int_equal(on, 18 * s * s); /* 'A' has 18 of its 35 dots set */

    /* the tag: quoted hex, the same for the same image, another for another */
    assert_int_equal(strlen(etag), 18);
    assert_true(etag[0] == '"' && etag[17] == '"');
    const unsigned char *again = avatar_image_png(a, 7, "alice", &len2, etag2);
    assert_int_equal(len, len2);
    assert_memory_equal(png, again, len);
    assert_string_equal(etag, etag2);
    avatar_image_png(a, 7, "bob", &len2, etag2);
    assert_string_not_equal(etag, etag2);
}

static int setup(void **state)
{
    *state = arena_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    arena_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial),
        cmocka_unit_test(test_color),
        cmocka_unit_test_setup_teardown(test_png, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
