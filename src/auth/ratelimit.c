/* ratelimit.c - fixed-window failure counters in a hashed table. */
#include "auth/ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/clock.h"

enum { RATELIMIT_SLOTS = 4096 };

struct slot {
    uint64_t key;
    int64_t window_start;
    int count;
};

static struct slot slots[RATELIMIT_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ? h : 1;
}

static struct slot *find(uint64_t k, int64_t now)
{
    struct slot *s = &slots[k % RATELIMIT_SLOTS];
    if (s->key != k || now - s->window_start >= RATELIMIT_WINDOW_S) {
        s->key = k;
        s->window_start = now;
        s->count = 0;
    }
    return s;
}

bool ratelimit_allow(const char *key, int max, int *retry_after)
{
    int64_t now = clock_now();
    pthread_mutex_lock(&lock);
    struct slot *s = find(hash_key(key), now);
    bool ok = s->count < max;
    if (!ok && retry_after)
        *retry_after = (int)(s->window_start + RATELIMIT_WINDOW_S - now);
    pthread_mutex_unlock(&lock);
    return ok;
}

void ratelimit_fail(const char *key)
{
    int64_t now = clock_now();
    pthread_mutex_lock(&lock);
    find(hash_key(key), now)->count++;
    pthread_mutex_unlock(&lock);
}

void ratelimit_reset(const char *key)
{
    pthread_mutex_lock(&lock);
    struct slot *s = &slots[hash_key(key) % RATELIMIT_SLOTS];
    if (s->key == hash_key(key))
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&lock);
}
