/* seed.h - populations for development, benchmarks and the API tests'
 * fixtures: `hearth seed` (a deterministic generated population through
 * the bulk writer) and `hearth seed --file` (a hand-written one through
 * ordinary inserts), and rebuilding the search indexes after a bulk load.
 * The SQLite backend implements them in sqlite_seed*.c. */
#ifndef HEARTH_STORE_SEED_H
#define HEARTH_STORE_SEED_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct store;

/* hearth seed: adds a deterministic population (src/store/sqlite_seed.c
 * writes what sqlite_seed_people.c generates). */
struct seed_options {
    int64_t users;
    int follows_per_user;
    uint64_t seed;
    void (*progress)(const char *message); /* NULL = quiet */
};

struct seed_stats {
    int64_t users, tags, user_tags, categories, category_follows, follows;
    double seconds_users, seconds_index, seconds_total;
};

/* Tx: own (batches, and the index rebuild): call outside a transaction,
 * with no other connection writing. Alloc: heap for the run, freed before
 * it returns. Returns: bool; out filled. */
bool store_seed(struct store *st, const struct seed_options *o, struct seed_stats *out, struct err *e);

/* Drops the search indexes and builds them again from the base tables
 * (migration 005 re-applied): after a bulk load, or to repair them.
 * Tx: own: call outside a transaction. Alloc: none. Returns: bool. */
bool store_search_reindex(struct store *st, struct err *e);

/* Loads a hand-written population (the API tests' fixtures) in one
 * transaction through ordinary inserts: {"tags": [{name, type?, visible?,
 * active?, deleted?}], "categories": [name], "users": [{username,
 * real_name?, location?, location_lat_lng?, position_lat_lng?,
 * date_of_birth?, description?, gender?, status?, role?, email?, tags?:
 * [name], categories?: [name]}], "hides": [[username, hidden username]]}.
 * *ids (new reference): {"users": {username: id}, "tags": {name: id},
 * "categories": {name: id}}.
 * Tx: own (one): call outside a transaction. Alloc: *ids, a jansson
 * reference the caller decrefs. Returns: bool; the population is loaded
 * whole or not at all. */
bool store_seed_file(struct store *st, json_t *doc, json_t **ids, struct err *e);

#endif
