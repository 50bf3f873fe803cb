/* text.c - UTF-8 validation, counting and folding with utf8proc. */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool text_valid_utf8(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp == 0)
            return false;
        p += n;
        left -= n;
    }
    return true;
}

long text_chars(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    long count = 0;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            return -1;
        p += n;
        left -= n;
        count++;
    }
    return count;
}

char *text_fold_malloc(const char *s, size_t len)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
                                      UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_STABLE);
    if (n < 0) {
        free(out);
        return NULL;
    }
    return (char *)out;
}

char *text_fold(struct arena *a, const char *s)
{
    char *f = text_fold_malloc(s, strlen(s));
    if (!f)
        return arena_strdup(a, "");
    char *r = arena_strdup(a, f);
    free(f);
    return r;
}

/* ---- UTF-8 well-formedness without utf8proc ---- */

/* The accepted byte sequences of Unicode Table 3-7: the second byte's range
 * depends on the lead byte, which is what excludes overlong forms (E0, F0),
 * surrogates (ED) and code points above U+10FFFF (F4). */
static bool utf8_lead(unsigned char c, size_t *continuation, unsigned char *low, unsigned char *high)
{
    *low = 0x80;
    *high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        *continuation = 1;
    else if (c >= 0xE0 && c <= 0xEF)
        *continuation = 2;
    else if (c >= 0xF0 && c <= 0xF4)
        *continuation = 3;
    else
        return false; /* continuation byte, C0/C1 overlong lead, or F5.. */
    if (c == 0xE0)
        *low = 0xA0;
    else if (c == 0xED)
        *high = 0x9F;
    else if (c == 0xF0)
        *low = 0x90;
    else if (c == 0xF4)
        *high = 0x8F;
    return true;
}

bool text_utf8_valid(const void *bytes, size_t n)
{
    const unsigned char *s = bytes;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t continuation;
        unsigned char low, high;
        if (!utf8_lead(s[i], &continuation, &low, &high) || n - i - 1 < continuation)
            return false;
        if (s[i + 1] < low || s[i + 1] > high)
            return false;
        for (size_t k = 2; k <= continuation; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += continuation + 1;
    }
    return true;
}
