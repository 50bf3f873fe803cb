/* pg_search_words.c - the word starts of a user (users.search_words,
 * 006_search.sql), computed in C because SQL cannot classify characters
 * as utf8proc does (search_words.c). */
#include "store/pg_search.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/search_words.h"

struct word {
    char field;
    const char *s; /* not NUL-terminated */
    size_t len;
};

/* Bytewise, as COLLATE "C" compares: the field digit, then the bytes, the
 * shorter first. */
static int word_cmp(const void *a, const void *b)
{
    const struct word *x = a, *y = b;
    if (x->field != y->field)
        return (unsigned char)x->field < (unsigned char)y->field ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* One element of a text[] literal as PostgreSQL writes it back
 * (array_out): quoted only when it holds a brace, comma, quote, backslash
 * or white space. Elements start with a digit, so are never empty or
 * NULL. */
static void put_element(struct buf *out, char field, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] && strchr("{},\"\\ \t\n\r\v\f", s[i]) != NULL;
    if (quote)
        buf_puts(out, "\"");
    buf_append(out, &field, 1);
    for (size_t i = 0; i < len; i++) {
        if (quote && (s[i] == '"' || s[i] == '\\'))
            buf_append(out, "\\", 1);
        buf_append(out, s + i, 1);
    }
    if (quote)
        buf_puts(out, "\"");
}

void pg_search_words(struct buf *out, const char *username_fold, const char *real_name_fold, const char *location_fold,
                     const char *description_fold)
{
    const char *text[PG_SEARCH_FIELDS] = {username_fold, real_name_fold, location_fold, description_fold};
    size_t cap = 0;
    for (int k = 0; k < PG_SEARCH_FIELDS; k++)
        cap += text[k] ? 2 * strlen(text[k]) : 0;
    struct word *w = malloc((cap ? cap : 1) * sizeof *w);
    if (!w)
        abort(); /* as buf: out of memory is fatal */
    size_t n = 0;
    for (int k = 0; k < PG_SEARCH_FIELDS; k++) {
        const unsigned char *s = (const unsigned char *)text[k];
        if (!s)
            continue;
        size_t len = strlen((const char *)s);
        bool prev_word = false;
        for (size_t i = 0; i < len;) {
            int32_t cp;
            size_t l1 = search_cp_len(s + i, len - i, &cp);
            if (!prev_word) {
                w[n++] = (struct word){(char)('1' + k), (const char *)s + i, l1};
                if (i + l1 < len) {
                    int32_t next;
                    size_t l2 = search_cp_len(s + i + l1, len - i - l1, &next);
                    w[n++] = (struct word){(char)('1' + k), (const char *)s + i, l1 + l2};
                }
            }
            prev_word = search_word_cp(cp);
            i += l1;
        }
    }
    qsort(w, n, sizeof *w, word_cmp);
    buf_puts(out, "{");
    size_t put = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !word_cmp(&w[i - 1], &w[i]))
            continue;
        if (put++)
            buf_puts(out, ",");
        put_element(out, w[i].field, w[i].s, w[i].len);
    }
    buf_puts(out, "}");
    free(w);
}

char *pg_search_words_dup(const char *username_fold, const char *real_name_fold, const char *location_fold,
                          const char *description_fold)
{
    struct buf b = BUF_INIT;
    pg_search_words(&b, username_fold, real_name_fold, location_fold, description_fold);
    return buf_detach(&b, NULL);
}
