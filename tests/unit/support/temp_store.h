/* temp_store.h - a migrated SQLite store in a fresh temporary directory,
 * for the unit tests that need a real database (and a media directory). */
#ifndef HEARTH_TESTS_TEMP_STORE_H
#define HEARTH_TESTS_TEMP_STORE_H

#include <stdbool.h>

struct store;

struct temp_store {
    char dir[64];  /* the directory: also usable as a media directory */
    char path[96]; /* dir/hearth.db */
    struct store *st;
};

/* Creates the directory, opens the database in it and migrates it;
 * false (with a message on stderr) on failure. */
bool temp_store_open(struct temp_store *t);

/* Closes the store and removes the directory with the files in it. */
void temp_store_close(struct temp_store *t);

#endif
