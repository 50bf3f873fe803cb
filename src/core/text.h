/* text.h - UTF-8 text helpers over utf8proc: validation, length in
 * characters, and the case/accent folding used for uniqueness, filters,
 * ranking and ordering. Thread-safe. */
#ifndef HEARTH_CORE_TEXT_H
#define HEARTH_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* True if s[0..len) is valid UTF-8 without NUL bytes. */
bool text_valid_utf8(const char *s, size_t len);

/* True if s[0..len) is well-formed UTF-8 (Unicode Table 3-7: no overlong
 * forms, surrogates or code points above U+10FFFF); NUL bytes allowed. A
 * table-driven scan without utf8proc, for bodies of any size. */
bool text_utf8_valid(const void *s, size_t len);

/* Number of Unicode characters in a valid UTF-8 string; -1 if invalid. */
long text_chars(const char *s);

/* Folded form for comparison: NFKC, case-folded, accents stripped
 * ("Élodie" and "elodie" fold alike). Returns an arena copy; an invalid
 * string folds to "". */
char *text_fold(struct arena *a, const char *s);

/* As text_fold, but malloc'd (caller frees); NULL on invalid input. For
 * SQLite functions that run outside any request arena. */
char *text_fold_malloc(const char *s, size_t len);

#endif
