/* test_lists.c - differential test of the list pages found by seeking
 * (src/store/sqlite_list.c, pg_list.c, list_plan.c), on SQLite, or on
 * PostgreSQL when HEARTH_TEST_PG names a server (temp_store.c): random
 * writes through a second connection (signups with ids spread over many
 * ranges, status changes, renames sharing long prefixes, profile changes
 * of the orderings' keys, hard deletes, hides, follows and connections
 * from ties to years apart), then random pages (offset, limit, ordering,
 * viewer) from store_user_list and followers, followings and connections
 * pages from store_graph_user_list, compared with naive queries; the
 * maintained counts compared with the tables after every round (the
 * engine's list counts check). Keys of real_name, location and
 * date_joined come from small sets, so that many users tie (ordered by id
 * then) and share prefixes. Also the composed list's filters, and that a
 * drifted count is reported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/pg_list.h"
#include "store/sqlite_list.h"
#include "store/store.h"
#include "temp_store.h"

struct fixture {
    struct temp_store tmp;
    struct store *st;
    bool pg;
    sqlite3 *lite; /* the naive reference (SQLite) */
    PGconn *pgc;   /* the writer and the naive reference (PostgreSQL) */
    struct arena *arena;
    uint64_t rng;
    int cursor_pages; /* pages read through a keyset cursor */
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
    f->pg = temp_store_pg();
    if (f->pg) {
        f->pgc = PQconnectdb(f->tmp.path);
        assert_int_equal(PQstatus(f->pgc), CONNECTION_OK);
        PQclear(PQexec(f->pgc, "SET client_min_messages = warning"));
    } else {
        assert_int_equal(sqlite3_open(f->tmp.path, &f->lite), SQLITE_OK);
        sqlite3_busy_timeout(f->lite, 5000);
    }
    f->arena = arena_new();
    f->rng = 0x9E3779B97F4A7C15ULL;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (f->pgc)
        PQfinish(f->pgc);
    if (f->lite)
        sqlite3_close(f->lite);
    temp_store_close(&f->tmp);
    arena_free(f->arena);
    free(f);
    return 0;
}

/* Runs a write: on SQLite through the store's connection (its SQL
 * functions feed the search triggers), on PostgreSQL through the second
 * connection; a taken username (unique violation) is skipped. */
static void exec(struct fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void exec(struct fixture *f, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    if (f->pg) {
        PGresult *r = PQexec(f->pgc, sql);
        ExecStatusType s = PQresultStatus(r);
        const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && !(code && !strcmp(code, "23505")))
            fail_msg("%s: %s", sql, PQerrorMessage(f->pgc));
        PQclear(r);
        return;
    }
    struct err e = {0};
    FILE *out = fopen("/dev/null", "w");
    assert_non_null(out);
    bool ok = store_exec_script(f->st, sql, false, out, &e);
    fclose(out);
    if (!ok && !(e.count && e.entries[0].message && strstr(e.entries[0].message, "UNIQUE")))
        fail_msg("%s: %s", sql, e.count && e.entries[0].message ? e.entries[0].message : "?");
}

/* The first column of sql's rows (integers), at most max of them from row
 * `skip` on; returns the number of rows in all. */
static int64_t query_ints(struct fixture *f, const char *sql, int64_t skip, int64_t *out, int max, int *n)
{
    int64_t rows = 0;
    if (n)
        *n = 0;
    if (f->pg) {
        PGresult *r = PQexec(f->pgc, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            fail_msg("%s: %s", sql, PQerrorMessage(f->pgc));
        rows = PQntuples(r);
        for (int64_t i = skip; i < rows && n && *n < max; i++)
            out[(*n)++] = PQgetisnull(r, (int)i, 0) ? 0 : atoll(PQgetvalue(r, (int)i, 0));
        PQclear(r);
        return rows;
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(f->lite, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(f->lite));
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (rows >= skip && n && *n < max)
            out[(*n)++] = sqlite3_column_int64(q, 0);
        rows++;
    }
    if (rc != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(f->lite));
    sqlite3_finalize(q);
    return rows;
}

static int64_t query_int(struct fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int64_t query_int(struct fixture *f, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    int64_t v = 0;
    int n;
    query_ints(f, sql, 0, &v, 1, &n);
    return v;
}

/* The engine's audit of the lists' maintained counts. */
static int64_t list_counts_check(struct fixture *f)
{
    struct err e = {0};
    return f->pg ? pg_list_counts_check(f->st, NULL, NULL, &e) : sqlite_list_counts_check(f->st, NULL, NULL, &e);
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
 * fold's column): few values, many ties, shared prefixes, empty, short and
 * multi-byte ones; the first 15 are ASCII (SQLite's locations: its key is
 * fold(location), which would change the others). */
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

static int64_t random_user(struct fixture *f)
{
    int64_t n = query_int(f, "SELECT count(*) FROM users");
    return n ? query_int(f, "SELECT id FROM users ORDER BY id LIMIT 1 OFFSET %d", below(f, (int)n)) : 0;
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

/* The location columns of an insert and their values for the text t:
 * SQLite keys the location by fold(location), PostgreSQL by location_fold. */
static const char *location_columns(struct fixture *f) { return f->pg ? "location, location_fold" : "location"; }

static void location_values(struct fixture *f, const char *t, char *out, size_t size)
{
    if (f->pg)
        snprintf(out, size, "'%s', '%s'", t, t);
    else
        snprintf(out, size, "'%s'", t);
}

static void random_write(struct fixture *f)
{
    static const char *const statuses[] = {"a", "a", "a", "b", "d", "u"};
    const char *fold = f->pg ? "" : "fold"; /* the real name's fold: SQLite's function, or the text itself */
    char name[40], loc[64];
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
        exec(f, "INSERT INTO %s, created_us) VALUES (%lld, %lld, %lld) ON CONFLICT DO NOTHING", edges[below(f, 3)],
             (long long)owner, (long long)id, when);
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
    case 2: { /* a signup, its id anywhere in 0..300000 (many ranges of 256 and 65536 ids) */
        random_name(f, name, sizeof name);
        const char *real = random_text(f, false);
        location_values(f, random_text(f, !f->pg), loc, sizeof loc);
        exec(f,
             "INSERT INTO users (id, username, username_fold, date_joined_us, status, real_name, real_name_fold, "
             "%s) VALUES (%d, '%s', '%s', %lld, '%s', '%s', %s('%s'), %s)",
             location_columns(f), 1 + below(f, 300000), name, name, random_joined(f), below(f, 5) ? "a" : "b", real,
             fold, real, loc);
        break;
    }
    case 7: /* a profile change: one of the orderings' keys */
        switch (below(f, 3)) {
        case 0: {
            const char *t = random_text(f, false);
            exec(f, "UPDATE users SET real_name = '%s', real_name_fold = %s('%s') WHERE id = %lld", t, fold, t,
                 (long long)id);
            break;
        }
        case 1:
            location_values(f, random_text(f, !f->pg), loc, sizeof loc);
            exec(f, "UPDATE users SET (%s) = (%s) WHERE id = %lld", location_columns(f), loc, (long long)id);
            break;
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
            exec(f, "INSERT INTO hides (user_id, hidden_id, created_us) VALUES (%d, %lld, 0) ON CONFLICT DO NOTHING",
                 1 + below(f, 3), (long long)id);
        else
            exec(f, "DELETE FROM hides WHERE user_id = %d AND hidden_id = %lld", 1 + below(f, 3), (long long)id);
        break;
    }
}

/* The naive page: every visible row counted and walked. */
static void naive(struct fixture *f, const char *order, int64_t viewer, int limit, int offset, int64_t *count,
                  int64_t *ids, int *n)
{
    char sql[512], w[256];
    snprintf(w, sizeof w,
             "FROM users WHERE status IN ('a', 'b') AND id NOT IN (SELECT hidden_id FROM hides WHERE user_id = %lld)",
             (long long)viewer);
    *count = query_int(f, "SELECT count(*) %s", w);
    snprintf(sql, sizeof sql, "SELECT id %s ORDER BY %s LIMIT %d OFFSET %d", w, order, limit, offset);
    query_ints(f, sql, 0, ids, limit, n);
}

/* The naive edge list page. */
static void naive_edges(struct fixture *f, enum graph_list_kind kind, int64_t owner, int64_t viewer, int limit,
                        int offset, int64_t *count, int64_t *ids, int *n)
{
    static const char *const cols[][3] = {
        [GRAPH_LIST_FOLLOWERS] = {"follows", "followed_id", "follower_id"},
        [GRAPH_LIST_FOLLOWINGS] = {"follows", "follower_id", "followed_id"},
        [GRAPH_LIST_CONNECTIONS] = {"connections", "user_id", "other_id"},
    };
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT u.id FROM %s e JOIN users u ON u.id = e.%s WHERE e.%s = %lld AND u.status IN ('a', 'b') "
             "AND u.id NOT IN (SELECT hidden_id FROM hides WHERE user_id = %lld) ORDER BY e.created_us DESC, u.id DESC",
             cols[kind][0], cols[kind][2], cols[kind][1], (long long)owner, (long long)viewer);
    *count = query_ints(f, sql, offset, ids, limit, n);
}

/* Whether the owner's list has maintained ranges (the seek path). */
static bool kept(struct fixture *f, int64_t owner, int list)
{
    return query_int(f, "SELECT count(*) FROM list_edge_counts WHERE owner = %lld AND list = %d AND level = 1",
                     (long long)owner, list) > 0;
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
        struct user_page page = {0};
        lq.cursor = below(f, 2) ? "" : NULL; /* the keyset cursor asked for (long lists give one) */
        if (!store_graph_user_list(f->st, f->arena, &lq, &page, &e))
            fail_msg("edge list failed");
        if (page.next_cursor) { /* the next page through it: the naive one at the next offset */
            lq.cursor = page.next_cursor;
            f->cursor_pages++;
            lq.offset += lq.limit;
            naive_edges(f, lq.kind, lq.user_id, lq.viewer_id, lq.limit, lq.offset, &expect_count, ids, &n);
            if (!store_graph_user_list(f->st, f->arena, &lq, &page, &e))
                fail_msg("edge list failed");
        }
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

/* The orderings of compare_page: none, then each field ascending and
 * descending. */
static const char *const order_fields[] = {NULL,       "id",          "id",         "username",
                                           "username", "real_name",   "real_name",  "location",
                                           "location", "date_joined", "date_joined"};

/* The naive order of ordering o (order_fields) per engine (text bytewise:
 * PostgreSQL's "C"); ties by id: descending after -id, ascending otherwise
 * (usernames are unique). */
static void naive_order(struct fixture *f, int o, char *order, size_t size)
{
    static const char *const columns[2][11] = {
        {"id", "id", "id", "username_fold", "username_fold", "real_name_fold", "real_name_fold", "location", "location",
         "date_joined_us", "date_joined_us"},
        {"id", "id", "id", "username_fold COLLATE \"C\"", "username_fold COLLATE \"C\"", "real_name_fold COLLATE \"C\"",
         "real_name_fold COLLATE \"C\"", "location_fold COLLATE \"C\"", "location_fold COLLATE \"C\"", "date_joined_us",
         "date_joined_us"},
    };
    bool desc = o && o % 2 == 0;
    snprintf(order, size, "%s %s, id %s", columns[f->pg][o], desc ? "DESC" : "ASC", o == 2 ? "DESC" : "ASC");
}

static void compare_page(struct fixture *f, int o, int64_t viewer, int limit, int offset, bool cursor);

static void compare_pages(struct fixture *f, int pages)
{
    assert_int_equal(list_counts_check(f), 0);
    for (int p = 0; p < pages; p++) {
        int o = below(f, 11);
        int64_t viewer = below(f, 2) ? 1 + below(f, 3) : 0;
        int limit = 1 + below(f, 25);
        char order[96];
        naive_order(f, o, order, sizeof order);
        int64_t expect_count, ids[32];
        int n;
        naive(f, order, viewer, 1, 0, &expect_count, ids, &n);
        int offset = below(f, (int)expect_count + 3);
        compare_page(f, o, viewer, limit, offset, below(f, 2) == 0);
    }
}

/* One page of ordering o against the naive one; with cursor, the keyset
 * cursor asked for and the next page through it. */
static void compare_page(struct fixture *f, int o, int64_t viewer, int limit, int offset, bool cursor)
{
    struct err e = {0};
    {
        struct user_filter uf = {0};
        bool desc = o && o % 2 == 0;
        if (order_fields[o]) {
            uf.order[0] = (struct user_order){order_fields[o], desc};
            uf.norder = 1;
        }
        uf.viewer_id = viewer;
        uf.limit = limit;
        uf.offset = offset;
        char order[96];
        naive_order(f, o, order, sizeof order);
        int64_t expect_count, ids[32];
        int n;
        naive(f, order, uf.viewer_id, uf.limit, uf.offset, &expect_count, ids, &n);
        struct user_page page = {0};
        uf.cursor = cursor ? "" : NULL; /* the keyset cursor asked for */
        if (!store_user_list(f->st, f->arena, &uf, &page, &e))
            fail_msg("list failed");
        if (page.next_cursor) { /* the next page through it: the naive one at the next offset */
            uf.cursor = page.next_cursor;
            f->cursor_pages++;
            uf.offset += uf.limit;
            naive(f, order, uf.viewer_id, uf.limit, uf.offset, &expect_count, ids, &n);
            if (!store_user_list(f->st, f->arena, &uf, &page, &e))
                fail_msg("list failed");
        } else if (uf.cursor && page.n == uf.limit && uf.offset + uf.limit < page.count)
            fail_msg("ordering %d offset %d: a full page without a next cursor", o, uf.offset);
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
     * (random follows take it over); real names, locations and join times
     * with ties */
    exec(f, "WITH RECURSIVE c(i) AS (SELECT 6 UNION ALL SELECT i + 1 FROM c WHERE i < 1400) "
            "INSERT INTO users (id, username, username_fold, real_name_fold, location, date_joined_us) "
            "SELECT i, 'p' || i, 'p' || i, CASE i %% 4 WHEN 0 THEN 'ann' WHEN 1 THEN 'bob' WHEN 2 THEN '' "
            "ELSE '\xc3\xa9va' END || (i %% 5), CASE i %% 3 WHEN 0 THEN '' WHEN 1 THEN 'rome' ELSE 'paris' END, "
            "i %% 17 FROM c");
    if (f->pg)
        exec(f, "UPDATE users SET location_fold = location WHERE location_fold <> location");
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
    exec(f, "INSERT INTO hides (user_id, hidden_id, created_us) SELECT 2, id, 0 FROM users WHERE id %% 3 <> 0 "
            "ON CONFLICT DO NOTHING");
    /* 5's followers over 1000: kept from then on */
    assert_false(kept(f, 5, GRAPH_LIST_FOLLOWERS));
    exec(f, "INSERT INTO follows (follower_id, followed_id, created_us) SELECT id, 5, 0 FROM users "
            "WHERE id > 5 AND id <= 410 ON CONFLICT DO NOTHING");
    recount(f);
    assert_true(kept(f, 5, GRAPH_LIST_FOLLOWERS));
    compare_pages(f, 200);
    compare_edge_pages(f, 200);
    assert_true(f->cursor_pages > 200);
}

/* The empty real_name and location have no rows of their own (their run
 * is derived from list_counts less the users with a non-empty key): pages
 * that start just before, at and just after the run's end, in both
 * directions, with and without a viewer's hides, after random writes (keys
 * emptied and filled, users hidden, blocked, deleted, ids across many
 * ranges of 256 and 65536 ids). */
static void test_empty_key_boundaries(void **state)
{
    struct fixture *f = *state;
    exec(f, "INSERT INTO users (id, username, username_fold, date_joined_us) VALUES (1, 'v1', 'v1', 0), "
            "(2, 'v2', 'v2', 0), (3, 'v3', 'v3', 0), (4, 'v4', 'v4', 0), (5, 'v5', 'v5', 0)");
    exec(f, "WITH RECURSIVE c(i) AS (SELECT 6 UNION ALL SELECT i + 1 FROM c WHERE i < 900) "
            "INSERT INTO users (id, username, username_fold, real_name_fold, location, date_joined_us) "
            "SELECT i * 331, 'q' || i, 'q' || i, CASE WHEN i %% 5 < 2 THEN '' ELSE 'n' || (i %% 7) END, "
            "CASE WHEN i %% 3 = 0 THEN 'rome' ELSE '' END, i FROM c");
    if (f->pg)
        exec(f, "UPDATE users SET location_fold = location WHERE location_fold <> location");
    for (int round = 0; round < 8; round++) {
        for (int i = 0; i < 40; i++)
            random_write(f);
        assert_int_equal(list_counts_check(f), 0);
        for (int o = 5; o <= 8; o++) /* real_name, -real_name, location, -location */
            for (int64_t viewer = 0; viewer <= 2; viewer += 2) {
                const char *key = o <= 6 ? "real_name_fold" : f->pg ? "location_fold" : "location";
                char w[160];
                snprintf(w, sizeof w, "%s = '' AND id NOT IN (SELECT hidden_id FROM hides WHERE user_id = %lld)", key,
                         (long long)viewer);
                int64_t empty = query_int(f, "SELECT count(*) FROM users WHERE status IN ('a', 'b') AND %s", w);
                int64_t all = query_int(f,
                                        "SELECT count(*) FROM users WHERE status IN ('a', 'b') AND id NOT IN "
                                        "(SELECT hidden_id FROM hides WHERE user_id = %lld)",
                                        (long long)viewer);
                int64_t end = o % 2 ? empty : all - empty; /* where the run ends or starts */
                for (int64_t at = end - 3; at <= end + 1; at++)
                    if (at >= 0)
                        compare_page(f, o, viewer, 1 + below(f, 4), (int)at, below(f, 2) == 0);
            }
    }
}

/* The text filters and the other filters of the composed list, against
 * the same conditions written out: word starts for one or two characters
 * (after the start or a character that is not an ASCII letter or digit),
 * contains for longer terms; gender; exclude. */
static void test_filters(void **state)
{
    struct fixture *f = *state;
    exec(f, "INSERT INTO users (id, username, username_fold, real_name_fold, location, description, gender, "
            "date_joined_us) VALUES "
            "(1, 'ab', 'ab', 'x', '', '', 'Male', 0), (2, 'xab', 'xab', 'the ab', 'rome', 'a.b', 'Female', 0), "
            "(3, 'the_ab', 'the_ab', '\xc3\xa9"
            "ab', 'ab rome', 'ab', 'Male', 0), "
            "(4, 'mab', 'mab', 'ma', '', 'x-ab', 'Unspecified', 0), (5, 'a%%b', 'a%%b', 'a_b', '', '', 'Male', 0), "
            "(6, 'zz', 'zz', '\xc3\xa9', '', '', 'Male', 0)");
    if (f->pg) /* the texts are folded already */
        exec(f, "UPDATE users SET location_fold = location, description_fold = description");
    struct {
        const char *field, *term;
        int64_t expect[6];
    } cases[] = {
        {"username", "ab", {1, 3}},
        {"username", "AB", {1, 3}},
        {"username", "xab", {2}},
        {"username", "_ab", {3}},
        {"username", "a%", {5}},
        {"username", "%", {0}},
        {"username", "a_", {0}},
        {"real_name", "ab", {2}},
        {"real_name", "b", {5}},
        {"real_name", "ma", {4}},
        {"real_name", "_b", {0}},
        {"location", "rome", {2, 3}},
        {"location", "ab", {3}},
        {"description", ".b", {0}},
        {"description", "ab", {3, 4}},
        {"description", "a.b", {2}},
        {"search", "ab", {1, 2, 3}},
        {"search", "\xe2\x80\x8b", {0}},
        {"username", "\xe2\x80\x8b", {1, 2, 3, 4, 5, 6}},
    };
    struct err e = {0};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct user_filter uf = {.limit = 20};
        if (!strcmp(cases[c].field, "username"))
            uf.username = cases[c].term;
        else if (!strcmp(cases[c].field, "real_name"))
            uf.real_name = cases[c].term;
        else if (!strcmp(cases[c].field, "location"))
            uf.location = cases[c].term;
        else if (!strcmp(cases[c].field, "description"))
            uf.description = cases[c].term;
        else
            uf.search = cases[c].term;
        struct user_page page;
        if (!store_user_list(f->st, f->arena, &uf, &page, &e))
            fail_msg("list failed");
        int n = 0;
        while (n < 6 && cases[c].expect[n])
            n++;
        if (page.count != n || page.n != n)
            fail_msg("%s=%s: %lld matches, expected %d", cases[c].field, cases[c].term, (long long)page.count, n);
        for (int i = 0; i < n; i++)
            if (page.items[i].id != cases[c].expect[i])
                fail_msg("%s=%s: row %d is %lld, expected %lld", cases[c].field, cases[c].term, i,
                         (long long)page.items[i].id, (long long)cases[c].expect[i]);
    }
    struct user_filter uf = {.gender = "Male", .exclude_id = 3, .limit = 2, .offset = 1};
    uf.order[0] = (struct user_order){"username", true};
    uf.norder = 1;
    struct user_page page;
    assert_true(store_user_list(f->st, f->arena, &uf, &page, &e));
    /* Male: 1 ab, 3 the_ab (excluded), 5 a%b, 6 zz; by username descending: zz, ab, a%b */
    assert_int_equal(page.count, 3);
    assert_int_equal(page.n, 2);
    assert_int_equal(page.items[0].id, 1);
    assert_int_equal(page.items[1].id, 5);
}

/* Rounds of: the check, then every offset of the ordering `order` and its
 * descending twin (order + 1), anonymous and as `hider`, compared with the
 * naive query; then 40 random writes. */
static void every_offset(struct fixture *f, int order, int64_t hider, int rounds)
{
    for (int round = 0; round < rounds; round++) {
        assert_int_equal(list_counts_check(f), 0);
        char sql[96];
        naive_order(f, order, sql, sizeof sql);
        int64_t total, ids[32];
        int n;
        naive(f, sql, 0, 1, 0, &total, ids, &n);
        for (int o = order; o <= order + 1; o++)
            for (int64_t viewer = 0; viewer <= hider; viewer += hider)
                for (int offset = 0; offset <= total + 1; offset++)
                    compare_page(f, o, viewer, offset % 2 ? 3 : 1, offset, false);
        for (int i = 0; i < 40; i++)
            random_write(f);
    }
}

/* The username ordering's levels are prefixes of 1, 2, 4 and 6 bytes
 * (SQLite) or characters (PostgreSQL) since sqlite 024 and postgres 016:
 * names of every length from 1 to 9 that share prefixes, ending right at,
 * between and past the levels (3 and 5 among them), multi-byte characters
 * across a level's end, every offset of both directions, with and without
 * a viewer's hides, before and after random writes. */
static void test_username_levels(void **state)
{
    struct fixture *f = *state;
    static const char *const stems[] = {
        "a",        "ab",        "abc",       "abcd",       "abcde",        "abcdef",        "abcdefg",
        "abcdefgh", "abcdefghi", "abd",       "abdz",       "abcz",         "abcdz",         "abcdez",
        "b",        "\xc3\xa9",  "a\xc3\xa9", "ab\xc3\xa9", "abc\xc3\xa9x", "abcde\xc3\xa9", "abcd\xc3\xa9"};
    exec(f, "INSERT INTO users (id, username, username_fold, date_joined_us) VALUES (1, 'v1', 'v1', 0), "
            "(2, 'v2', 'v2', 0), (3, 'v3', 'v3', 0), (4, 'v4', 'v4', 0), (5, 'v5', 'v5', 0)");
    int id = 1;
    for (size_t i = 0; i < sizeof stems / sizeof *stems; i++)
        for (int j = 0; j < 4; j++) {
            char name[40];
            if (j == 0)
                snprintf(name, sizeof name, "%s", stems[i]); /* the stem alone */
            else
                snprintf(name, sizeof name, "%s%c%d", stems[i], "_az"[j - 1], j);
            exec(f,
                 "INSERT INTO users (id, username, username_fold, date_joined_us) VALUES (%d, '%s', '%s', 0) "
                 "ON CONFLICT DO NOTHING",
                 id * 97, name, name);
            id++;
        }
    exec(f, "INSERT INTO hides (user_id, hidden_id, created_us) SELECT 97, id, 0 FROM users WHERE id %% 3 = 0 "
            "ON CONFLICT DO NOTHING");
    every_offset(f, 3, 97, 3); /* username, -username */
}

/* The date_joined ordering has no level 7 since sqlite 024 and postgres
 * 016: its seek picks level 8 (the whole key by id >> 8) inside a level-3
 * range (9 hex digits). Keys shared by hundreds of users spread over many
 * blocks of 256 ids, several keys in one level-3 range and in neighbouring
 * ones: every offset of both directions, with and without hides, before
 * and after random writes. */
static void test_joined_levels(void **state)
{
    struct fixture *f = *state;
    exec(f, "INSERT INTO users (id, username, username_fold, date_joined_us) VALUES (1, 'v1', 'v1', 0), "
            "(2, 'v2', 'v2', 0), (3, 'v3', 'v3', 0), (4, 'v4', 'v4', 0), (5, 'v5', 'v5', 0)");
    exec(f, "WITH RECURSIVE c(i) AS (SELECT 6 UNION ALL SELECT i + 1 FROM c WHERE i < 600) "
            "INSERT INTO users (id, username, username_fold, date_joined_us) "
            "SELECT i * 131, 'j' || i, 'j' || i, (i %% 3) * 1000 + CASE WHEN i %% 4 = 0 THEN 268435456 ELSE 0 END "
            "+ CASE WHEN i %% 50 = 0 THEN i ELSE 0 END FROM c");
    exec(f, "INSERT INTO hides (user_id, hidden_id, created_us) SELECT 2, id, 0 FROM users WHERE id %% 7 < 3 "
            "ON CONFLICT DO NOTHING");
    every_offset(f, 9, 2, 2); /* date_joined, -date_joined */
}

/* A drifted count is reported by the check (and so by `hearth check`). */
static void test_check_reports_drift(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    /* a real_name, so that its ordering has a row at level 2 (an empty key has none there on SQLite) */
    exec(f, "INSERT INTO users (id, username, username_fold, real_name, real_name_fold, date_joined_us) "
            "VALUES (70000, 'x', 'x', 'X', 'x', 0)");
    assert_int_equal(list_counts_check(f), 0);
    exec(f, "UPDATE list_counts SET n = n + 1 WHERE kind = 0 AND level = 2");
    assert_int_equal(list_counts_check(f), 1);
    exec(f, "DELETE FROM list_counts WHERE kind = 1 AND level = 4"); /* levels 1, 2, 4, 6 since sqlite 024, pg 016 */
    assert_int_equal(list_counts_check(f), 2);
    /* the edge lists: a kept (empty) list, a range it does not have, then no longer kept */
    exec(f, "UPDATE users SET followers_counter = 1000 WHERE id = 70000");
    assert_int_equal(list_counts_check(f), 2);
    exec(f, "INSERT INTO list_edge_counts (owner, list, level, block, n) VALUES (70000, 0, 3, 5, 1)");
    assert_int_equal(list_counts_check(f), 3);
    exec(f, "DELETE FROM list_edge_counts WHERE owner = 70000 AND level = 1");
    assert_int_equal(list_counts_check(f), 4);
    /* the orderings' counts: a range off by one, one missing, one that should not be there */
    exec(f, "UPDATE list_order_counts SET n = n + 1 WHERE kind = 4 AND level = 8"); /* no level 7 since 024, 016 */
    assert_int_equal(list_counts_check(f), 5);
    exec(f, "DELETE FROM list_order_counts WHERE kind = 2 AND level = 2");
    assert_int_equal(list_counts_check(f), 6);
    exec(f, "INSERT INTO list_order_counts (kind, level, prefix, block, n) VALUES (4, 1, 'fffff', 0, 1)");
    assert_int_equal(list_counts_check(f), 7);
    /* the users with a non-empty key per id block, and a row of the empty
     * location (it has none: its run is derived) */
    exec(f, "DELETE FROM list_order_counts WHERE kind = 2 AND level = 9");
    assert_int_equal(list_counts_check(f), 8);
    exec(f, "INSERT INTO list_order_counts (kind, level, prefix, block, n) VALUES (3, 1, '', 0, 1)");
    assert_int_equal(list_counts_check(f), 9);
    /* rows of the levels that sqlite 024 and postgres 016 dropped */
    exec(f, "INSERT INTO list_order_counts (kind, level, prefix, block, n) VALUES (4, 7, '0000000000000000', 1, 1)");
    assert_int_equal(list_counts_check(f), 10);
    if (f->pg)
        exec(f, "INSERT INTO list_counts (kind, level, key, prefix, n) VALUES (1, 3, 0, 'x', 1)");
    else
        exec(f, "INSERT INTO list_counts (kind, level, key, n) VALUES (1, 3, CAST('x' AS BLOB), 1)");
    assert_int_equal(list_counts_check(f), 11);
    /* and `hearth check` reports them with the users' counters */
    assert_int_equal(store_user_counters_check(f->st, NULL, NULL, &e), 11 + 1); /* + followers_counter 1000 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_writes_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_key_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_username_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joined_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_reports_drift, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
