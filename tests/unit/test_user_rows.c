/* test_user_rows.c - unit tests for the users' rows of graph pages on
 * either engine (SQLite keeps them per connection, sqlite_user_rows.c):
 * every change to a listed user is seen at the next page, whoever made it:
 * this connection, another connection on the same database (as another
 * server process would), a write transaction reading its own change and a
 * rollback undoing it; and more users than a connection keeps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "model/tag.h"
#include "model/user.h"
#include "store/store.h"
#include "temp_store.h"

enum { FOLLOWERS = 3, MANY = 900 };

struct fixture {
    struct temp_store db;
    struct store *st;
    struct arena *arena;
    int64_t owner;
    int64_t follower[FOLLOWERS];
};

static int64_t new_user(struct store *st, const char *name)
{
    struct err e = {0};
    struct user u = {.username = name};
    int64_t id = 0;
    assert_true(store_user_insert(st, &u, &id, &e));
    return id;
}

/* follower follows owner, `at` microseconds into the epoch (the page is
 * newest first), counters kept. */
static void follow(struct store *st, int64_t follower, int64_t owner, int64_t at)
{
    struct err e = {0};
    assert_true(store_begin(st, &e));
    assert_true(store_graph_follow_insert(st, follower, owner, at, &e));
    assert_true(store_user_counters_recompute(st, owner, &e));
    assert_true(store_user_counters_recompute(st, follower, &e));
    assert_true(store_commit(st, &e));
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(temp_store_open(&f->db));
    f->st = f->db.st;
    f->arena = arena_new();
    f->owner = new_user(f->st, "owner");
    for (int i = 0; i < FOLLOWERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "follower%d", i);
        f->follower[i] = new_user(f->st, name);
        follow(f->st, f->follower[i], f->owner, 1000 + i);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    temp_store_close(&f->db);
    arena_free(f->arena);
    free(f);
    return 0;
}

/* Sets the real name of user id (a profile write in its own transaction). */
static void rename_user(struct store *st, int64_t id, const char *real_name)
{
    struct err e = {0};
    struct user u = {.id = id,
                     .real_name = real_name,
                     .bio = "",
                     .location = "",
                     .description = "",
                     .gender = "Unspecified",
                     .website = ""};
    assert_true(store_account_profile_write(st, &u, &e));
}

/* The owner's followers page (offset, limit) as "username:real_name,...",
 * read by st for viewer (0: anonymous) in follow mode or not. */
static const char *page_of(struct fixture *f, struct store *st, int64_t owner, int64_t viewer, bool follow_mode,
                           int offset, int limit)
{
    static char text[65536];
    struct err e = {0};
    struct graph_list_query q = {.kind = GRAPH_LIST_FOLLOWERS,
                                 .user_id = owner,
                                 .viewer_id = viewer,
                                 .follow_mode = follow_mode,
                                 .limit = limit,
                                 .offset = offset};
    struct user_page page = {0};
    assert_true(store_graph_user_list(st, f->arena, &q, &page, &e));
    text[0] = '\0';
    for (int i = 0; i < page.n; i++) {
        size_t at = strlen(text);
        snprintf(text + at, sizeof text - at, "%s%s:%s:%lld", i ? "," : "", page.items[i].username,
                 page.items[i].real_name ? page.items[i].real_name : "", (long long)page.items[i].followings_counter);
    }
    return text;
}

static const char *page(struct fixture *f, struct store *st) { return page_of(f, st, f->owner, 0, true, 0, 10); }

static void test_read_again(void **state)
{
    struct fixture *f = *state;
    const char *want = "follower2::1,follower1::1,follower0::1";
    assert_string_equal(page(f, f->st), want);
    assert_string_equal(page(f, f->st), want); /* again, as read before */
    assert_string_equal(page_of(f, f->st, f->owner, f->follower[0], false, 0, 10), want);
    assert_string_equal(page_of(f, f->st, f->owner, 0, true, 1, 1), "follower1::1");
    struct err e = {0};
    assert_true(store_read_begin(f->st, &e)); /* inside one read transaction */
    assert_string_equal(page(f, f->st), want);
    assert_string_equal(page(f, f->st), want);
    store_read_end(f->st);
}

static void test_changes_are_seen(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    assert_string_equal(page(f, f->st), "follower2::1,follower1::1,follower0::1");
    /* by this connection */
    assert_true(store_begin(f->st, &e));
    rename_user(f->st, f->follower[1], "One");
    assert_true(store_commit(f->st, &e));
    assert_string_equal(page(f, f->st), "follower2::1,follower1:One:1,follower0::1");
    /* by another connection on the same database */
    struct store *other = store_open(f->db.path, &e);
    assert_non_null(other);
    assert_true(store_read_begin(f->st, &e)); /* read (and kept) in a read transaction */
    assert_string_equal(page(f, f->st), "follower2::1,follower1:One:1,follower0::1");
    store_read_end(f->st);
    assert_true(store_begin(other, &e));
    rename_user(other, f->follower[0], "Zero");
    assert_true(store_commit(other, &e));
    assert_string_equal(page(f, f->st), "follower2::1,follower1:One:1,follower0:Zero:1");
    /* a follow by another connection moves a listed user's counter */
    int64_t extra = new_user(other, "extra");
    follow(other, f->follower[2], extra, 5000);
    assert_string_equal(page(f, f->st), "follower2::2,follower1:One:1,follower0:Zero:1");
    store_close(other);
    /* a write transaction reads its own change, and a rollback undoes it */
    assert_true(store_begin(f->st, &e));
    rename_user(f->st, f->follower[2], "Two");
    assert_string_equal(page(f, f->st), "follower2:Two:2,follower1:One:1,follower0:Zero:1");
    store_rollback(f->st);
    assert_string_equal(page(f, f->st), "follower2::2,follower1:One:1,follower0:Zero:1");
    assert_true(store_begin(f->st, &e));
    rename_user(f->st, f->follower[2], "Deux");
    assert_true(store_commit(f->st, &e));
    assert_string_equal(page(f, f->st), "follower2:Deux:2,follower1:One:1,follower0:Zero:1");
}

/* More users than a connection keeps, in one read transaction and then
 * again: every page as the rows say. */
static void test_many_users(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t hub = new_user(f->st, "hub");
    assert_true(store_begin(f->st, &e));
    for (int i = 0; i < MANY; i++) {
        char name[16];
        snprintf(name, sizeof name, "m%03d", i);
        struct user u = {.username = name};
        int64_t id = 0;
        assert_true(store_user_insert(f->st, &u, &id, &e));
        assert_true(store_graph_follow_insert(f->st, id, hub, 10000 + i, &e));
        rename_user(f->st, id, name + 1); /* real name: the digits */
    }
    assert_true(store_user_counters_recompute(f->st, hub, &e));
    assert_true(store_commit(f->st, &e));
    for (int round = 0; round < 2; round++) {
        assert_true(store_read_begin(f->st, &e));
        for (int offset = 0; offset < MANY; offset += 100) {
            char want[4096] = "";
            for (int k = 0; k < 100 && offset + k < MANY; k++) {
                int i = MANY - 1 - offset - k; /* newest first */
                size_t at = strlen(want);
                snprintf(want + at, sizeof want - at, "%sm%03d:%03d:0", k ? "," : "", i, i);
            }
            assert_string_equal(page_of(f, f->st, hub, 0, round == 0, offset, 100), want);
        }
        store_read_end(f->st);
    }
}

/* The owner's followers' tag ids on the page, "id:tags;..." ("2,5"). */
static const char *tag_ids_of_page(struct fixture *f, struct store *st)
{
    static char text[4096];
    struct err e = {0};
    struct graph_list_query q = {.kind = GRAPH_LIST_FOLLOWERS, .user_id = f->owner, .follow_mode = true, .limit = 10};
    struct user_page page = {0};
    assert_true(store_graph_user_list(st, f->arena, &q, &page, &e));
    text[0] = '\0';
    for (int i = 0; i < page.n; i++) {
        assert_true(page.items[i].has_tag_ids);
        size_t at = strlen(text);
        snprintf(text + at, sizeof text - at, "%s%lld:", i ? ";" : "", (long long)(page.items[i].id - f->owner));
        for (int k = 0; k < page.items[i].ntag_ids; k++) {
            at = strlen(text);
            snprintf(text + at, sizeof text - at, "%s%lld", k ? "," : "", (long long)page.items[i].tag_ids[k]);
        }
    }
    return text;
}

static int64_t new_tag(struct store *st, const char *name)
{
    struct err e = {0};
    struct tag t = {.name = name, .type = "user", .color = "#000000", .visible = true, .active = true};
    int64_t id = 0;
    assert_true(store_tag_insert(st, &t, &id, &e));
    return id;
}

/* A kept row's tag ids: the same when read again (each read in a fresh
 * arena, so a kept row must hand out its own copy), and a tag assigned by
 * another connection is seen at the next page. */
static void test_tag_ids_kept(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t t1 = new_tag(f->st, "alpha"), t2 = new_tag(f->st, "beta");
    assert_true(store_tag_assign(f->st, t2, f->follower[0], &e));
    assert_true(store_tag_assign(f->st, t1, f->follower[0], &e));
    assert_true(store_tag_assign(f->st, t2, f->follower[2], &e));
    char want[256];
    snprintf(want, sizeof want, "3:%lld;2:;1:%lld,%lld", (long long)t2, (long long)t1, (long long)t2);
    for (int round = 0; round < 3; round++) {
        arena_free(f->arena);
        f->arena = arena_new();
        assert_string_equal(tag_ids_of_page(f, f->st), want);
    }
    struct store *other = store_open(f->db.path, &e);
    assert_non_null(other);
    assert_true(store_tag_unassign(other, t2, f->follower[2], &e));
    assert_true(store_tag_assign(other, t1, f->follower[1], &e));
    store_close(other);
    snprintf(want, sizeof want, "3:;2:%lld;1:%lld,%lld", (long long)t1, (long long)t1, (long long)t2);
    for (int round = 0; round < 2; round++) {
        arena_free(f->arena);
        f->arena = arena_new();
        assert_string_equal(tag_ids_of_page(f, f->st), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_are_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_users, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tag_ids_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
