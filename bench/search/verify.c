/* verify.c - the search benchmark's check of its own answers.
 *
 *   search_verify DB REQUESTS N        check the first N requests of the file
 *   search_verify DB REQUESTS --time   time the engine alone on every request
 *   search_verify DB --audit           the search indexes and maintained counts
 *                                      against the base tables (rows that differ)
 *
 * Runs each request (the lines of bench/search/search.lua: user id, token,
 * raw query) through the real engine (store_search_users) and through the
 * reference that tests every user row (store_search_users_naive), and
 * prints whether the counts and the first pages agree, with both times.
 * Exit status 1 on any disagreement. With --time: the engine only, three
 * times per request, and the median and worst of the best times (one
 * thread, no HTTP: the engine's share of a request). SEARCH_VERIFY_EACH=1
 * in the environment also prints each request's best time, count and
 * query to stderr (to find the slowest requests of a kind);
 * SEARCH_VERIFY_TUNE=collect_max,sort_max,walk_max,bitmap_ratio sets the
 * engine's choices (store_search_tune) to compare plans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/search.h"
#include "store/store.h"
#include "store/test_hooks.h"

enum { MAX_PARAMS = 16, LINE_MAX_BYTES = 8192 };

struct params {
    const char *key[MAX_PARAMS], *value[MAX_PARAMS];
    int n;
};

static const char *param(void *ctx, const char *name)
{
    struct params *p = ctx;
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->key[i], name))
            return *p->value[i] ? p->value[i] : NULL;
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[2], "--audit")) {
        struct err e = {0};
        struct store *st = store_open(argv[1], &e);
        int64_t bad = st ? store_search_check(st, &e) : -1;
        printf("search audit: %lld rows differ%s\n", (long long)bad, bad < 0 ? " (error)" : "");
        if (st)
            store_close(st);
        return bad == 0 ? 0 : 1;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: search_verify DB REQUESTS N\n");
        return 2;
    }
    struct err e = {0};
    struct store *st = store_open(argv[1], &e);
    FILE *f = fopen(argv[2], "r");
    if (!st || !f) {
        fprintf(stderr, "search_verify: cannot open %s or %s\n", argv[1], argv[2]);
        return 2;
    }
    const char *tune = getenv("SEARCH_VERIFY_TUNE");
    struct search_tuning t;
    if (tune && sscanf(tune, "%d,%d,%d,%d", &t.collect_max, &t.sort_max, &t.walk_max, &t.bitmap_ratio) == 4)
        store_search_tune(&t);
    bool timing = !strcmp(argv[3], "--time");
    int limit = timing ? 1 << 30 : atoi(argv[3]), done = 0, bad = 0;
    double *times = timing ? calloc(1 << 16, sizeof *times) : NULL;
    double engine = 0, naive = 0;
    char line[LINE_MAX_BYTES];
    while (done < limit && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *id = strtok(line, "\t"), *token = strtok(NULL, "\t"), *query = strtok(NULL, "\t");
        if (!id || !token || !query)
            continue;
        struct params p = {0};
        for (char *kv = strtok(query, "&"); kv && p.n < MAX_PARAMS; kv = strtok(NULL, "&")) {
            char *eq = strchr(kv, '=');
            if (!eq)
                continue;
            *eq = '\0';
            p.key[p.n] = kv;
            p.value[p.n++] = eq + 1;
        }
        struct arena *a = arena_new();
        struct user me;
        struct principal who = {.user_id = atoll(id)};
        if (store_user_get(st, a, who.user_id, &me, &e) == 1)
            who.role = me.role;
        struct search_query q = {.limit = 20};
        struct search_page got, want;
        struct err qe = {0};
        if (!search_query_from_params(st, a, &who, param, &p, &q, &qe)) {
            fprintf(stderr, "search_verify: invalid request %s\n", argv[2]);
            arena_free(a);
            bad++;
            continue;
        }
        if (timing) {
            char shown[LINE_MAX_BYTES];
            snprintf(shown, sizeof shown, "%s", q.term ? q.term : "");
            double best = 1e9;
            for (int k = 0; k < 3; k++) {
                double t = now();
                store_search_users(st, a, &q, &got, &qe);
                t = now() - t;
                best = t < best ? t : best;
            }
            if (done < (1 << 16))
                times[done] = best;
            if (getenv("SEARCH_VERIFY_EACH"))
                fprintf(stderr, "%.3f ms\tcount %lld\tuser %s\tterm %s tag %lld category %lld radius %g\n", best * 1000,
                        (long long)got.count, id, shown, (long long)q.tag_id, (long long)q.category_id,
                        q.has_radius ? q.radius_km : -1.0);
            done++;
            arena_free(a);
            continue;
        }
        double t0 = now();
        bool ok1 = store_search_users(st, a, &q, &got, &qe);
        double t1 = now();
        bool ok2 = store_search_users_naive(st, a, &q, &want, &qe);
        double t2 = now();
        engine += t1 - t0;
        naive += t2 - t1;
        bool same = ok1 && ok2 && got.count == want.count && got.n == want.n;
        for (int i = 0; same && i < got.n; i++)
            same = got.items[i].id == want.items[i].id;
        if (!same) {
            bad++;
            fprintf(stderr, "search_verify: MISMATCH count %lld vs %lld (user %s)\n", (long long)got.count,
                    (long long)want.count, id);
        }
        done++;
        arena_free(a);
    }
    if (timing && done) {
        int n = done < (1 << 16) ? done : (1 << 16);
        qsort(times, (size_t)n, sizeof *times, cmp_double);
        printf("engine alone over %d requests: median %.2f ms, worst %.2f ms\n", n, times[n / 2] * 1000,
               times[n - 1] * 1000);
        free(times);
    } else {
        printf("%d requests checked, %d mismatches; engine %.1f ms, full scan %.0f ms per request\n", done, bad,
               done ? engine / done * 1000 : 0, done ? naive / done * 1000 : 0);
    }
    fclose(f);
    store_close(st);
    return bad ? 1 : 0;
}
