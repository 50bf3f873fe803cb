/* test_lists.c - differential test of the user list pages found by seeking
 * (src/store/sqlite_list.c, migration 008): random writes through a second
 * connection (signups with ids spread over many ranges, status changes,
 * renames sharing long prefixes, hard deletes, hides), then random pages
 * (offset, limit, ordering, viewer) from store_user_list, and followers,
 * followings and connections pages (follows and connections added and
 * removed at times from ties to years apart) from store_graph_user_list,
 * compared with naive queries; the maintained counts compared with the
 * tables after every round (sqlite_list_counts_check). The orderings
 * real_name, location and date_joined (migration 016) with keys from small
 * sets, so that many users tie (ordered by id then) and share prefixes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/sqlite_list.h"
#include "store/store.h"
#include "temp_store.h"

struct fixture {
    struct temp_store tmp;
    struct store *st;
    sqlite3 *db; /* the writer and the naive reference */
    struct arena *arena;
    uint64_t rng;
};

static uint64_t next(struct fixture *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return f->rng;
}

static int below(struct fixture *f, int n) { return (int)(next(f) % (uint64_t)n); }

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(temp_store_open(&f->tmp));
    f->st = f->tmp.st;
    assert_int_equal(sqlite3_open(f->tmp.path, &f->db), SQLITE_OK);
    sqlite3_busy_timeout(f->db, 5000);
    f->arena = arena_new();
    f->rng = 0x9E3779B97F4A7C15ULL;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sqlite3_close(f->db);
    temp_store_close(&f->tmp);
    arena_free(f->arena);
    free(f);
    return 0;
}

/* A name from a small alphabet, so that many share long prefixes. */
static void random_name(struct fixture *f, char *out, size_t size)
{
    static const char *const parts[] = {"a", "ab", "abc", "aaaaaa", "the_", "z", "\xc3\xa9", "m", "ma", "mar"};
    size_t len = 0;
    out[0] = '\0';
    int n = 1 + below(f, 4);
    for (int i = 0; i < n; i++) {
        const char *p = parts[below(f, (int)(sizeof parts / sizeof parts[0]))];
        if (len + strlen(p) + 1 >= size)
            break;
        memcpy(out + len, p, strlen(p) + 1);
        len += strlen(p);
    }
    char num[8];
    snprintf(num, sizeof num, "%d", below(f, 50));
    if (len + strlen(num) + 1 < size)
        memcpy(out + len, num, strlen(num) + 1);
}

/* A real name or location (folded already: the naive queries order by the
 * column): few values, many ties, shared prefixes, empty and short ones;
 * the first 15 are ASCII (locations: fold() would change the others). */
static const char *random_text(struct fixture *f, bool ascii)
{
    static const char *const texts[] = {"",        "",     "a",    "ab",        "abcdefgh",   "abcdefgi",
                                        "abcdef",  "rome", "rome", "rome",      "paris",      "z",
                                        "zzzzzzz", "ma",   "a b",  "e\xcc\x81", "m\xc3\xa9x", "\xc3\xa9"};
    return texts[below(f, ascii ? 15 : (int)(sizeof texts / sizeof texts[0]))];
}

/* A date_joined_us: ties, nearby and years apart. */
static long long random_joined(struct fixture *f)
{
    int r = below(f, 4);
    return r == 0   ? 0
           : r == 1 ? 1600000000000000LL + below(f, 3)
                    : 1500000000000000LL + (long long)(next(f) % (1ULL << 48));
}

/* Runs a write through the store's connection (its SQL functions feed the
 * search triggers); a taken username (UNIQUE) is skipped. */
static void exec(struct fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void exec(struct fixture *f, const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    struct err e = {0};
    FILE *out = fopen("/dev/null", "w");
    assert_non_null(out);
    bool ok = store_exec_script(f->st, sql, false, out, &e);
    fclose(out);
    if (!ok && !(e.count && e.entries[0].message && strstr(e.entries[0].message, "UNIQUE")))
        fail_msg("%s: %s", sql, e.count && e.entries[0].message ? e.entries[0].message : "?");
}

static int64_t random_user(struct fixture *f)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT id FROM users ORDER BY random() LIMIT 1", -1, &q, NULL),
                     SQLITE_OK);
    int64_t id = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return id;
}

/* The counters of the owners 1..5 (raw SQL writes leave them to the
 * store's write functions): the short lists' counts, and what makes a list
 * long enough to be kept. */
static void recount(struct fixture *f)
{
    struct err e = {0};
    for (int64_t id = 1; id <= 5; id++)
        assert_true(store_user_counters_recompute(f->st, id, &e));
}

static void random_write(struct fixture *f)
{
    static const char *const statuses[] = {"a", "a", "a", "b", "d", "u"};
    char name[40];
    int64_t id = random_user(f); /* the viewers and owners 1..5 always exist */
    int64_t owner = below(f, 4) ? 1 + below(f, 5) : random_user(f);
    /* edge times: ties, nearby and years apart (every level of ranges) */
    long long when = below(f, 4) == 0 ? 1000000 : (long long)(next(f) % (1ULL << 44));
    static const char *const edges[] = {"follows (follower_id, followed_id", "follows (followed_id, follower_id",
                                        "connections (user_id, other_id"};
    switch (below(f, 15)) {
    case 10:
    case 11:
    case 12:
    case 14:
        exec(f, "INSERT OR IGNORE INTO %s, created_us) VALUES (%lld, %lld, %lld)", edges[below(f, 3)], (long long)owner,
             (long long)id, when);
        break;
    case 13:
        if (below(f, 2))
            exec(f,
                 "DELETE FROM follows WHERE (follower_id, followed_id) IN (SELECT follower_id, followed_id "
                 "FROM follows WHERE followed_id = %lld OR follower_id = %lld ORDER BY random() LIMIT 1)",
                 (long long)owner, (long long)owner);
        else
            exec(f, "DELETE FROM connections WHERE user_id = %lld AND other_id = %lld", (long long)owner,
                 (long long)id);
        break;
    case 0:
    case 1:
    case 2: /* a signup, its id anywhere in 0..300000 (many ranges of 256 and 65536 ids) */
        random_name(f, name, sizeof name);
        exec(f,
             "INSERT INTO users (id, username, username_fold, date_joined_us, status, real_name, real_name_fold, "
             "location) VALUES (%d, '%s', '%s', %lld, '%s', '%s', fold('%s'), '%s')",
             1 + below(f, 300000), name, name, random_joined(f), below(f, 5) ? "a" : "b", random_text(f, false),
             random_text(f, false), random_text(f, true));
        break;
    case 7: /* a profile change: one of the orderings' keys */
        switch (below(f, 3)) {
        case 0: {
            const char *t = random_text(f, false);
            exec(f, "UPDATE users SET real_name = '%s', real_name_fold = fold('%s') WHERE id = %lld", t, t,
                 (long long)id);
            break;
        }
        case 1: exec(f, "UPDATE users SET location = '%s' WHERE id = %lld", random_text(f, true), (long long)id); break;
        default:
            exec(f, "UPDATE users SET date_joined_us = %lld WHERE id = %lld", random_joined(f), (long long)id);
            break;
        }
        break;
    case 3:
    case 4: exec(f, "UPDATE users SET status = '%s' WHERE id = %lld", statuses[below(f, 6)], (long long)id); break;
    case 5:
        random_name(f, name, sizeof name);
        exec(f, "UPDATE users SET username = '%s', username_fold = '%s' WHERE id = %lld", name, name, (long long)id);
        break;
    case 6:
        if (id <= 5)
            break;
        exec(f, "DELETE FROM users WHERE id = %lld", (long long)id);
        break;
    default: /* a hide (or its removal) by one of the first users */
        if (below(f, 3))
            exec(f, "INSERT OR IGNORE INTO hides (user_id, hidden_id, created_us) VALUES (%d, %lld, 0)",
                 1 + below(f, 3), (long long)id);
        else
            exec(f, "DELETE FROM hides WHERE user_id = %d AND hidden_id = %lld", 1 + below(f, 3), (long long)id);
        break;
    }
}

/* The naive page: every visible row counted and walked. */
static void naive(struct fixture *f, const char *order, bool desc, bool id_desc, int64_t viewer, int limit, int offset,
                  int64_t *count, int64_t *ids, int *n)
{
    char sql[512];
    const char *where = "FROM users WHERE status IN ('a', 'b') AND id NOT IN "
                        "(SELECT hidden_id FROM hides WHERE user_id = ?1)";
    sqlite3_stmt *q;
    snprintf(sql, sizeof sql, "SELECT count(*) %s", where);
    assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, viewer);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    *count = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    snprintf(sql, sizeof sql, "SELECT id %s ORDER BY %s %s, id %s LIMIT ?2 OFFSET ?3", where, order,
             desc ? "DESC" : "ASC", id_desc ? "DESC" : "ASC");
    assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, viewer);
    sqlite3_bind_int(q, 2, limit);
    sqlite3_bind_int(q, 3, offset);
    *n = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        ids[(*n)++] = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
}

/* The naive edge list page. */
static void naive_edges(struct fixture *f, enum graph_list_kind kind, int64_t owner, int64_t viewer, int limit,
                        int offset, int64_t *count, int64_t *ids, int *n)
{
    static const char *const from[] = {
        [GRAPH_LIST_FOLLOWERS] = "FROM follows e JOIN users u ON u.id = e.follower_id WHERE e.followed_id = ?1 "
                                 "AND u.status IN ('a', 'b') AND u.id NOT IN (SELECT hidden_id FROM hides "
                                 "WHERE user_id = ?2) ORDER BY e.created_us DESC, u.id DESC",
        [GRAPH_LIST_FOLLOWINGS] = "FROM follows e JOIN users u ON u.id = e.followed_id WHERE e.follower_id = ?1 "
                                  "AND u.status IN ('a', 'b') AND u.id NOT IN (SELECT hidden_id FROM hides "
                                  "WHERE user_id = ?2) ORDER BY e.created_us DESC, u.id DESC",
        [GRAPH_LIST_CONNECTIONS] = "FROM connections e JOIN users u ON u.id = e.other_id WHERE e.user_id = ?1 "
                                   "AND u.status IN ('a', 'b') AND u.id NOT IN (SELECT hidden_id FROM hides "
                                   "WHERE user_id = ?2) ORDER BY e.created_us DESC, u.id DESC",
    };
    char sql[512];
    sqlite3_stmt *q;
    snprintf(sql, sizeof sql, "SELECT u.id %s", from[kind]);
    assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, owner);
    sqlite3_bind_int64(q, 2, viewer);
    *count = 0;
    *n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (*count >= offset && *n < limit)
            ids[(*n)++] = sqlite3_column_int64(q, 0);
        (*count)++;
    }
    sqlite3_finalize(q);
}

/* Whether the owner's list has maintained ranges (the seek path). */
static bool kept(struct fixture *f, int64_t owner, int list)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(f->db,
                                        "SELECT 1 FROM list_edge_counts WHERE owner = ?1 AND list = ?2 AND level = 1",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(q, 1, owner);
    sqlite3_bind_int(q, 2, list);
    bool found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return found;
}

static void compare_edge_pages(struct fixture *f, int pages)
{
    struct err e = {0};
    for (int p = 0; p < pages; p++) {
        struct graph_list_query lq = {.kind = (enum graph_list_kind)below(f, 3),
                                      .user_id = 1 + below(f, 5),
                                      .viewer_id = below(f, 2) ? 1 + below(f, 3) : 0,
                                      .limit = 1 + below(f, 25)};
        int64_t expect_count, ids[32];
        int n;
        naive_edges(f, lq.kind, lq.user_id, lq.viewer_id, 1, 0, &expect_count, ids, &n);
        lq.offset = below(f, (int)expect_count + 3);
        naive_edges(f, lq.kind, lq.user_id, lq.viewer_id, lq.limit, lq.offset, &expect_count, ids, &n);
        struct user_page page;
        if (!store_graph_user_list(f->st, f->arena, &lq, &page, &e))
            fail_msg("edge list failed");
        if (page.count != expect_count || page.n != n)
            fail_msg("list %d of %lld viewer %lld offset %d limit %d: count %lld rows %d, expected %lld and %d",
                     lq.kind, (long long)lq.user_id, (long long)lq.viewer_id, lq.offset, lq.limit,
                     (long long)page.count, page.n, (long long)expect_count, n);
        for (int i = 0; i < n; i++)
            if (page.items[i].id != ids[i])
                fail_msg("list %d of %lld viewer %lld offset %d limit %d: row %d is %lld, expected %lld", lq.kind,
                         (long long)lq.user_id, (long long)lq.viewer_id, lq.offset, lq.limit, i,
                         (long long)page.items[i].id, (long long)ids[i]);
    }
}

static void compare_pages(struct fixture *f, int pages)
{
    struct err e = {0};
    assert_int_equal(sqlite_list_counts_check(f->st, NULL, NULL, &e), 0);
    for (int p = 0; p < pages; p++) {
        struct user_filter uf = {0};
        int o = below(f, 11);
        /* the composed query's order: the field, then id ascending (descending for -id) */
        static const char *const fields[] = {NULL,       "id",          "id",         "username",
                                             "username", "real_name",   "real_name",  "location",
                                             "location", "date_joined", "date_joined"};
        static const char *const columns[] = {"id",
                                              "id",
                                              "id",
                                              "username_fold",
                                              "username_fold",
                                              "real_name_fold",
                                              "real_name_fold",
                                              "location",
                                              "location",
                                              "date_joined_us",
                                              "date_joined_us"};
        bool desc = o % 2 == 0 && o > 0;
        if (fields[o]) {
            uf.order[0] = (struct user_order){fields[o], desc};
            uf.norder = 1;
        }
        uf.viewer_id = below(f, 2) ? 1 + below(f, 3) : 0;
        uf.limit = 1 + below(f, 25);
        int64_t expect_count, ids[32];
        int n;
        bool id_desc = desc && o <= 4;
        naive(f, columns[o], desc, id_desc, uf.viewer_id, 1, 0, &expect_count, ids, &n);
        uf.offset = below(f, (int)expect_count + 3);
        naive(f, columns[o], desc, id_desc, uf.viewer_id, uf.limit, uf.offset, &expect_count, ids, &n);
        struct user_page page;
        if (!store_user_list(f->st, f->arena, &uf, &page, &e))
            fail_msg("list failed");
        assert_int_equal(page.count, expect_count);
        if (page.n != n)
            fail_msg("ordering %d viewer %lld offset %d limit %d: %d rows, expected %d", o, (long long)uf.viewer_id,
                     uf.offset, uf.limit, page.n, n);
        for (int i = 0; i < n; i++)
            if (page.items[i].id != ids[i])
                fail_msg("ordering %d viewer %lld offset %d limit %d: row %d is %lld, expected %lld", o,
                         (long long)uf.viewer_id, uf.offset, uf.limit, i, (long long)page.items[i].id,
                         (long long)ids[i]);
    }
}

static void test_random_writes_and_pages(void **state)
{
    struct fixture *f = *state;
    compare_pages(f, 5); /* empty */
    exec(f, "INSERT INTO users (id, username, username_fold, date_joined_us) VALUES (1, 'v1', 'v1', 0), "
            "(2, 'v2', 'v2', 0), (3, 'v3', 'v3', 0), (4, 'v4', 'v4', 0), (5, 'v5', 'v5', 0)");
    /* long lists (kept from 1000 edges): 1's followers, 2's followings, 3's
     * connections, 4's followers near the threshold, 5's followers below it
     * (random follows take it over) */
    exec(f, "WITH RECURSIVE c(i) AS (SELECT 6 UNION ALL SELECT i + 1 FROM c WHERE i < 1400) "
            "INSERT INTO users (id, username, username_fold, date_joined_us) SELECT i, 'p' || i, 'p' || i, 0 FROM c");
    const char *when = "CASE WHEN id % 7 = 0 THEN 1000000 ELSE (id * 2654435761) % 17592186044416 END";
    exec(f, "INSERT INTO follows (follower_id, followed_id, created_us) SELECT id, 1, %s FROM users WHERE id > 5",
         when);
    exec(f, "INSERT INTO follows (follower_id, followed_id, created_us) SELECT 2, id, %s FROM users WHERE id > 100",
         when);
    exec(f, "INSERT INTO connections (user_id, other_id, created_us) SELECT 3, id, %s FROM users WHERE id > 300", when);
    exec(f, "INSERT INTO follows (follower_id, followed_id, created_us) SELECT id, 4, %s FROM users WHERE id > 398",
         when);
    exec(f, "INSERT INTO follows (follower_id, followed_id, created_us) SELECT id, 5, %s FROM users WHERE id > 410",
         when);
    recount(f);
    assert_true(kept(f, 1, GRAPH_LIST_FOLLOWERS) && kept(f, 2, GRAPH_LIST_FOLLOWINGS) &&
                kept(f, 3, GRAPH_LIST_CONNECTIONS) && kept(f, 4, GRAPH_LIST_FOLLOWERS));
    assert_false(kept(f, 5, GRAPH_LIST_FOLLOWERS) || kept(f, 1, GRAPH_LIST_FOLLOWINGS));
    for (int round = 0; round < 30; round++) {
        for (int i = 0; i < 60; i++) {
            random_write(f);
            recount(f);
        }
        compare_pages(f, 30);
        compare_edge_pages(f, 30);
    }
    /* a viewer hiding a long run of users */
    exec(f, "INSERT OR IGNORE INTO hides (user_id, hidden_id, created_us) SELECT 2, id, 0 FROM users "
            "WHERE id %% 3 <> 0");
    /* 5's followers over 1000: kept from then on */
    assert_false(kept(f, 5, GRAPH_LIST_FOLLOWERS));
    exec(f, "INSERT OR IGNORE INTO follows (follower_id, followed_id, created_us) SELECT id, 5, 0 FROM users "
            "WHERE id > 5 AND id <= 410");
    recount(f);
    assert_true(kept(f, 5, GRAPH_LIST_FOLLOWERS));
    compare_pages(f, 200);
    compare_edge_pages(f, 200);
}

/* A drifted count is reported by the check (and so by `hearth check`). */
static void test_check_reports_drift(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    exec(f, "INSERT INTO users (id, username, username_fold, date_joined_us) VALUES (70000, 'x', 'x', 0)");
    assert_int_equal(sqlite_list_counts_check(f->st, NULL, NULL, &e), 0);
    exec(f, "UPDATE list_counts SET n = n + 1 WHERE kind = 0 AND level = 2");
    assert_int_equal(sqlite_list_counts_check(f->st, NULL, NULL, &e), 1);
    assert_int_equal(store_user_counters_check(f->st, NULL, NULL, &e), 1);
    /* the orderings' counts: a range off by one, one missing, one that should not be there */
    exec(f, "UPDATE list_order_counts SET n = n + 1 WHERE kind = 3 AND level = 7");
    assert_int_equal(sqlite_list_counts_check(f->st, NULL, NULL, &e), 2);
    exec(f, "DELETE FROM list_order_counts WHERE kind = 2 AND level = 2");
    assert_int_equal(sqlite_list_counts_check(f->st, NULL, NULL, &e), 3);
    exec(f, "INSERT INTO list_order_counts (kind, level, prefix, block, n) VALUES (4, 1, 'fffff', 0, 1)");
    assert_int_equal(sqlite_list_counts_check(f->st, NULL, NULL, &e), 4);
    assert_int_equal(store_user_counters_check(f->st, NULL, NULL, &e), 4);
}

int main(void)
{
    if (temp_store_sqlite_only("writes through its own sqlite3 connection and checks sqlite_list_counts"))
        return 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_writes_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_reports_drift, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
