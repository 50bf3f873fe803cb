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
