/* text.c - UTF-8 validation, counting and folding with utf8proc. */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool text_valid_utf8(const char *s, size_t len) { return text_utf8_valid(s, len) && !memchr(s, '\0', len); }

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
                                      UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                          UTF8PROC_IGNORE | UTF8PROC_STABLE);
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

/* ================================================================ */
/* spellings of values in text                                      */

bool text_is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

void text_trim_span(const char **s, size_t *n)
{
    while (*n && text_is_space(**s))
        (*s)++, (*n)--;
    while (*n && text_is_space((*s)[*n - 1]))
        (*n)--;
}

bool text_parse_id(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > TEXT_ID_DIGITS_MAX)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v <= 0)
        return false;
    *out = v;
    return true;
}

bool text_parse_bool(const char *s, size_t n, bool *out)
{
    static const char *const yes[] = {"1", "true", "True"}, *const no[] = {"0", "false", "False"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (n == strlen(yes[i]) && !memcmp(s, yes[i], n)) {
            *out = true;
            return true;
        }
        if (n == strlen(no[i]) && !memcmp(s, no[i], n)) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* ================================================================ */
/* names and free text                                              */

static enum text_chars_verdict classify(utf8proc_int32_t cp, bool multiline)
{
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
        return cp == '\n' && multiline ? TEXT_CHARS_OK : TEXT_CHARS_CONTROL;
    if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2066 && cp <= 0x2069))
        return TEXT_CHARS_BIDI;
    if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff)
        return TEXT_CHARS_ZERO_WIDTH;
    return TEXT_CHARS_OK;
}

enum text_chars_verdict text_check_chars(const char *s, bool multiline)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            return TEXT_CHARS_INVALID;
        enum text_chars_verdict v = classify(cp, multiline);
        if (v != TEXT_CHARS_OK)
            return v;
        p += n;
        left -= n;
    }
    return TEXT_CHARS_OK;
}

char *text_nfc(struct arena *a, const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s), &out,
                                      UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (n < 0) {
        free(out);
        return NULL;
    }
    char *r = arena_strdup(a, (const char *)out);
    free(out);
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
