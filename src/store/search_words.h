/* search_words.h - the word rule of user search (contract §3, §9), shared
 * by both engines: which characters continue a word, UTF-8 steps, and
 * whether a term occurs at a word start. Engine-neutral: no SQL. */
#ifndef HEARTH_STORE_SEARCH_WORDS_H
#define HEARTH_STORE_SEARCH_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Letters, marks and digits continue a word; anything else (space,
 * punctuation, symbols, an invalid byte: -1) ends it. */
bool search_word_cp(int32_t cp);

/* Length of the UTF-8 sequence at s (1 for an invalid byte, so a walk
 * always advances), its code point in *cp (-1 when invalid). */
size_t search_cp_len(const unsigned char *s, size_t left, int32_t *cp);

/* The code point that ends right before p (p > s). */
int32_t search_cp_before(const unsigned char *s, const unsigned char *p);

/* Whether `term` occurs in `text` at a word start (the start of the text,
 * or after a character that is not a letter, mark or digit). Both folded,
 * valid UTF-8; false for NULL or an empty term. */
bool search_word_start(const char *text, const char *term);

#endif
