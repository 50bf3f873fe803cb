/* seed_people.c - the population generator of `hearth seed`: random
 * streams, one realistic person per id (culture, names, city, age, gender,
 * description, role), the categories a user follows, and the set of
 * usernames taken. Deterministic: the same (seed, id) gives the same
 * person. seed_plan.c makes the rows of a run from them; each backend's bulk
 * writer (sqlite_seed.c, pg_seed.c) stores them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/seed_internal.h"

/* Ages are 16-90 as of this fixed day. */
static const int SEED_AGE_REFERENCE[3] = {2026, 1, 1};

/* ================================================================ */
/* randomness                                                       */

static uint64_t rng_next(struct rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

struct rng seed_rng_for(uint64_t seed, int64_t id, uint64_t which)
{
    struct rng r = {seed ^ (which * 0xD1B54A32D192ED03ULL)};
    r.s ^= (uint64_t)id * 0xA24BAED4963EE407ULL;
    rng_next(&r);
    return r;
}

double seed_rng_unit(struct rng *r) { return (double)(rng_next(r) >> 11) / 9007199254740992.0; }

int64_t seed_rng_below(struct rng *r, int64_t n) { return n <= 1 ? 0 : (int64_t)(seed_rng_unit(r) * (double)n); }

static double rng_gauss(struct rng *r)
{
    double u = seed_rng_unit(r), v = seed_rng_unit(r);
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
    double x = seed_rng_unit(r) * total;
    for (int i = 0; i < n; i++) {
        x -= pow(i + 1, -s);
        if (x < 0)
            return i;
    }
    return n - 1;
}

/* ================================================================ */
/* one user                                                         */

char seed_status(uint64_t seed, int64_t id)
{
    struct rng r = seed_rng_for(seed, id, 1);
    double u = seed_rng_unit(&r);
    return (char)(u < 0.010 ? USER_DELETED : u < 0.013 ? USER_BLOCKED : USER_ACTIVE);
}

static const struct seed_culture *pick_culture(struct rng *r)
{
    int total = 0;
    for (int i = 0; i < N(seed_cultures); i++)
        total += seed_cultures[i].weight;
    int64_t x = seed_rng_below(r, total);
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
    double x = seed_rng_unit(r) * total;
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
    int64_t x = seed_rng_below(r, 100);
    int i = 0;
    while (i < 5 && (x -= bands[i].weight) >= 0)
        i++;
    int age = bands[i].from + (int)seed_rng_below(r, bands[i].to - bands[i].from + 1);
    /* born between (age + 1) years and age years before the reference day */
    int64_t ref = days_from_civil(SEED_AGE_REFERENCE[0], SEED_AGE_REFERENCE[1], SEED_AGE_REFERENCE[2]);
    int64_t newest = days_from_civil(SEED_AGE_REFERENCE[0] - age, SEED_AGE_REFERENCE[1], SEED_AGE_REFERENCE[2]);
    int64_t oldest = days_from_civil(SEED_AGE_REFERENCE[0] - age - 1, SEED_AGE_REFERENCE[1], SEED_AGE_REFERENCE[2]) + 1;
    (void)ref;
    int y, m, d;
    civil_from_days(oldest + seed_rng_below(r, newest - oldest + 1), &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

void seed_make_person(uint64_t seed, int64_t id, int64_t first_id, int64_t total, struct person *p)
{
    memset(p, 0, sizeof *p);
    p->status = seed_status(seed, id);
    struct rng r = seed_rng_for(seed, id, 2);
    const struct seed_culture *c = pick_culture(&r);
    p->culture = c;
    p->female = seed_rng_unit(&r) < 0.52;
    const struct seed_name *given =
        p->female ? &c->female_names[rng_zipf(&r, c->nfemale, 0.9)] : &c->male[rng_zipf(&r, c->nmale, 0.9)];
    const struct seed_name *family = &c->surnames[rng_zipf(&r, c->nsurnames, 0.8)];

    /* the real name, in the native script or romanized */
    bool native = seed_rng_below(&r, 100) < c->native_percent;
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
    double no_name = seed_rng_unit(&r);
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
    double u = seed_rng_unit(&r);
    int num = (int)seed_rng_below(&r, 10000);
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
    if (seed_rng_unit(&r) < 0.15 && un[0] >= 'a' && un[0] <= 'z')
        un[0] = (char)(un[0] - 'a' + 'A');

    /* where: most users name a city (geocoded to its centre); half of
     * them also share a position near it */
    if (seed_rng_unit(&r) < 0.80) {
        const struct seed_city *city = pick_city(&r, c);
        p->location = city->name;
        p->has_location_ll = true;
        p->location_lat = city->lat;
        p->location_lng = city->lng;
        if (seed_rng_unit(&r) < 0.50) {
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
    if (seed_rng_unit(&r) < 0.88)
        pick_birth(&r, p->date_of_birth);
    p->gender = seed_rng_unit(&r) < 0.10 ? "Unspecified" : p->female ? "Female" : "Male";
    if (seed_rng_unit(&r) < 0.35)
        p->description = c->descriptions[seed_rng_below(&r, c->ndescriptions)];
    double role = seed_rng_unit(&r);
    p->role = role < 0.0025 ? "moderator" : role < 0.0035 ? "editor" : NULL;
    int64_t span = SEED_JOINED_TO - SEED_JOINED_FROM;
    int64_t at = SEED_JOINED_FROM + (int64_t)((double)span * (double)(id - first_id) / (double)(total > 0 ? total : 1));
    p->joined_us = at * 1000000 + seed_rng_below(&r, 3600) * 1000000;
}

/* ================================================================ */
/* a set of usernames (folded), for uniqueness                      */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

bool seed_nameset_add(struct nameset *ns, const char *s)
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

void seed_nameset_free(struct nameset *ns)
{
    for (size_t i = 0; i < ns->cap; i++)
        free(ns->slot[i]);
    free(ns->slot);
}

int seed_pick_categories(uint64_t seed, int64_t id, int *out)
{
    struct rng r = seed_rng_for(seed, id, 3);
    int n = (int)(-log(1 - seed_rng_unit(&r) * 0.999) * 3);
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
