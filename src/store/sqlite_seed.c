/* sqlite_seed.c - `hearth seed`: a deterministic, realistic population for
 * development and the search benchmark, written straight through SQLite.
 *
 * The same (users, follows per user, seed) always gives the same rows.
 * Every user draws from its own random stream (seeded by the seed and its
 * id), so the generator can make passes: statuses first, then follows
 * (which need them, to keep deleted users out of the graph), then the users
 * themselves with their counters already right (contract §9: counters count
 * edges to active users only).
 *
 * Speed: the search indexes are dropped first and rebuilt at the end by
 * re-applying migration 005 (sorted bulk inserts instead of a million
 * trigger runs); rows go in through prepared statements, SEED_BATCH users
 * per transaction, with synchronous=OFF for the run.
 *
 * store_seed_file() loads a small hand-written population (JSON) through
 * ordinary inserts, the triggers keeping the indexes: the API tests' fixed
 * populations.
 */
#include "store/seed.h"

#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/geo.h"
#include "core/log.h"
#include "core/text.h"
#include "store/sqlite_internal.h"
#include "store/sqlite_seed_data.h"
#include "store/store.h"

enum {
    SEED_BATCH = 50000,          /* users per transaction */
    SEED_MAX_USERS = 50000000,   /* a bound on --users: the id space and memory of one run */
    SEED_MAX_FOLLOWS = 1000,     /* a bound on --follows-per-user */
    SEED_USERNAME_MAX = 64,      /* generated usernames stay well under the 255 limit */
    SEED_MAX_CATEGORY_FOLLOWS = 12,
    SEED_PART_BYTES = 64,   /* one name part: the longest listed is under 40 bytes */
    SEED_NAME_BYTES = 2 * SEED_PART_BYTES + 8,
};

/* Fixed reference dates, so the population does not depend on the day it
 * is generated: ages are 16-90 as of SEED_AGE_REFERENCE, and users joined
 * between SEED_JOINED_FROM and SEED_JOINED_TO (ids in joining order). */
static const int SEED_AGE_REFERENCE[3] = {2026, 1, 1};
static const int64_t SEED_JOINED_FROM = 1546300800; /* 2019-01-01 */
static const int64_t SEED_JOINED_TO = 1767225600;   /* 2026-01-01 */

/* ================================================================ */
/* randomness                                                       */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The stream of one user (or one purpose: pass a distinct `which`). */
static struct rng rng_for(uint64_t seed, int64_t id, uint64_t which)
{
    struct rng r = {seed ^ (which * 0xD1B54A32D192ED03ULL)};
    r.s ^= (uint64_t)id * 0xA24BAED4963EE407ULL;
    rng_next(&r);
    return r;
}

static double rng_unit(struct rng *r) { return (double)(rng_next(r) >> 11) / 9007199254740992.0; }

static int64_t rng_below(struct rng *r, int64_t n) { return n <= 1 ? 0 : (int64_t)(rng_unit(r) * (double)n); }

static double rng_gauss(struct rng *r)
{
    double u = rng_unit(r), v = rng_unit(r);
    if (u < 1e-12)
        u = 1e-12;
    return sqrt(-2 * log(u)) * cos(2 * 3.14159265358979323846 * v);
}

/* An index in [0, n) with weight 1 / (i + 1)^s: names and categories are
 * Zipf-distributed, the first ones common. */
static int rng_zipf(struct rng *r, int n, double s)
{
    double total = 0;
    for (int i = 0; i < n; i++)
        total += pow(i + 1, -s);
    double x = rng_unit(r) * total;
    for (int i = 0; i < n; i++) {
        x -= pow(i + 1, -s);
        if (x < 0)
            return i;
    }
    return n - 1;
}

/* ================================================================ */
/* one user                                                         */

struct person {
    char status;
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

static char seed_status(uint64_t seed, int64_t id)
{
    struct rng r = rng_for(seed, id, 1);
    double u = rng_unit(&r);
    return u < 0.010 ? 'd' : u < 0.013 ? 'b' : 'a';
}

static const struct seed_culture *pick_culture(struct rng *r)
{
    int total = 0;
    for (int i = 0; i < N(seed_cultures); i++)
        total += seed_cultures[i].weight;
    int64_t x = rng_below(r, total);
    for (int i = 0; i < N(seed_cultures); i++) {
        x -= seed_cultures[i].weight;
        if (x < 0)
            return &seed_cultures[i];
    }
    return &seed_cultures[0];
}

static const struct seed_city *pick_city(struct rng *r, const struct seed_culture *c)
{
    double total = 0;
    for (int i = 0; i < c->ncities; i++)
        total += sqrt(c->cities[i].population_k);
    double x = rng_unit(r) * total;
    for (int i = 0; i < c->ncities; i++) {
        x -= sqrt(c->cities[i].population_k);
        if (x < 0)
            return &c->cities[i];
    }
    return &c->cities[c->ncities - 1];
}

/* "de_luca" -> "De Luca": the display form of an ascii name. */
static void display_ascii(const char *ascii, char *out, size_t size)
{
    size_t n = 0;
    bool start = true;
    for (const char *p = ascii; *p && n + 1 < size; p++) {
        char c = *p == '_' ? ' ' : *p;
        out[n++] = start && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
        start = c == ' ';
    }
    out[n] = '\0';
}

/* Slavic women's surnames: Иванов -> Иванова, Kowalski -> Kowalska. */
static void feminine(const struct seed_culture *c, char *s)
{
    static const char *const ru_endings[] = {"ov", "ev", "in", "ов", "ев", "ёв", "ин"};
    size_t n = strlen(s);
    if (n + 3 >= SEED_PART_BYTES)
        return;
    if (c->female == SEED_FEMALE_RU) {
        for (size_t i = 0; i < sizeof ru_endings / sizeof *ru_endings; i++) {
            size_t k = strlen(ru_endings[i]);
            if (n >= k && !strcmp(s + n - k, ru_endings[i])) {
                strcat(s, (unsigned char)ru_endings[i][0] < 0x80 ? "a" : "а");
                return;
            }
        }
    } else if (c->female == SEED_FEMALE_PL && n >= 3 && (!strcmp(s + n - 3, "ski") || !strcmp(s + n - 3, "cki"))) {
        s[n - 1] = 'a';
    }
}

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Ages 16-90, weighted towards young adults. */
static void pick_birth(struct rng *r, char out[11])
{
    static const struct {
        int from, to, weight;
    } bands[] = {{16, 24, 22}, {25, 34, 26}, {35, 44, 20}, {45, 54, 14}, {55, 64, 10}, {65, 90, 8}};
    int64_t x = rng_below(r, 100);
    int i = 0;
    while (i < 5 && (x -= bands[i].weight) >= 0)
        i++;
    int age = bands[i].from + (int)rng_below(r, bands[i].to - bands[i].from + 1);
    /* born between (age + 1) years and age years before the reference day */
    int64_t ref = days_from_civil(SEED_AGE_REFERENCE[0], SEED_AGE_REFERENCE[1], SEED_AGE_REFERENCE[2]);
    int64_t newest = days_from_civil(SEED_AGE_REFERENCE[0] - age, SEED_AGE_REFERENCE[1], SEED_AGE_REFERENCE[2]);
    int64_t oldest = days_from_civil(SEED_AGE_REFERENCE[0] - age - 1, SEED_AGE_REFERENCE[1], SEED_AGE_REFERENCE[2]) + 1;
    (void)ref;
    int y, m, d;
    civil_from_days(oldest + rng_below(r, newest - oldest + 1), &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* Draws user `id` (deterministic). The username may still collide: the
 * caller makes it unique. */
static void make_person(uint64_t seed, int64_t id, int64_t first_id, int64_t total, struct person *p)
{
    memset(p, 0, sizeof *p);
    p->status = seed_status(seed, id);
    struct rng r = rng_for(seed, id, 2);
    const struct seed_culture *c = pick_culture(&r);
    p->culture = c;
    p->female = rng_unit(&r) < 0.52;
    const struct seed_name *given =
        p->female ? &c->female_names[rng_zipf(&r, c->nfemale, 0.9)] : &c->male[rng_zipf(&r, c->nmale, 0.9)];
    const struct seed_name *family = &c->surnames[rng_zipf(&r, c->nsurnames, 0.8)];

    /* the real name, in the native script or romanized */
    bool native = rng_below(&r, 100) < c->native_percent;
    char g[SEED_PART_BYTES], f[SEED_PART_BYTES], fa[SEED_PART_BYTES];
    if (native && given->native)
        snprintf(g, sizeof g, "%s", given->native);
    else
        display_ascii(given->ascii, g, sizeof g);
    if (native && family->native)
        snprintf(f, sizeof f, "%s", family->native);
    else
        display_ascii(family->ascii, f, sizeof f);
    snprintf(fa, sizeof fa, "%s", family->ascii);
    if (p->female) {
        feminine(c, f);
        feminine(c, fa);
    }
    double no_name = rng_unit(&r);
    if (no_name < 0.03)
        p->real_name[0] = '\0';
    else if (native && c->order == SEED_FAMILY_FIRST_NOSPACE)
        snprintf(p->real_name, sizeof p->real_name, "%s%s", f, g);
    else if (native && c->order == SEED_FAMILY_FIRST)
        snprintf(p->real_name, sizeof p->real_name, "%s %s", f, g);
    else
        snprintf(p->real_name, sizeof p->real_name, "%s %s", g, f);

    /* the username, from the ascii forms */
    char fam[SEED_PART_BYTES];
    size_t k = 0;
    for (const char *s = fa; *s && k + 1 < sizeof fam; s++)
        if (*s != '_')
            fam[k++] = *s;
    fam[k] = '\0';
    const char *gn = given->ascii;
    double u = rng_unit(&r);
    int num = (int)rng_below(&r, 10000);
    char *un = p->username;
    size_t us = sizeof p->username;
    if (u < 0.28)
        snprintf(un, us, "%s_%s", gn, fam);
    else if (u < 0.40)
        snprintf(un, us, "%s%s", gn, fam);
    else if (u < 0.46)
        snprintf(un, us, "%s-%s", gn, fam);
    else if (u < 0.56)
        snprintf(un, us, "%c%s", gn[0], fam);
    else if (u < 0.70)
        snprintf(un, us, "%s%d", gn, num);
    else if (u < 0.85)
        snprintf(un, us, "%s_%s%02d", gn, fam, num % 100);
    else if (u < 0.90)
        snprintf(un, us, "%s%s", fam, gn);
    else if (u < 0.95)
        snprintf(un, us, "the_%s", gn);
    else
        snprintf(un, us, "%s_%s_%d", gn, c->code, num % 1000);
    for (char *s = un; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-'))
            *s = '_';
    if (strlen(un) > SEED_USERNAME_MAX)
        un[SEED_USERNAME_MAX] = '\0';
    if (rng_unit(&r) < 0.15 && un[0] >= 'a' && un[0] <= 'z')
        un[0] = (char)(un[0] - 'a' + 'A');

    /* where: most users name a city (geocoded to its centre); half of
     * them also share a position near it */
    if (rng_unit(&r) < 0.80) {
        const struct seed_city *city = pick_city(&r, c);
        p->location = city->name;
        p->has_location_ll = true;
        p->location_lat = city->lat;
        p->location_lng = city->lng;
        if (rng_unit(&r) < 0.50) {
            p->has_position_ll = true;
            p->position_lat = city->lat + 0.06 * rng_gauss(&r);
            p->position_lng = city->lng + 0.06 * rng_gauss(&r) / cos(city->lat * 3.14159265358979323846 / 180);
            if (p->position_lat > 90)
                p->position_lat = 90;
            if (p->position_lat < -90)
                p->position_lat = -90;
            if (p->position_lng > 180)
                p->position_lng -= 360;
            if (p->position_lng < -180)
                p->position_lng += 360;
        }
    }
    if (rng_unit(&r) < 0.88)
        pick_birth(&r, p->date_of_birth);
    p->gender = rng_unit(&r) < 0.10 ? "Unspecified" : p->female ? "Female" : "Male";
    if (rng_unit(&r) < 0.35)
        p->description = c->descriptions[rng_below(&r, c->ndescriptions)];
    double role = rng_unit(&r);
    p->role = role < 0.0025 ? "moderator" : role < 0.0035 ? "editor" : NULL;
    int64_t span = SEED_JOINED_TO - SEED_JOINED_FROM;
    int64_t at = SEED_JOINED_FROM + (int64_t)((double)span * (double)(id - first_id) / (double)(total > 0 ? total : 1));
    p->joined_us = at * 1000000 + rng_below(&r, 3600) * 1000000;
}

/* ================================================================ */
/* a set of usernames (folded), for uniqueness                      */

struct nameset {
    char **slot;
    size_t cap, used;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool nameset_add(struct nameset *ns, const char *s)
{
    if (2 * (ns->used + 1) > ns->cap) {
        size_t cap = ns->cap ? 2 * ns->cap : 1 << 16;
        char **slot = calloc(cap, sizeof *slot);
        if (!slot)
            abort();
        for (size_t i = 0; i < ns->cap; i++)
            if (ns->slot[i]) {
                size_t j = hash_str(ns->slot[i]) & (cap - 1);
                while (slot[j])
                    j = (j + 1) & (cap - 1);
                slot[j] = ns->slot[i];
            }
        free(ns->slot);
        ns->slot = slot;
        ns->cap = cap;
    }
    size_t j = hash_str(s) & (ns->cap - 1);
    while (ns->slot[j]) {
        if (!strcmp(ns->slot[j], s))
            return false;
        j = (j + 1) & (ns->cap - 1);
    }
    ns->slot[j] = strdup(s);
    if (!ns->slot[j])
        abort();
    ns->used++;
    return true;
}

static void nameset_free(struct nameset *ns)
{
    for (size_t i = 0; i < ns->cap; i++)
        free(ns->slot[i]);
    free(ns->slot);
}

/* ================================================================ */
/* helpers                                                          */

static bool exec(struct store *st, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("seed: %s: %s", sql, msg ? msg : "?");
        sqlite3_free(msg);
        return err_internal(e);
    }
    return true;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(const struct seed_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void progress(const struct seed_options *o, const char *fmt, ...)
{
    if (!o->progress)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->progress(msg);
}

/* Drops every search_* object and forgets migration 005, in one
 * transaction: until 005 is applied again the database has no search
 * indexes and no triggers, and the next start (or the end of the seed)
 * rebuilds them from the base tables. */
static bool drop_search(struct store *st, struct err *e)
{
    if (!store_begin(st, e))
        return false;
    sqlite3_stmt *q = NULL;
    /* virtual tables first: they drop their own shadow tables */
    const char *list = "SELECT type, name FROM sqlite_master WHERE name LIKE 'search\\_%' ESCAPE '\\' "
                       "AND type IN ('trigger', 'view', 'index', 'table') "
                       "ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 "
                       "ELSE CASE WHEN sql LIKE 'CREATE VIRTUAL%' THEN 3 ELSE 4 END END";
    if (sqlite3_prepare_v2(st->db, list, -1, &q, NULL) != SQLITE_OK) {
        store_rollback(st);
        return sqlite_fail(st, e, "list search objects");
    }
    struct buf drops = {0};
    while (sqlite3_step(q) == SQLITE_ROW)
        buf_printf(&drops, "DROP %s IF EXISTS \"%s\";", (const char *)sqlite3_column_text(q, 0),
                   (const char *)sqlite3_column_text(q, 1));
    sqlite3_finalize(q);
    buf_puts(&drops, "DELETE FROM schema_migrations WHERE name = '005_search.sql';");
    bool ok = exec(st, buf_str(&drops), e) && store_commit(st, e);
    buf_free(&drops);
    if (!ok)
        store_rollback(st);
    return ok;
}

/* Inserts the seed's tags and categories (kept if they exist) and reads
 * their ids. */
static bool vocabulary(struct store *st, int64_t *tag_ids, int64_t *category_ids, struct seed_stats *out,
                       struct err *e)
{
    sqlite3_stmt *ins = NULL, *get = NULL;
    bool ok = sqlite3_prepare_v2(st->db,
                                 "INSERT OR IGNORE INTO tags (type, name, description, color, visible, active, "
                                 "created_us) VALUES ('user', $1, $2, $3, $4, $5, $6)",
                                 -1, &ins, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(st->db, "SELECT id FROM tags WHERE type = 'user' AND name = $1", -1, &get, NULL) ==
                  SQLITE_OK;
    for (int i = 0; ok && i < N(seed_tags); i++) {
        sqlite3_bind_text(ins, 1, seed_tags[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, "Given by the seed generator.", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, seed_tags[i].color, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 4, seed_tags[i].visible);
        sqlite3_bind_int(ins, 5, seed_tags[i].active);
        sqlite3_bind_int64(ins, 6, clock_now_us());
        ok = sqlite3_step(ins) == SQLITE_DONE;
        sqlite3_reset(ins);
        sqlite3_bind_text(get, 1, seed_tags[i].name, -1, SQLITE_STATIC);
        ok = ok && sqlite3_step(get) == SQLITE_ROW;
        tag_ids[i] = ok ? sqlite3_column_int64(get, 0) : 0;
        sqlite3_reset(get);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(get);
    ins = get = NULL;
    ok = ok &&
         sqlite3_prepare_v2(st->db,
                            "INSERT OR IGNORE INTO categories (\"order\", name, slug, lastmod_us) VALUES ($1, $2, $3, $4)",
                            -1, &ins, NULL) == SQLITE_OK &&
         sqlite3_prepare_v2(st->db, "SELECT id FROM categories WHERE name = $1", -1, &get, NULL) == SQLITE_OK;
    for (int i = 0; ok && i < N(seed_categories); i++) {
        char slug[64];
        size_t k = 0;
        for (const char *s = seed_categories[i]; *s && k + 1 < sizeof slug; s++)
            slug[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
        slug[k] = '\0';
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_text(ins, 2, seed_categories[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, slug, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 4, clock_now_us());
        ok = sqlite3_step(ins) == SQLITE_DONE;
        sqlite3_reset(ins);
        sqlite3_bind_text(get, 1, seed_categories[i], -1, SQLITE_STATIC);
        ok = ok && sqlite3_step(get) == SQLITE_ROW;
        category_ids[i] = ok ? sqlite3_column_int64(get, 0) : 0;
        sqlite3_reset(get);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(get);
    out->tags = N(seed_tags);
    out->categories = N(seed_categories);
    return ok ? true : sqlite_fail(st, e, "seed vocabulary");
}

/* The categories a user follows: a geometric number (mean about 3), each
 * picked by popularity. Returns how many, written to out. */
static int pick_categories(uint64_t seed, int64_t id, int *out)
{
    struct rng r = rng_for(seed, id, 3);
    int n = (int)(-log(1 - rng_unit(&r) * 0.999) * 3);
    if (n > SEED_MAX_CATEGORY_FOLLOWS)
        n = SEED_MAX_CATEGORY_FOLLOWS;
    int k = 0;
    for (int tries = 0; k < n && tries < 4 * n; tries++) {
        int c = rng_zipf(&r, N(seed_categories), 1.0);
        bool dup = false;
        for (int i = 0; i < k; i++)
            dup |= out[i] == c;
        if (!dup)
            out[k++] = c;
    }
    return k;
}

/* ================================================================ */
/* the generator                                                    */

bool store_seed(struct store *st, const struct seed_options *o, struct seed_stats *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (o->users <= 0 || o->users > SEED_MAX_USERS)
        return err_field(e, "users", "invalid", "--users must be from 1 to 50000000.");
    if (o->follows_per_user < 0 || o->follows_per_user > SEED_MAX_FOLLOWS)
        return err_field(e, "follows-per-user", "invalid", "--follows-per-user must be from 0 to 1000.");
    double t0 = now_s();
    const int64_t n = o->users, K = o->follows_per_user;
    /* the rebuild's sorts may use a helper thread */
    if (!exec(st, "PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA threads = 2;", e) ||
        !drop_search(st, e))
        return false;

    /* first id and the usernames already taken */
    struct nameset names = {0};
    int64_t first = 1;
    {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(st->db, "SELECT username_fold FROM users WHERE status <> 'u'", -1, &q, NULL) !=
            SQLITE_OK)
            return sqlite_fail(st, e, "seed names");
        while (sqlite3_step(q) == SQLITE_ROW)
            nameset_add(&names, (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) + 1 FROM users", -1, &q, NULL) != SQLITE_OK)
            return sqlite_fail(st, e, "seed ids");
        if (sqlite3_step(q) == SQLITE_ROW)
            first = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    int64_t tag_ids[N(seed_tags)], category_ids[N(seed_categories)];
    if (!store_begin(st, e))
        return false;
    if (!vocabulary(st, tag_ids, category_ids, out, e) || !store_commit(st, e)) {
        store_rollback(st);
        nameset_free(&names);
        return false;
    }

    /* pass 1: statuses; pass 2: follows (popular users are followed more:
     * a target's rank is log-uniform) and the counters they make */
    progress(o, "seed: planning %lld users, %lld follows each", (long long)n, (long long)K);
    char *status = malloc((size_t)n);
    int32_t *follows = K ? malloc(sizeof *follows * (size_t)(n * K)) : NULL;
    int32_t *nfollows = calloc((size_t)n, sizeof *nfollows), *nfollowers = calloc((size_t)n, sizeof *nfollowers);
    if (!status || (K && !follows) || !nfollows || !nfollowers)
        abort();
    for (int64_t i = 0; i < n; i++)
        status[i] = seed_status(o->seed, first + i);
    for (int64_t i = 0; i < n && K; i++) {
        if (status[i] == 'd')
            continue;
        struct rng r = rng_for(o->seed, first + i, 4);
        int32_t *mine = &follows[i * K];
        for (int tries = 0; nfollows[i] < K && tries < 4 * K; tries++) {
            /* rank in a fixed "popularity" permutation: (rank * odd) mod n */
            int64_t rank = (int64_t)exp(rng_unit(&r) * log((double)n));
            if (rank >= n)
                rank = n - 1;
            int64_t t = (int64_t)(((unsigned __int128)rank * 0x9E3779B97F4A7C15ULL) % (uint64_t)n);
            if (t == i || status[t] == 'd')
                continue;
            bool dup = false;
            for (int j = 0; j < nfollows[i] && !dup; j++)
                dup = mine[j] == (int32_t)t;
            if (dup)
                continue;
            mine[nfollows[i]++] = (int32_t)t;
            nfollowers[t]++;
        }
    }

    /* pass 3: users, their tags and categories, in batches */
    sqlite3_stmt *ins_user = NULL, *ins_tag = NULL, *ins_cat = NULL, *ins_follow = NULL;
    bool ok = sqlite3_prepare_v2(st->db,
                                 "INSERT INTO users (id, username, username_fold, email, email_fold, real_name, "
                                 "real_name_fold, location, location_lat, location_lng, position_lat, position_lng, "
                                 "date_of_birth, description, gender, status, role, date_joined_us, followers_counter, "
                                 "followings_counter, categories_counter) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, "
                                 "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
                                 -1, &ins_user, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(st->db, "INSERT INTO user_tags (user_id, tag_id) VALUES ($1, $2)", -1, &ins_tag,
                                 NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(st->db,
                                 "INSERT INTO category_follows (user_id, category_id, created_us) VALUES ($1, $2, $3)",
                                 -1, &ins_cat, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(st->db,
                                 "INSERT INTO follows (follower_id, followed_id, created_us) VALUES ($1, $2, $3)", -1,
                                 &ins_follow, NULL) == SQLITE_OK;
    if (!ok)
        sqlite_fail(st, e, "seed prepare");
    double t_users = now_s();
    for (int64_t i = 0; ok && i < n; i++) {
        if (i % SEED_BATCH == 0 && !(ok = store_begin(st, e)))
            break;
        int64_t id = first + i;
        struct person p;
        make_person(o->seed, id, first, n, &p);
        /* unique, case-insensitively: add digits until it is */
        char *folded = text_fold_malloc(p.username, strlen(p.username));
        for (int attempt = 0; !nameset_add(&names, folded); attempt++) {
            free(folded);
            struct rng r = rng_for(o->seed, id, 10 + (uint64_t)attempt);
            size_t len = strlen(p.username);
            if (len > SEED_USERNAME_MAX - 8)
                len = SEED_USERNAME_MAX - 8;
            snprintf(p.username + len, sizeof p.username - len, "%lld",
                     (long long)rng_below(&r, attempt < 3 ? 1000 : 1000000000));
            folded = text_fold_malloc(p.username, strlen(p.username));
        }
        char email[SEED_USERNAME_MAX + 32];
        snprintf(email, sizeof email, "%s@example.com", folded);
        char *name_fold = text_fold_malloc(p.real_name, strlen(p.real_name));
        int cats[SEED_MAX_CATEGORY_FOLLOWS];
        int ncats = pick_categories(o->seed, id, cats);
        sqlite3_stmt *q = ins_user;
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_text(q, 2, p.username, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, folded, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, email, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, p.real_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, name_fold ? name_fold : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 7, p.location ? p.location : "", -1, SQLITE_STATIC);
        if (p.has_location_ll) {
            sqlite3_bind_double(q, 8, p.location_lat);
            sqlite3_bind_double(q, 9, p.location_lng);
        } else {
            sqlite3_bind_null(q, 8);
            sqlite3_bind_null(q, 9);
        }
        if (p.has_position_ll) {
            /* as a profile update stores them: 7 decimals */
            sqlite3_bind_double(q, 10, round(p.position_lat * 1e7) / 1e7);
            sqlite3_bind_double(q, 11, round(p.position_lng * 1e7) / 1e7);
        } else {
            sqlite3_bind_null(q, 10);
            sqlite3_bind_null(q, 11);
        }
        sqlite_bind_text_or_null(q, 12, p.date_of_birth[0] ? p.date_of_birth : NULL);
        sqlite3_bind_text(q, 13, p.description ? p.description : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 14, p.gender, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 15, (char[]){p.status, 0}, 1, SQLITE_TRANSIENT);
        sqlite_bind_text_or_null(q, 16, p.role);
        sqlite3_bind_int64(q, 17, p.joined_us);
        sqlite3_bind_int64(q, 18, nfollowers[i]);
        sqlite3_bind_int64(q, 19, nfollows[i]);
        sqlite3_bind_int64(q, 20, ncats);
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        free(folded);
        free(name_fold);

        struct rng r = rng_for(o->seed, id, 5);
        for (int t = 0; ok && t < N(seed_tags); t++) {
            if (rng_below(&r, 10000) >= seed_tags[t].per10k)
                continue;
            sqlite3_bind_int64(ins_tag, 1, id);
            sqlite3_bind_int64(ins_tag, 2, tag_ids[t]);
            ok = sqlite3_step(ins_tag) == SQLITE_DONE;
            sqlite3_reset(ins_tag);
            out->user_tags++;
        }
        for (int c = 0; ok && c < ncats; c++) {
            sqlite3_bind_int64(ins_cat, 1, id);
            sqlite3_bind_int64(ins_cat, 2, category_ids[cats[c]]);
            sqlite3_bind_int64(ins_cat, 3, p.joined_us);
            ok = sqlite3_step(ins_cat) == SQLITE_DONE;
            sqlite3_reset(ins_cat);
            out->category_follows++;
        }
        out->users++;
        if (ok && ((i + 1) % SEED_BATCH == 0 || i + 1 == n)) {
            ok = store_commit(st, e);
            progress(o, "seed: %lld users (%.1f s)", (long long)(i + 1), now_s() - t0);
        }
    }
    if (!ok && !err_any(e))
        sqlite_fail(st, e, "seed users");
    store_rollback(st);

    /* pass 4: follows, after every user exists */
    for (int64_t i = 0; ok && i < n; i++) {
        if (i % SEED_BATCH == 0 && !(ok = store_begin(st, e)))
            break;
        for (int j = 0; ok && j < nfollows[i]; j++) {
            sqlite3_bind_int64(ins_follow, 1, first + i);
            sqlite3_bind_int64(ins_follow, 2, first + follows[i * K + j]);
            sqlite3_bind_int64(ins_follow, 3, (SEED_JOINED_TO + i) * 1000000);
            ok = sqlite3_step(ins_follow) == SQLITE_DONE;
            sqlite3_reset(ins_follow);
            out->follows++;
        }
        if (ok && ((i + 1) % SEED_BATCH == 0 || i + 1 == n))
            ok = store_commit(st, e);
    }
    if (!ok && !err_any(e))
        sqlite_fail(st, e, "seed follows");
    store_rollback(st);
    sqlite3_finalize(ins_user);
    sqlite3_finalize(ins_tag);
    sqlite3_finalize(ins_cat);
    sqlite3_finalize(ins_follow);
    free(status);
    free(follows);
    free(nfollows);
    free(nfollowers);
    nameset_free(&names);
    out->seconds_users = now_s() - t_users;
    if (!ok)
        return false;
    if (K)
        progress(o, "seed: %lld follows (%.1f s)", (long long)out->follows, now_s() - t0);

    /* the search indexes, rebuilt from the rows by migration 005 */
    progress(o, "seed: building the search indexes");
    double t_index = now_s();
    if (!store_migrate(st, e) || !exec(st, "PRAGMA wal_checkpoint(TRUNCATE);", e))
        return false;
    out->seconds_index = now_s() - t_index;
    out->seconds_total = now_s() - t0;
    return exec(st, "PRAGMA synchronous = NORMAL;", e);
}

/* ================================================================ */
/* a hand-written population                                        */

static const char *opt_str(json_t *o, const char *name)
{
    const char *s = json_string_value(json_object_get(o, name));
    return s && *s ? s : NULL;
}

/* Binds "lat,lng" (or NULLs) to parameters i and i + 1. */
static bool bind_latlng(sqlite3_stmt *q, int i, const char *s)
{
    double lat, lng;
    if (!s) {
        sqlite3_bind_null(q, i);
        sqlite3_bind_null(q, i + 1);
        return true;
    }
    if (!geo_parse_latlng(s, &lat, &lng))
        return false;
    sqlite3_bind_double(q, i, lat);
    sqlite3_bind_double(q, i + 1, lng);
    return true;
}

static int64_t id_by_name(json_t *map, const char *name)
{
    return json_integer_value(json_object_get(map, name));
}

bool store_seed_file(struct store *st, json_t *doc, json_t **ids, struct err *e)
{
    *ids = NULL;
    if (!json_is_object(doc))
        return err_set(e, 400, "invalid", "The population must be a JSON object.");
    json_t *users = json_object(), *tags = json_object(), *categories = json_object();
    sqlite3_stmt *q = NULL;
    bool ok = store_begin(st, e);
    size_t i;
    json_t *v;
    /* tags: {"name", "type"?, "visible"?, "active"?, "deleted"?} */
    ok = ok && sqlite3_prepare_v2(st->db,
                                  "INSERT INTO tags (type, name, color, visible, active, deleted, created_us) "
                                  "VALUES (coalesce($1, 'user'), $2, '#3B3B3B', $3, $4, $5, $6)",
                                  -1, &q, NULL) == SQLITE_OK;
    json_array_foreach(json_object_get(doc, "tags"), i, v)
    {
        if (!ok)
            break;
        json_t *vis = json_object_get(v, "visible"), *act = json_object_get(v, "active"),
               *del = json_object_get(v, "deleted");
        sqlite_bind_text_or_null(q, 1, opt_str(v, "type"));
        sqlite_bind_text_or_null(q, 2, opt_str(v, "name"));
        sqlite3_bind_int(q, 3, vis ? json_is_true(vis) : 1);
        sqlite3_bind_int(q, 4, act ? json_is_true(act) : 1);
        sqlite3_bind_int(q, 5, del ? json_is_true(del) : 0);
        sqlite3_bind_int64(q, 6, clock_now_us());
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        if (ok)
            json_object_set_new(tags, opt_str(v, "name"), json_integer(sqlite3_last_insert_rowid(st->db)));
    }
    sqlite3_finalize(q);
    q = NULL;
    /* categories: names */
    ok = ok && sqlite3_prepare_v2(st->db,
                                  "INSERT INTO categories (name, slug, lastmod_us) VALUES ($1, lower($1), $2)", -1, &q,
                                  NULL) == SQLITE_OK;
    json_array_foreach(json_object_get(doc, "categories"), i, v)
    {
        if (!ok || !json_is_string(v))
            break;
        sqlite3_bind_text(q, 1, json_string_value(v), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, clock_now_us());
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        if (ok)
            json_object_set_new(categories, json_string_value(v), json_integer(sqlite3_last_insert_rowid(st->db)));
    }
    sqlite3_finalize(q);
    q = NULL;
    /* users, through the triggers */
    sqlite3_stmt *tag = NULL, *cat = NULL;
    ok = ok &&
         sqlite3_prepare_v2(st->db,
                            "INSERT INTO users (username, username_fold, real_name, real_name_fold, location, "
                            "location_lat, location_lng, position_lat, position_lng, date_of_birth, description, "
                            "gender, status, role, email, email_fold, date_joined_us) VALUES ($1, fold($1), "
                            "coalesce($2, ''), fold(coalesce($2, '')), coalesce($3, ''), $4, $5, $6, $7, $8, "
                            "coalesce($9, ''), coalesce($10, 'Unspecified'), coalesce($11, 'a'), $12, $13, fold($13), "
                            "$14)",
                            -1, &q, NULL) == SQLITE_OK &&
         sqlite3_prepare_v2(st->db, "INSERT INTO user_tags (user_id, tag_id) VALUES ($1, $2)", -1, &tag, NULL) ==
             SQLITE_OK &&
         sqlite3_prepare_v2(st->db, "INSERT INTO category_follows (user_id, category_id, created_us) VALUES ($1, $2, $3)",
                            -1, &cat, NULL) == SQLITE_OK;
    json_array_foreach(json_object_get(doc, "users"), i, v)
    {
        if (!ok)
            break;
        sqlite_bind_text_or_null(q, 1, opt_str(v, "username"));
        sqlite_bind_text_or_null(q, 2, opt_str(v, "real_name"));
        sqlite_bind_text_or_null(q, 3, opt_str(v, "location"));
        if (!bind_latlng(q, 4, opt_str(v, "location_lat_lng")) || !bind_latlng(q, 6, opt_str(v, "position_lat_lng"))) {
            err_field(e, "users", "invalid", "lat_lng values must be \"lat,lng\".");
            ok = false;
            break;
        }
        sqlite_bind_text_or_null(q, 8, opt_str(v, "date_of_birth"));
        sqlite_bind_text_or_null(q, 9, opt_str(v, "description"));
        sqlite_bind_text_or_null(q, 10, opt_str(v, "gender"));
        sqlite_bind_text_or_null(q, 11, opt_str(v, "status"));
        sqlite_bind_text_or_null(q, 12, opt_str(v, "role"));
        sqlite_bind_text_or_null(q, 13, opt_str(v, "email"));
        /* joining order = list order, a second apart */
        sqlite3_bind_int64(q, 14, clock_now_us() - (int64_t)(json_array_size(json_object_get(doc, "users")) - i) * 1000000);
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        if (!ok)
            break;
        int64_t uid = sqlite3_last_insert_rowid(st->db);
        json_object_set_new(users, opt_str(v, "username"), json_integer(uid));
        size_t j;
        json_t *x;
        json_array_foreach(json_object_get(v, "tags"), j, x)
        {
            sqlite3_bind_int64(tag, 1, uid);
            sqlite3_bind_int64(tag, 2, id_by_name(tags, json_string_value(x)));
            ok = ok && sqlite3_step(tag) == SQLITE_DONE;
            sqlite3_reset(tag);
        }
        json_array_foreach(json_object_get(v, "categories"), j, x)
        {
            sqlite3_bind_int64(cat, 1, uid);
            sqlite3_bind_int64(cat, 2, id_by_name(categories, json_string_value(x)));
            sqlite3_bind_int64(cat, 3, clock_now_us());
            ok = ok && sqlite3_step(cat) == SQLITE_DONE;
            sqlite3_reset(cat);
        }
    }
    sqlite3_finalize(q);
    sqlite3_finalize(tag);
    sqlite3_finalize(cat);
    q = NULL;
    /* hides: [viewer username, hidden username] */
    ok = ok && sqlite3_prepare_v2(st->db, "INSERT INTO hides (user_id, hidden_id, created_us) VALUES ($1, $2, $3)", -1,
                                  &q, NULL) == SQLITE_OK;
    json_array_foreach(json_object_get(doc, "hides"), i, v)
    {
        if (!ok)
            break;
        sqlite3_bind_int64(q, 1, id_by_name(users, json_string_value(json_array_get(v, 0))));
        sqlite3_bind_int64(q, 2, id_by_name(users, json_string_value(json_array_get(v, 1))));
        sqlite3_bind_int64(q, 3, clock_now_us());
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    if (!ok || !store_commit(st, e)) {
        if (!err_any(e))
            sqlite_fail(st, e, "seed file");
        store_rollback(st);
        json_decref(users);
        json_decref(tags);
        json_decref(categories);
        return false;
    }
    *ids = json_pack("{s:o, s:o, s:o}", "users", users, "tags", tags, "categories", categories);
    return true;
}

bool store_search_reindex(struct store *st, struct err *e)
{
    return exec(st, "PRAGMA cache_size = -1048576; PRAGMA threads = 2;", e) && drop_search(st, e) && store_migrate(st, e) &&
           exec(st, "PRAGMA wal_checkpoint(TRUNCATE);", e);
}
