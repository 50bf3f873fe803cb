/* sqlite_search_bitmap.c - bitmaps of user ids for the search engine (the
 * matches of a query, the users a source lists), as SQLite keeps its
 * bitvec.c: one bit per id up to the largest id of the read snapshot. */
#include <assert.h>

#include "store/sqlite_search_engine.h"

void search_bits_init(struct arena *a, struct bits *b, int64_t max_id)
{
    assert(max_id >= 0);
    b->nwords = (size_t)max_id / 64 + 1;
    b->w = arena_alloc(a, b->nwords * sizeof *b->w);
}

bool search_bits_test(const struct bits *b, int64_t id)
{
    return id >= 0 && (size_t)id / 64 < b->nwords && (b->w[id / 64] >> (id % 64)) & 1;
}

bool search_bits_set(struct bits *b, int64_t id)
{
    assert(id >= 0 && (size_t)id / 64 < b->nwords); /* ids come from the snapshot max_id was read in */
    if (id < 0 || (size_t)id / 64 >= b->nwords || search_bits_test(b, id))
        return false;
    b->w[id / 64] |= 1ULL << (id % 64);
    return true;
}

void search_bits_clear(struct bits *b, int64_t id)
{
    if (id >= 0 && (size_t)id / 64 < b->nwords)
        b->w[id / 64] &= ~(1ULL << (id % 64));
}

int64_t search_bits_next(const struct bits *b, int64_t from)
{
    if (from < 0)
        from = 0;
    size_t i = (size_t)from / 64;
    if (i >= b->nwords)
        return -1;
    uint64_t w = b->w[i] & (~0ULL << (from % 64));
    while (!w) {
        if (++i >= b->nwords)
            return -1;
        w = b->w[i];
    }
    return (int64_t)(i * 64 + (size_t)__builtin_ctzll(w));
}

int64_t search_bits_prev(const struct bits *b, int64_t from)
{
    assert(b->nwords > 0);
    if (from < 0)
        return -1;
    size_t i = (size_t)from / 64;
    if (i >= b->nwords) {
        i = b->nwords - 1;
        from = (int64_t)(i * 64 + 63);
    }
    uint64_t w = b->w[i] & (from % 64 == 63 ? ~0ULL : ((1ULL << (from % 64 + 1)) - 1));
    while (!w) {
        if (i-- == 0)
            return -1;
        w = b->w[i];
    }
    return (int64_t)(i * 64 + 63 - (size_t)__builtin_clzll(w));
}
