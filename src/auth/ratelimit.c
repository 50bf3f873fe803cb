/* ratelimit.c - fixed-window failure counters: in the database when the
 * store shares them (PostgreSQL), else in a set-associative table in
 * memory.
 *
 * Keys are hashed with keyed BLAKE2b (crypto_generichash) under a secret
 * key, so a client cannot compute which keys share a bucket, and the
 * database holds no account name or address. The key is random per
 * process unless ratelimit_set_hash_key gave the one every server shares.
 * In memory, only a failure creates an entry; checking a key never
 * disturbs another key's entry. When a bucket is full, the entry with the
 * fewest failures (then the oldest) is evicted: pushing out an account's
 * count takes more failures than the account has. */
#include "auth/ratelimit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/fault.h"
#include "core/stats.h"
#include "store/store.h"

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
static unsigned char hash_secret[crypto_generichash_KEYBYTES];
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

void ratelimit_set_hash_key(const unsigned char *key, size_t len)
{
    pthread_mutex_lock(&lock);
    /* any length in, the hash's key size out */
    crypto_generichash(hash_secret, sizeof hash_secret, key, len, NULL, 0);
    hash_secret_ready = true;
    pthread_mutex_unlock(&lock);
}

/* The keyed hash of `s` (its identity) into out. */
static void hash_key(const char *s, unsigned char out[RATELIMIT_KEY_BYTES])
{
    pthread_mutex_lock(&lock);
    if (!hash_secret_ready) {
        randombytes_buf(hash_secret, sizeof hash_secret);
        hash_secret_ready = true;
    }
    pthread_mutex_unlock(&lock);
    unsigned char identity[64];
    size_t n = address_identity(s, identity, sizeof identity);
    if (n)
        crypto_generichash(out, RATELIMIT_KEY_BYTES, identity, n, hash_secret, sizeof hash_secret);
    else
        crypto_generichash(out, RATELIMIT_KEY_BYTES, (const unsigned char *)s, strlen(s), hash_secret,
                           sizeof hash_secret);
}

/* The memory table's key: the hash's first 8 bytes, never 0 (empty). */
static uint64_t slot_key(const unsigned char hash[RATELIMIT_KEY_BYTES])
{
    uint64_t h;
    memcpy(&h, hash, sizeof h);
    return h ? h : 1;
}

/* The hash as the store's key: hex. */
static void hash_hex(const unsigned char hash[RATELIMIT_KEY_BYTES], char out[2 * RATELIMIT_KEY_BYTES + 1])
{
    sodium_bin2hex(out, 2 * RATELIMIT_KEY_BYTES + 1, hash, RATELIMIT_KEY_BYTES);
}

/* Whether the counters are the database's (else memory's). */
static bool shared(struct store *st) { return st && store_ratelimit_shared(st); }

/* A database failure: logged (at most once an interval), and the memory
 * table used for this call. */
static void shared_failed(const struct err *e)
{
    fault_log("rate limit counters", e->count ? e->entries[0].message : "database error");
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

static bool memory_allow(const unsigned char hash[RATELIMIT_KEY_BYTES], int max, int64_t now, int *retry_after)
{
    pthread_mutex_lock(&lock);
    struct slot *s = lookup(slot_key(hash), now);
    bool ok = !s || s->count < max;
    if (!ok && retry_after)
        *retry_after = (int)(s->window_start + RATELIMIT_WINDOW_S - now);
    pthread_mutex_unlock(&lock);
    return ok;
}

bool ratelimit_allow(struct store *st, const char *key, int max, int *retry_after)
{
    int64_t now = clock_now();
    unsigned char hash[RATELIMIT_KEY_BYTES];
    hash_key(key, hash);
    bool ok = true, counted = false;
    if (shared(st)) {
        char hex[2 * RATELIMIT_KEY_BYTES + 1];
        hash_hex(hash, hex);
        struct err e = {0};
        int count = 0;
        int64_t start = 0;
        int found = store_ratelimit_get(st, hex, now - RATELIMIT_WINDOW_S, &count, &start, &e);
        if (found >= 0) {
            counted = true;
            ok = !found || count < max;
            if (!ok && retry_after)
                *retry_after = (int)(start + RATELIMIT_WINDOW_S - now);
        } else {
            shared_failed(&e);
        }
    }
    if (!counted)
        ok = memory_allow(hash, max, now, retry_after);
    if (!ok)
        stats_add(STATS_RATELIMIT_REJECTIONS);
    return ok;
}

void ratelimit_fail(struct store *st, const char *key)
{
    int64_t now = clock_now();
    unsigned char hash[RATELIMIT_KEY_BYTES];
    hash_key(key, hash);
    if (shared(st)) {
        char hex[2 * RATELIMIT_KEY_BYTES + 1];
        hash_hex(hash, hex);
        struct err e = {0};
        if (store_ratelimit_fail(st, hex, now, now - RATELIMIT_WINDOW_S, &e))
            return;
        shared_failed(&e);
    }
    pthread_mutex_lock(&lock);
    lookup_or_create(slot_key(hash), now)->count++;
    pthread_mutex_unlock(&lock);
}

void ratelimit_reset(struct store *st, const char *key)
{
    int64_t now = clock_now();
    unsigned char hash[RATELIMIT_KEY_BYTES];
    hash_key(key, hash);
    if (shared(st)) {
        char hex[2 * RATELIMIT_KEY_BYTES + 1];
        hash_hex(hash, hex);
        struct err e = {0};
        if (!store_ratelimit_reset(st, hex, &e))
            shared_failed(&e);
    }
    /* and in memory, where a database failure may have counted it */
    pthread_mutex_lock(&lock);
    struct slot *s = lookup(slot_key(hash), now);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&lock);
}

bool ratelimit_throttled(struct err *e, int max, int retry_after, const char *message)
{
    err_set(e, ERR_THROTTLED, "throttled", message);
    e->retry_after = retry_after > 0 ? retry_after : 1;
    e->rate_limit = max;
    return false;
}
