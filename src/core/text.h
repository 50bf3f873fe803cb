/* text.h - UTF-8 text helpers over utf8proc: validation, length in
 * characters, the case/accent folding used for uniqueness, filters,
 * ranking and ordering, the character rule of names and free text, NFC,
 * and the spellings of ids and booleans. Thread-safe. */
#ifndef HEARTH_CORE_TEXT_H
#define HEARTH_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* True if s[0..len) is well-formed UTF-8 (text_utf8_valid) without NUL bytes. */
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

/* ---- spellings of values in text ------------------------------------ */

enum { TEXT_ID_DIGITS_MAX = 18 }; /* 18 decimal digits always fit in int64 */

/* The whitespace DRF strips around values (Python's ASCII whitespace):
 * space, \t, \n, \v, \f, \r. */
bool text_is_space(char c);

/* Narrows s[0..*n) to its part without surrounding whitespace. */
void text_trim_span(const char **s, size_t *n);

/* An id: 1 to TEXT_ID_DIGITS_MAX ASCII digits (no sign, no spaces) with a
 * value above 0. False (and *out untouched) otherwise. */
bool text_parse_id(const char *s, size_t n, int64_t *out);

/* A boolean as forms and queries spell it (contract §1): "1", "true",
 * "True" and "0", "false", "False", compared over all n bytes (so an
 * embedded NUL never matches). False (and *out untouched) otherwise. */
bool text_parse_bool(const char *s, size_t n, bool *out);

/* ---- names and free text -------------------------------------------- */

/* What the character rule finds in a text (the first offence). */
enum text_chars_verdict {
    TEXT_CHARS_OK,
    TEXT_CHARS_INVALID,    /* not valid UTF-8, or a NUL */
    TEXT_CHARS_CONTROL,    /* C0 (but LF where allowed), DEL or C1 */
    TEXT_CHARS_BIDI,       /* U+061C, U+200E-200F, U+202A-202E, U+2066-2069 */
    TEXT_CHARS_ZERO_WIDTH, /* U+200B-200D, U+2060, U+FEFF */
};

/* The character rule of names and free text: no control characters
 * (LF allowed when `multiline`), no bidirectional controls, no zero-width
 * characters, so that a name cannot hide or reorder what is shown. */
enum text_chars_verdict text_check_chars(const char *s, bool multiline);

/* The NFC form of a valid UTF-8 string, as an arena copy; NULL if s is
 * invalid. Stored text is NFC, so equal-looking strings are equal bytes. */
char *text_nfc(struct arena *a, const char *s);

#endif
