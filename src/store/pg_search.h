/* pg_search.h - what the PostgreSQL backend's user search (pg_search*.c)
 * shares with the files that write users: the search_words column
 * (006_search.sql) computed in C. Only
 * src/store/pg*.c include it. */
#ifndef HEARTH_STORE_PG_SEARCH_H
#define HEARTH_STORE_PG_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

struct store;

enum {
    PG_SEARCH_PREFIX_CHARS = 2, /* terms this short match word starts (contract §3) */
    PG_SEARCH_FIELDS = 4,       /* username, real name, location, description */
};

/* The search_words value of a user's folded username, real name, location
 * and description (NULL = ""): every 1- and 2-character prefix at a word
 * start, led by its field's digit (1..4), sorted bytewise, without
 * repeats, as a text[] literal spelled as PostgreSQL writes it back (so
 * the stored value reads back as these bytes). Appends to out. */
void pg_search_words(struct buf *out, const char *username_fold, const char *real_name_fold, const char *location_fold,
                     const char *description_fold);

/* As pg_search_words, malloc'd (the caller frees). */
char *pg_search_words_dup(const char *username_fold, const char *real_name_fold, const char *location_fold,
                          const char *description_fold);

/* A search with at most this many matches reads them all and sorts them;
 * with more, its page walks indexes in order and stops once full (tests
 * lower it to try the walks on small data). */
extern int64_t pg_search_collect_max;

/* Recomputes every search_count row (008_search_counts.sql) and every
 * search_text row (012_search_text.sql) from the tables, in the caller's
 * transaction: after a bulk load or a repair. */
bool pg_search_counts_rebuild(struct store *st, struct err *e);

#endif
