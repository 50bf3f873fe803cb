/* sqlite_search_internal.h - what the search files of the SQLite backend
 * share: the layout of the 005_search indexes (field bits, the suffix cut)
 * and the registration of the search_* SQL functions their triggers call. */
#ifndef HEARTH_STORE_SQLITE_SEARCH_INTERNAL_H
#define HEARTH_STORE_SQLITE_SEARCH_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

enum {
    /* field bits of search_prefix.fields and search_suffix.fields */
    SEARCH_FIELD_USERNAME = 1,
    SEARCH_FIELD_REAL_NAME = 2,
    SEARCH_FIELD_LOCATION = 4,
    SEARCH_FIELD_DESCRIPTION = 8,
    SEARCH_FIELD_NAMES = SEARCH_FIELD_USERNAME | SEARCH_FIELD_REAL_NAME,
    SEARCH_FIELD_USERNAME_START = 16, /* suffix rows: this suffix starts the username */

    /* Characters kept of each suffix: terms up to this long are answered by
     * the suffix index alone; longer ones are rare and selective, and are
     * verified on the users row. 12 covers most full names while keeping
     * the index near 20 bytes a row. */
    SEARCH_SUFFIX_CHARS = 12,
    SEARCH_PREFIX_CHARS = 2, /* terms this short match word starts (contract §3) */
    SEARCH_TRIGRAM_CHARS = 3,

    /* gender codes stored in the indexes */
    SEARCH_GENDER_UNSPECIFIED = 0,
    SEARCH_GENDER_MALE = 1,
    SEARCH_GENDER_FEMALE = 2,
    SEARCH_GENDER_OTHER = 3,

    /* search_member.kind */
    SEARCH_MEMBER_TAG = 1,
    SEARCH_MEMBER_CATEGORY = 2,
};

/* Registers the search_* SQL functions on a connection (store_open calls
 * it before migrations run, as the 005 triggers need them). */
bool sqlite_search_register(sqlite3 *db);

/* The gender code of a users.gender value. */
int sqlite_search_gender_code(const char *gender);

/* 1 if `term` occurs in `text` at a word start (contract §9: the start of
 * the text, or after a character that is not a letter, mark or digit).
 * Both folded, valid UTF-8. */
bool sqlite_search_word_start(const char *text, const char *term);

/* A user's search coordinates in 1e-7 degree: the position when both its
 * values are set, else the location; false when neither is. */
bool sqlite_search_user_e7(sqlite3_value *plat, sqlite3_value *plng, sqlite3_value *llat, sqlite3_value *llng,
                           int64_t *lat, int64_t *lng);

#endif
