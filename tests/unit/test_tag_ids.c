/* test_tag_ids.c - users.tag_ids (sqlite 025, postgres 019) on either
 * engine (HEARTH_TEST_PG as test_search): random tags given and taken,
 * tags deleted softly and for good, users deleted (by the store's hard
 * delete and by plain SQL), statuses changed, through the store and
 * through plain SQL (single rows, many rows at once, user_tags rows
 * updated in place), alone or several in one transaction; after each
 * round every user's tag_ids is the group_concat of its user_tags rows in
 * tag id order, hearth check's comparison finds nothing (and finds a
 * tag_ids written wrong on purpose), and for random pages of users (read
 * by id and through the user list) the tags the pages take from the rows
 * (user_view_load_tags, store_tag_by_ids) are store_tag_of_users' ones,
 * in the same order, and the User objects written from either are the
 * same text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/user_json.h"
#include "core/arena.h"
#include "core/buf.h"
#include "http/request.h"
#include "model/tag.h"
#include "model/user.h"
#include "store/pg_internal.h"
#include "store/sqlite_internal.h"
#include "store/store.h"
#include "temp_store.h"

enum { USERS = 60, TAGS = 9, ROUNDS = 40, STEPS = 25, PAGES = 30 };

static struct temp_store tmp;
static struct store *st;
static bool on_pg;
static int64_t user[USERS];
static int64_t tag[TAGS];
static int serial; /* names of users and tags made again */

static uint64_t rnd_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static int below(int n) { return n <= 1 ? 0 : (int)(rnd() % (uint64_t)n); }

static void exec(const char *sql)
{
    if (on_pg) {
        struct err e = {0};
        bool ok = pg_exec_simple(st, &e, sql);
        if (!ok)
            fprintf(stderr, "SQL failed:\n%s\n", sql);
        assert_true(ok);
        return;
    }
    char *msg = NULL;
    int rc = sqlite3_exec(st->lite->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "SQL failed: %s\n%s\n", msg ? msg : "?", sql);
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

static void execf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void execf(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    exec(sql);
}

static int64_t scalar(const char *sql)
{
    int64_t v = -1;
    if (on_pg) {
        PGresult *r = PQexec(st->pg->conn, sql);
        assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
        if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
            v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        return v;
    }
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(st->lite->db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static int64_t new_user(void)
{
    char name[32];
    snprintf(name, sizeof name, "u%d", serial++);
    struct user u = {.username = name};
    struct err e = {0};
    int64_t id = 0;
    assert_true(store_user_insert(st, &u, &id, &e));
    return id;
}

static int64_t new_tag(void)
{
    char name[32];
    snprintf(name, sizeof name, "t%d", serial++);
    /* some invisible or inactive: tag_ids keeps them all */
    struct tag t = {
        .type = "user", .name = name, .color = "#3B3B3B", .visible = below(4) != 0, .active = below(5) != 0};
    struct err e = {0};
    int64_t id = 0;
    assert_true(store_tag_insert(st, &t, &id, &e));
    return id;
}

/* One random change. */
static void change(void)
{
    struct err e = {0};
    int u = below(USERS), t = below(TAGS), t2 = below(TAGS);
    switch (below(14)) {
    case 0:
    case 1: assert_true(store_tag_assign(st, tag[t], user[u], &e)); break;
    case 2: assert_true(store_tag_unassign(st, tag[t], user[u], &e)); break;
    case 3: /* plain SQL, one row */
        execf("INSERT INTO user_tags (user_id, tag_id) SELECT %lld, %lld WHERE NOT EXISTS "
              "(SELECT 1 FROM user_tags WHERE user_id = %lld AND tag_id = %lld)",
              (long long)user[u], (long long)tag[t], (long long)user[u], (long long)tag[t]);
        break;
    case 4:
        execf("DELETE FROM user_tags WHERE user_id = %lld AND tag_id = %lld", (long long)user[u], (long long)tag[t]);
        break;
    case 5: /* plain SQL, many rows: a user's tags, a tag's users */
        if (below(2))
            execf("DELETE FROM user_tags WHERE user_id = %lld", (long long)user[u]);
        else
            execf("DELETE FROM user_tags WHERE tag_id = %lld AND user_id %% 3 = %d", (long long)tag[t], below(3));
        break;
    case 6:
        execf("INSERT INTO user_tags (user_id, tag_id) SELECT u.id, %lld FROM users u WHERE u.id %% %d = 0 AND "
              "NOT EXISTS (SELECT 1 FROM user_tags x WHERE x.user_id = u.id AND x.tag_id = %lld)",
              (long long)tag[t], 2 + below(5), (long long)tag[t]);
        break;
    case 7: /* a row updated in place: another tag, or another user */
        if (below(2))
            execf("UPDATE user_tags SET tag_id = %lld WHERE user_id = %lld AND tag_id = %lld AND NOT EXISTS "
                  "(SELECT 1 FROM user_tags x WHERE x.user_id = %lld AND x.tag_id = %lld)",
                  (long long)tag[t2], (long long)user[u], (long long)tag[t], (long long)user[u], (long long)tag[t2]);
        else {
            int u2 = below(USERS);
            execf("UPDATE user_tags SET user_id = %lld WHERE user_id = %lld AND tag_id = %lld AND NOT EXISTS "
                  "(SELECT 1 FROM user_tags x WHERE x.user_id = %lld AND x.tag_id = %lld)",
                  (long long)user[u2], (long long)user[u], (long long)tag[t], (long long)user[u2], (long long)tag[t]);
        }
        break;
    case 8: { /* a soft delete (or undelete) of the tag: the rows stay */
        struct arena *a = arena_new();
        struct tag row;
        assert_int_equal(store_tag_get(st, a, tag[t], &row, &e), 1);
        row.deleted = !row.deleted;
        assert_true(store_tag_update(st, &row, &e));
        arena_free(a);
        break;
    }
    case 9: /* a tag deleted for good: the cascade takes its rows */
        execf("DELETE FROM tags WHERE id = %lld", (long long)tag[t]);
        tag[t] = new_tag();
        break;
    case 10: /* the store's hard delete: a tombstone without tags */
        assert_true(store_begin(st, &e));
        assert_true(store_account_hard_delete(st, user[u], 1, &e));
        assert_true(store_commit(st, &e));
        user[u] = new_user();
        break;
    case 11: /* a row deleted in plain SQL: the cascade */
        execf("DELETE FROM users WHERE id = %lld", (long long)user[u]);
        user[u] = new_user();
        break;
    case 12: {
        static const char statuses[] = "aabd";
        execf("UPDATE users SET status = '%c' WHERE id = %lld", statuses[below(4)], (long long)user[u]);
        break;
    }
    default: /* several changes in one transaction */
        exec("BEGIN");
        for (int k = 0; k < 3; k++) {
            int64_t who = user[below(USERS)];
            execf("INSERT INTO user_tags (user_id, tag_id) SELECT %lld, %lld WHERE NOT EXISTS "
                  "(SELECT 1 FROM user_tags WHERE user_id = %lld AND tag_id = %lld)",
                  (long long)who, (long long)tag[t], (long long)who, (long long)tag[t]);
        }
        execf("DELETE FROM user_tags WHERE user_id = %lld AND tag_id = %lld", (long long)user[u], (long long)tag[t2]);
        exec("COMMIT");
        break;
    }
}

/* Users whose tag_ids is not their user_tags rows' ids in order. */
static int64_t wrong_rows(void)
{
    return scalar(on_pg ? "SELECT count(*) FROM users u WHERE u.tag_ids IS DISTINCT FROM (SELECT "
                          "string_agg(tag_id::text, ',' ORDER BY tag_id) FROM user_tags WHERE user_id = u.id)"
                        : "SELECT count(*) FROM users u WHERE u.tag_ids IS NOT (SELECT group_concat(tag_id, ',') "
                          "FROM (SELECT tag_id FROM user_tags WHERE user_id = u.id ORDER BY tag_id))");
}

static int found_tag_ids;

static void on_difference(void *ctx, const char *subject, int64_t id, const char *name, int64_t stored, int64_t actual)
{
    (void)ctx, (void)subject, (void)id, (void)stored, (void)actual;
    if (strcmp(name, "tag_ids") == 0)
        found_tag_ids++;
}

/* The tags as text: "user:tag,..." */
static void tags_text(struct buf *b, const struct user_tag *v, int n)
{
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%lld:%lld/%s/%d%d", i ? "," : "", (long long)v[i].user_id, (long long)v[i].tag.id,
                   v[i].tag.name, v[i].tag.visible, v[i].tag.active);
}

/* The page users[0..n): the tags store_tag_of_users gives, the ones taken
 * from the rows, and the User objects written both ways, the same. */
static void same_page(struct arena *a, struct user *users, int n, bool in_read)
{
    struct err e = {0};
    struct request req = {.arena = a, .store = st, .base = "http://h", .who = {.user_id = 0}};
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) {
        assert_true(users[i].has_tag_ids);
        ids[i] = users[i].id;
    }
    if (in_read)
        assert_true(store_read_begin(st, &e));
    struct user_tag *old = NULL;
    int nold = 0;
    assert_true(store_tag_of_users(st, a, ids, n, &old, &nold, &e));
    struct user_view v = {.follow_mode = true};
    assert_true(user_view_load_tags(&req, &v, users, n, &e));
    struct buf want = BUF_INIT, got = BUF_INIT;
    tags_text(&want, old, nold);
    tags_text(&got, v.tags, v.ntags);
    assert_string_equal(buf_str(&got), buf_str(&want));
    buf_free(&want);
    buf_free(&got);
    /* the User objects: from the rows' ids (the page's and a lone user's
     * own read), and through user_tags (a row read without them) */
    struct user_view lone = {.follow_mode = true};
    for (int i = 0; i < n; i++) {
        struct buf page = BUF_INIT, alone = BUF_INIT, before = BUF_INIT;
        req.who = (struct principal){.user_id = i % 2 ? 0 : ids[i]}; /* themself sees every tag */
        user_write(&page, &req, &v, &users[i]);
        user_write(&alone, &req, &lone, &users[i]);
        struct user without = users[i];
        without.has_tag_ids = false;
        without.ntag_ids = 0;
        without.tag_ids = NULL;
        user_write(&before, &req, &lone, &without);
        assert_string_equal(buf_str(&page), buf_str(&before));
        assert_string_equal(buf_str(&alone), buf_str(&before));
        buf_free(&page);
        buf_free(&alone);
        buf_free(&before);
    }
    if (in_read)
        store_read_end(st);
}

static void random_pages(void)
{
    struct err e = {0};
    for (int p = 0; p < PAGES; p++) {
        struct arena *a = arena_new();
        int n = 1 + below(20);
        struct user *users = arena_alloc(a, sizeof *users * (size_t)n);
        /* distinct users, as pages have them (store_tag_of_users gives a
         * user listed twice its tags more than twice when none is cached) */
        int order[USERS];
        for (int i = 0; i < USERS; i++)
            order[i] = i;
        for (int i = 0; i < n; i++) {
            int j = i + below(USERS - i), x = order[i];
            order[i] = order[j];
            order[j] = x;
            assert_int_equal(store_user_get(st, a, user[order[i]], &users[i], &e), 1);
        }
        same_page(a, users, n, below(2));
        struct user_filter f = {.limit = 1 + below(20), .offset = below(USERS)};
        struct user_page page = {0};
        assert_true(store_user_list(st, a, &f, &page, &e));
        same_page(a, page.items, page.n, false);
        arena_free(a);
    }
}

static void check_finds_nothing(void)
{
    struct err e = {0};
    found_tag_ids = 0;
    assert_true(store_user_counters_check(st, on_difference, NULL, &e) >= 0);
    assert_int_equal(found_tag_ids, 0);
}

static void test_tag_ids_follow_user_tags(void **state)
{
    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        for (int s = 0; s < STEPS; s++)
            change();
        assert_int_equal(wrong_rows(), 0);
        check_finds_nothing();
        random_pages();
    }
    /* some tags left to compare */
    assert_true(scalar("SELECT count(*) FROM user_tags") > 0);
    assert_true(scalar("SELECT count(*) FROM users WHERE tag_ids LIKE '%,%'") > 0);
}

static void test_check_finds_a_wrong_row(void **state)
{
    (void)state;
    struct err e = {0};
    /* written behind the triggers' back: hearth check reports both */
    execf("UPDATE users SET tag_ids = '999999' WHERE id = %lld", (long long)user[0]);
    execf("UPDATE users SET tag_ids = NULL WHERE id = (SELECT min(user_id) FROM user_tags)");
    found_tag_ids = 0;
    assert_true(store_user_counters_check(st, on_difference, NULL, &e) >= 2);
    assert_true(found_tag_ids >= 1);
    assert_true(wrong_rows() >= 1);
}

static int setup(void **state)
{
    (void)state;
    on_pg = temp_store_pg();
    if (!temp_store_open(&tmp))
        return -1;
    st = tmp.st;
    for (int i = 0; i < TAGS; i++)
        tag[i] = new_tag();
    for (int i = 0; i < USERS; i++)
        user[i] = new_user();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    temp_store_close(&tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_ids_follow_user_tags),
        cmocka_unit_test(test_check_finds_a_wrong_row),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
