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
    /* Characters kept of each suffix of the names in search_name (023),
     * keyed with gender and birth date: a term this short counts its
     * matches of a gender and an age range from one range of the index
     * per distinct head, not from every suffix row of the term. */
    SEARCH_NAME_CHARS = 5,
    SEARCH_PREFIX_CHARS = 2, /* terms this short match word starts (contract §3) */
    SEARCH_TRIGRAM_CHARS = 3,

    /* gender codes stored in the indexes: 0 to SEARCH_GENDER_OTHER, every
     * one of them (search_name reads them as that range) */
    SEARCH_GENDER_UNSPECIFIED = 0,
    SEARCH_GENDER_MALE = 1,
    SEARCH_GENDER_FEMALE = 2,
    SEARCH_GENDER_OTHER = 3,

    /* search_member.kind */
    SEARCH_MEMBER_TAG = 1,
    SEARCH_MEMBER_CATEGORY = 2,

    /* Geo cells of search_count (020_search_cells.sql): levels 0 to 3 of
     * square cells in 1e-7 degree, each 4 x 4 cells of the next (0.16, 0.04,
     * 0.01 and 0.0025 degrees), then level 4, the distinct points. */
    SEARCH_CELL_LEVELS = 4,
    SEARCH_CELL_E7_COARSEST = 1600000,
    SEARCH_CELL_SPLIT = 4,
    SEARCH_CELL_KEY_MAX = 96,
};

/* The side of a level's cells in 1e-7 degree (level 4: of level 3). */
int64_t sqlite_search_cell_side(int level);

/* A level's row (of latitude) or column (of longitude) holding a
 * coordinate in 1e-7 degree; `half_turn` 90 or 180 degrees in 1e-7. */
int64_t sqlite_search_cell_index(int64_t e7, int64_t half_turn, int level);

/* The search_count key of the cell (row, col) of a level:
 * "q<level><row:6><col:6>" of its level 0 cell, then one letter a-p per
 * level below (4 * row + col within the parent), so that a cell's
 * children, and every point under it, are one range of keys. Level 4
 * gives the prefix of the points of the level 3 cell (row, col); a point's
 * key adds ":<lat + 90 deg:10><lng + 180 deg:10>" (1e-7 degree). Returns
 * the length. */
int sqlite_search_cell_key(char *out, int level, int64_t row, int64_t col);

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
