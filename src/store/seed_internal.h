/* seed_internal.h - what the files of `hearth seed` share: its bounds,
 * the random streams, one generated person (seed_people.c), the set of
 * usernames taken, and the plan of a run with its rows (seed_plan.c).
 * Only the seed files of src/store (seed_*.c, sqlite_seed.c, pg_seed.c)
 * include it. */
#ifndef HEARTH_STORE_SEED_INTERNAL_H
#define HEARTH_STORE_SEED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "model/user_status.h"
#include "store/seed.h"
#include "store/seed_data.h"

enum {
    SEED_BATCH = 50000,        /* users per transaction */
    SEED_MAX_USERS = 50000000, /* a bound on --users: the id space and memory of one run */
    SEED_MAX_FOLLOWS = 1000,   /* a bound on --follows-per-user */
    SEED_USERNAME_MAX = 64,    /* generated usernames stay well under the 255 limit */
    SEED_MAX_CATEGORY_FOLLOWS = 12,
    SEED_PART_BYTES = 64, /* one name part: the longest listed is under 40 bytes */
    SEED_NAME_BYTES = 2 * SEED_PART_BYTES + 8,
};

/* Users joined between SEED_JOINED_FROM and SEED_JOINED_TO (ids in
 * joining order), fixed so that the population does not depend on the day
 * it is generated. */
static const int64_t SEED_JOINED_FROM = 1546300800; /* 2019-01-01 */
static const int64_t SEED_JOINED_TO = 1767225600;   /* 2026-01-01 */

/* A random stream (one per user and purpose: the generator can make
 * passes and still give every user the same values). */
struct rng {
    uint64_t s;
};

struct person {
    char status; /* an enum user_status letter */
    const struct seed_culture *culture;
    bool female;
    char username[2 * SEED_PART_BYTES + 32];
    char real_name[SEED_NAME_BYTES];
    const char *location; /* NULL = none */
    bool has_location_ll, has_position_ll;
    double location_lat, location_lng, position_lat, position_lng;
    char date_of_birth[11]; /* "" = none */
    const char *gender;
    const char *description; /* NULL = none */
    const char *role;        /* NULL = none */
    int64_t joined_us;
};

/* Usernames (folded) taken, for uniqueness; heap-allocated, freed by
 * nameset_free. */
struct nameset {
    char **slot;
    size_t cap, used;
};

/* The stream of one user (or one purpose: pass a distinct `which`). */
struct rng seed_rng_for(uint64_t seed, int64_t id, uint64_t which);

double seed_rng_unit(struct rng *r);

int64_t seed_rng_below(struct rng *r, int64_t n);

char seed_status(uint64_t seed, int64_t id);

/* Draws user `id` (deterministic). The username may still collide: the
 * caller makes it unique. */
void seed_make_person(uint64_t seed, int64_t id, int64_t first_id, int64_t total, struct person *p);

bool seed_nameset_add(struct nameset *ns, const char *s);

void seed_nameset_free(struct nameset *ns);

/* The categories a user follows: a geometric number (mean about 3), each
 * picked by popularity. Returns how many, written to out. */
int seed_pick_categories(uint64_t seed, int64_t id, int *out);

/* ---- the plan of one run (seed_plan.c) ---- */

/* The bounds of --users and --follows-per-user (400 on the field). */
bool seed_options_check(const struct seed_options *o, struct err *e);

/* Seconds on the monotonic clock, for the phases' timings. */
double seed_now_s(void);

/* Reports a step through o->progress, if set. */
void seed_progress(const struct seed_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Statuses, follows and the counters they make, for users first ..
 * first + n - 1, K follows each; the arrays are heap-allocated (n can be
 * 50 million) and freed by seed_plan_free. */
struct seed_plan {
    uint64_t seed;
    int64_t n, K, first;
    struct nameset names;           /* usernames taken (folded): fill it before making rows */
    char *status;                   /* [n] */
    int32_t *follows;               /* [n * K]: targets, as indexes from first */
    int32_t *nfollows, *nfollowers; /* [n] */
};

/* Pass 1: statuses; pass 2: follows (popular users are followed more: a
 * target's rank is log-uniform) and the counters they make. */
void seed_plan_graph(struct seed_plan *s);
void seed_plan_free(struct seed_plan *s);

/* User first + i, as the writers store it. */
struct seed_user_row {
    int64_t id;
    struct person p;                      /* username made unique; positions rounded to 7 decimals */
    char *username_fold, *real_name_fold; /* heap (real_name_fold may be NULL) */
    char email[SEED_USERNAME_MAX + 48];
    int cats[SEED_MAX_CATEGORY_FOLLOWS], ncats; /* indexes into seed_categories */
    int tags[N(seed_tags)], ntags;              /* indexes into seed_tags */
};

/* Makes row i of the plan (deterministic; adds its username to s->names). */
void seed_user_row(struct seed_plan *s, int64_t i, struct seed_user_row *row);
void seed_user_row_free(struct seed_user_row *row);
/* Only row i's tags and categories (they do not depend on the names). */
void seed_user_links(const struct seed_plan *s, int64_t i, struct seed_user_row *row);

/* A category's slug: its name in lower case. */
void seed_category_slug(const char *name, char *slug, size_t size);

#endif
