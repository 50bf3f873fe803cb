/* seed_plan.c - the plan of one `hearth seed` run, the same on every
 * backend: statuses and follows first (follows need statuses, to keep
 * deleted users out of the graph), then each user's row with its counters
 * already right (contract §9: counters count edges to active users only),
 * its tags and its categories. The writers (sqlite_seed.c, pg_seed.c)
 * store what it makes. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "model/user_status.h"
#include "store/seed_internal.h"

bool seed_options_check(const struct seed_options *o, struct err *e)
{
    if (o->users <= 0 || o->users > SEED_MAX_USERS)
        return err_field(e, "users", "invalid", "--users must be from 1 to 50000000.");
    if (o->follows_per_user < 0 || o->follows_per_user > SEED_MAX_FOLLOWS)
        return err_field(e, "follows-per-user", "invalid", "--follows-per-user must be from 0 to 1000.");
    return true;
}

double seed_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void seed_progress(const struct seed_options *o, const char *fmt, ...)
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

/* a 128-bit product for the follow targets (a GCC and clang extension) */
__extension__ typedef unsigned __int128 seed_u128;

void seed_plan_graph(struct seed_plan *s)
{
    const int64_t n = s->n, K = s->K;
    s->status = malloc((size_t)n);
    s->follows = K ? malloc(sizeof *s->follows * (size_t)(n * K)) : NULL;
    s->nfollows = calloc((size_t)n, sizeof *s->nfollows);
    s->nfollowers = calloc((size_t)n, sizeof *s->nfollowers);
    if (!s->status || (K && !s->follows) || !s->nfollows || !s->nfollowers)
        abort();
    for (int64_t i = 0; i < n; i++)
        s->status[i] = seed_status(s->seed, s->first + i);
    for (int64_t i = 0; i < n && K; i++) {
        if (s->status[i] == USER_DELETED)
            continue;
        struct rng r = seed_rng_for(s->seed, s->first + i, 4);
        int32_t *mine = &s->follows[i * K];
        for (int tries = 0; s->nfollows[i] < K && tries < 4 * K; tries++) {
            /* rank in a fixed "popularity" permutation: (rank * odd) mod n */
            int64_t rank = (int64_t)exp(seed_rng_unit(&r) * log((double)n));
            if (rank >= n)
                rank = n - 1;
            int64_t t = (int64_t)(((seed_u128)rank * 0x9E3779B97F4A7C15ULL) % (uint64_t)n);
            if (t == i || s->status[t] == USER_DELETED)
                continue;
            bool dup = false;
            for (int j = 0; j < s->nfollows[i] && !dup; j++)
                dup = mine[j] == (int32_t)t;
            if (dup)
                continue;
            mine[s->nfollows[i]++] = (int32_t)t;
            s->nfollowers[t]++;
        }
    }
}

void seed_plan_free(struct seed_plan *s)
{
    free(s->status);
    free(s->follows);
    free(s->nfollows);
    free(s->nfollowers);
    seed_nameset_free(&s->names);
    s->status = NULL;
    s->follows = s->nfollows = s->nfollowers = NULL;
}

/* Makes p's username unique (case-insensitively) by adding digits, and
 * returns its fold (heap, the caller frees). */
static char *unique_username(struct seed_plan *s, int64_t id, struct person *p)
{
    char *folded = text_fold_malloc(p->username, strlen(p->username));
    for (int attempt = 0; !seed_nameset_add(&s->names, folded); attempt++) {
        free(folded);
        struct rng r = seed_rng_for(s->seed, id, 10 + (uint64_t)attempt);
        size_t len = strlen(p->username);
        if (len > SEED_USERNAME_MAX - 8)
            len = SEED_USERNAME_MAX - 8;
        snprintf(p->username + len, sizeof p->username - len, "%lld",
                 (long long)seed_rng_below(&r, attempt < 3 ? 1000 : 1000000000));
        folded = text_fold_malloc(p->username, strlen(p->username));
    }
    return folded;
}

void seed_user_row(struct seed_plan *s, int64_t i, struct seed_user_row *row)
{
    memset(row, 0, sizeof *row);
    row->id = s->first + i;
    seed_make_person(s->seed, row->id, s->first, s->n, &row->p);
    row->username_fold = unique_username(s, row->id, &row->p);
    snprintf(row->email, sizeof row->email, "%s@example.com", row->username_fold);
    row->real_name_fold = text_fold_malloc(row->p.real_name, strlen(row->p.real_name));
    if (row->p.has_position_ll) { /* as a profile update stores them: 7 decimals */
        row->p.position_lat = round(row->p.position_lat * 1e7) / 1e7;
        row->p.position_lng = round(row->p.position_lng * 1e7) / 1e7;
    }
    seed_user_links(s, i, row);
}

void seed_user_links(const struct seed_plan *s, int64_t i, struct seed_user_row *row)
{
    int64_t id = s->first + i;
    row->ncats = seed_pick_categories(s->seed, id, row->cats);
    row->ntags = 0;
    struct rng r = seed_rng_for(s->seed, id, 5);
    for (int t = 0; t < N(seed_tags); t++)
        if (seed_rng_below(&r, 10000) < seed_tags[t].per10k)
            row->tags[row->ntags++] = t;
}

void seed_user_row_free(struct seed_user_row *row)
{
    free(row->username_fold);
    free(row->real_name_fold);
    row->username_fold = row->real_name_fold = NULL;
}

void seed_category_slug(const char *name, char *slug, size_t size)
{
    size_t k = 0;
    for (const char *c = name; *c && k + 1 < size; c++)
        slug[k++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    slug[k] = '\0';
}
