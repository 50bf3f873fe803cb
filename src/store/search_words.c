/* search_words.c - the word rule of user search, for both engines. */
#include "store/search_words.h"

#include <string.h>
#include <utf8proc.h>

bool search_word_cp(int32_t cp)
{
    if (cp < 0)
        return false;
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

size_t search_cp_len(const unsigned char *s, size_t left, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)left, &c);
    if (n <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return (size_t)n;
}

int32_t search_cp_before(const unsigned char *s, const unsigned char *p)
{
    const unsigned char *q = p - 1;
    while (q > s && (*q & 0xC0) == 0x80 && p - q < 4)
        q--;
    int32_t cp;
    search_cp_len(q, (size_t)(p - q), &cp);
    return cp;
}

bool search_word_start(const char *text, const char *term)
{
    if (!text || !term || !*term)
        return false;
    const unsigned char *s = (const unsigned char *)text;
    /* a valid UTF-8 needle starts with a lead byte, so strstr only matches
     * at character boundaries */
    for (const char *p = strstr(text, term); p; p = strstr(p + 1, term))
        if (p == text || !search_word_cp(search_cp_before(s, (const unsigned char *)p)))
            return true;
    return false;
}
