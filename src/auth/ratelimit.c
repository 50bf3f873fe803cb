/* ratelimit.c - fixed-window failure counters in a set-associative table.
 *
 * Keys are hashed with SipHash (crypto_shorthash) under a random per-process
 * key, so a client cannot compute which keys share a bucket. Only a failure
 * creates an entry; checking a key never disturbs another key's entry. When
 * a bucket is full, the entry with the fewest failures (then the oldest) is
 * evicted: pushing out an account's count takes more failures than the
 * account has. */
#include "auth/ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/clock.h"

enum {
    RATELIMIT_WAYS = 8,                           /* entries per bucket */
    RATELIMIT_BUCKETS = 4096 / RATELIMIT_WAYS,
};

struct slot {
    uint64_t key; /* 0 = empty */
    int64_t window_start;
    int count;
};

static struct slot slots[RATELIMIT_BUCKETS][RATELIMIT_WAYS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char hash_secret[crypto_shorthash_KEYBYTES];
static bool hash_secret_ready;

/* Called with the lock held. */
static uint64_t hash_key(const char *s)
{
    if (!hash_secret_ready) {
        randombytes_buf(hash_secret, sizeof hash_secret);
        hash_secret_ready = true;
    }
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, (const unsigned char *)s, strlen(s), hash_secret);
    uint64_t h;
    memcpy(&h, out, sizeof h);
    return h ? h : 1;
}

static bool slot_live(const struct slot *s, int64_t now)
{
    return s->key && now - s->window_start < RATELIMIT_WINDOW_S;
}

/* The live entry of `k`, or NULL. Called with the lock held. */
static struct slot *lookup(uint64_t k, int64_t now)
{
    struct slot *b = slots[k % RATELIMIT_BUCKETS];
    for (int i = 0; i < RATELIMIT_WAYS; i++)
        if (b[i].key == k)
            return slot_live(&b[i], now) ? &b[i] : NULL;
    return NULL;
}

/* The entry of `k`, created (with a new window) if absent or expired.
 * Called with the lock held. */
static struct slot *lookup_or_create(uint64_t k, int64_t now)
{
    struct slot *b = slots[k % RATELIMIT_BUCKETS];
    struct slot *victim = NULL;
    for (int i = 0; i < RATELIMIT_WAYS; i++) {
        struct slot *s = &b[i];
        if (s->key == k) {
            victim = s;
            if (slot_live(s, now))
                return s;
            break;
        }
        if (!slot_live(s, now)) {
            if (!victim || slot_live(victim, now))
                victim = s;
        } else if (!victim || (slot_live(victim, now) &&
                               (s->count < victim->count ||
                                (s->count == victim->count && s->window_start < victim->window_start)))) {
            victim = s;
        }
    }
    victim->key = k;
    victim->window_start = now;
    victim->count = 0;
    return victim;
}

bool ratelimit_allow(const char *key, int max, int *retry_after)
{
    int64_t now = clock_now();
    pthread_mutex_lock(&lock);
    struct slot *s = lookup(hash_key(key), now);
    bool ok = !s || s->count < max;
    if (!ok && retry_after)
        *retry_after = (int)(s->window_start + RATELIMIT_WINDOW_S - now);
    pthread_mutex_unlock(&lock);
    return ok;
}

void ratelimit_fail(const char *key)
{
    int64_t now = clock_now();
    pthread_mutex_lock(&lock);
    lookup_or_create(hash_key(key), now)->count++;
    pthread_mutex_unlock(&lock);
}

void ratelimit_reset(const char *key)
{
    int64_t now = clock_now();
    pthread_mutex_lock(&lock);
    struct slot *s = lookup(hash_key(key), now);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&lock);
}
