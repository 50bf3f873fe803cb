/* temp_store.h - a migrated store in a fresh temporary directory, for the
 * unit tests that need a real database (and a media directory).
 *
 * The database is an SQLite file in the directory, or, with HEARTH_TEST_PG
 * set to a PostgreSQL base URL (database `postgres`, a role that may create
 * databases: scripts/pg-cluster.sh prints one), a fresh PostgreSQL database
 * created for the test and dropped by temp_store_close. */
#ifndef HEARTH_TESTS_TEMP_STORE_H
#define HEARTH_TESTS_TEMP_STORE_H

#include <stdbool.h>

struct store;

struct temp_store {
    char dir[64];     /* the directory: also usable as a media directory */
    char path[512];   /* dir/hearth.db, or the PostgreSQL database's URL */
    char pg_name[64]; /* the PostgreSQL database's name ("" on SQLite) */
    struct store *st;
};

/* True when HEARTH_TEST_PG is set: temp_store_open opens PostgreSQL. */
bool temp_store_pg(void);

/* For a test that reaches into SQLite itself: with HEARTH_TEST_PG set,
 * prints that it is skipped (and why) and returns true; main returns 0 then. */
bool temp_store_sqlite_only(const char *why);

/* Creates the directory, opens the database (and on PostgreSQL creates
 * it first) and migrates it; false (with a message on stderr) on failure. */
bool temp_store_open(struct temp_store *t);

/* Closes the store, drops a PostgreSQL database and removes the directory
 * with the files in it. */
void temp_store_close(struct temp_store *t);

#endif
