/* ratelimit.c - fixed-window failure counters in a set-associative table.
 *
 * Keys are hashed with SipHash (crypto_shorthash) under a random per-process
 * key, so a client cannot compute which keys share a bucket. Only a failure
 * creates an entry; checking a key never disturbs another key's entry. When
 * a bucket is full, the entry with the fewest failures (then the oldest) is
 * evicted: pushing out an account's count takes more failures than the
 * account has. */
#include "auth/ratelimit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/stats.h"

enum {
    RATELIMIT_WAYS = 8, /* entries per bucket */
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

static const char ADDRESS_PREFIX[] = "addr:";
enum { IPV6_NETWORK_BYTES = 8 }; /* a /64 */

/* The bytes that identify `key`: for an IPv6 client address its /64 (or the
 * IPv4 address it maps), so that rotating through one's own network does not
 * reset the count; any other key as it is. Returns the length in `out`
 * (at most cap), or 0 when the key is used as given. */
static size_t address_identity(const char *key, unsigned char *out, size_t cap)
{
    size_t plen = sizeof ADDRESS_PREFIX - 1;
    if (strncmp(key, ADDRESS_PREFIX, plen) || !strchr(key + plen, ':'))
        return 0;
    struct in6_addr a;
    if (inet_pton(AF_INET6, key + plen, &a) != 1)
        return 0;
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    size_t n = 0;
    if (!memcmp(a.s6_addr, v4_mapped, sizeof v4_mapped)) {
        /* the same text as the IPv4 client's key, so both spellings share one count */
        char v4[INET_ADDRSTRLEN];
        if (!inet_ntop(AF_INET, a.s6_addr + 12, v4, sizeof v4))
            return 0;
        n = (size_t)snprintf((char *)out, cap, "%s%s", ADDRESS_PREFIX, v4);
    } else {
        n = (size_t)snprintf((char *)out, cap, "%s6/64:", ADDRESS_PREFIX);
        if (n + IPV6_NETWORK_BYTES > cap)
            return 0;
        memcpy(out + n, a.s6_addr, IPV6_NETWORK_BYTES);
        n += IPV6_NETWORK_BYTES;
    }
    return n < cap ? n : 0;
}

/* Called with the lock held. */
static uint64_t hash_key(const char *s)
{
    if (!hash_secret_ready) {
        randombytes_buf(hash_secret, sizeof hash_secret);
        hash_secret_ready = true;
    }
    unsigned char identity[64];
    size_t n = address_identity(s, identity, sizeof identity);
    unsigned char out[crypto_shorthash_BYTES];
    if (n)
        crypto_shorthash(out, identity, n, hash_secret);
    else
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
        } else if (!victim ||
                   (slot_live(victim, now) && (s->count < victim->count || (s->count == victim->count &&
                                                                            s->window_start < victim->window_start)))) {
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
    if (!ok)
        stats_add(STATS_RATELIMIT_REJECTIONS);
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
