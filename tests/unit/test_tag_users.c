/* test_tag_users.c - unit tests for store_tag_of_users on either engine:
 * the users' order and each user's tags in tag order, deleted tags left
 * out, and every change to a tag seen at the next read, whoever made it:
 * this connection, another connection on the same database (as another
 * server process would), a write transaction reading its own change, and
 * more tags or users than a connection keeps. */
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

enum { USERS = 3, MANY = 70 };

struct fixture {
    struct temp_store db;
    struct store *st;
    struct arena *arena;
    int64_t user[USERS];
    int64_t tag_a, tag_b;
};

static int64_t new_tag(struct store *st, const char *name)
{
    struct err e = {0};
    struct tag t = {.type = "user", .name = name, .color = "#3B3B3B", .visible = true, .active = true};
    int64_t id = 0;
    assert_true(store_tag_insert(st, &t, &id, &e));
    return id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(temp_store_open(&f->db));
    f->st = f->db.st;
    f->arena = arena_new();
    struct err e = {0};
    for (int i = 0; i < USERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "user%d", i);
        struct user u = {.username = name};
        assert_true(store_user_insert(f->st, &u, &f->user[i], &e));
    }
    f->tag_a = new_tag(f->st, "alpha");
    f->tag_b = new_tag(f->st, "beta");
    assert_true(store_tag_assign(f->st, f->tag_b, f->user[0], &e));
    assert_true(store_tag_assign(f->st, f->tag_a, f->user[0], &e));
    assert_true(store_tag_assign(f->st, f->tag_b, f->user[1], &e));
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

/* The tags of users u (n of them) as "user:name,user:name,...", user as
 * its index in f->user. */
static const char *tags_of(struct fixture *f, struct store *st, const int64_t *u, int n)
{
    static char text[4096];
    struct err e = {0};
    struct user_tag *tags = NULL;
    int ntags = -1;
    assert_true(store_tag_of_users(st, f->arena, u, n, &tags, &ntags, &e));
    text[0] = '\0';
    for (int i = 0; i < ntags; i++) {
        int who = -1;
        for (int k = 0; k < USERS; k++)
            if (f->user[k] == tags[i].user_id)
                who = k;
        size_t at = strlen(text);
        snprintf(text + at, sizeof text - at, "%s%d:%s", i ? "," : "", who, tags[i].tag.name);
    }
    return text;
}

static void rename_tag(struct store *st, int64_t id, const char *name, bool deleted)
{
    struct err e = {0};
    struct tag t = {.id = id,
                    .type = "user",
                    .name = name,
                    .color = "#3B3B3B",
                    .visible = true,
                    .active = true,
                    .deleted = deleted};
    assert_true(store_tag_update(st, &t, &e));
}

static void test_order_and_lone_user(void **state)
{
    struct fixture *f = *state;
    int64_t page[] = {f->user[2], f->user[1], f->user[0]};
    assert_string_equal(tags_of(f, f->st, page, 3), "1:beta,0:alpha,0:beta");
    assert_string_equal(tags_of(f, f->st, page, 3), "1:beta,0:alpha,0:beta"); /* again, as read before */
    assert_string_equal(tags_of(f, f->st, &f->user[0], 1), "0:alpha,0:beta");
    assert_string_equal(tags_of(f, f->st, &f->user[2], 1), "");
    struct err e = {0};
    assert_true(store_read_begin(f->st, &e)); /* inside one read transaction */
    assert_string_equal(tags_of(f, f->st, page, 3), "1:beta,0:alpha,0:beta");
    assert_string_equal(tags_of(f, f->st, &f->user[1], 1), "1:beta");
    store_read_end(f->st);
}

static void test_changes_are_seen(void **state)
{
    struct fixture *f = *state;
    int64_t page[] = {f->user[0], f->user[1]};
    struct err e = {0};
    assert_string_equal(tags_of(f, f->st, page, 2), "0:alpha,0:beta,1:beta");
    /* by this connection */
    rename_tag(f->st, f->tag_a, "alpha2", false);
    assert_string_equal(tags_of(f, f->st, page, 2), "0:alpha2,0:beta,1:beta");
    assert_string_equal(tags_of(f, f->st, &f->user[0], 1), "0:alpha2,0:beta");
    /* by another connection on the same database */
    struct store *other = store_open(f->db.path, &e);
    assert_non_null(other);
    rename_tag(other, f->tag_b, "beta2", false);
    assert_string_equal(tags_of(f, f->st, page, 2), "0:alpha2,0:beta2,1:beta2");
    rename_tag(other, f->tag_b, "beta3", true); /* deleted: left out */
    assert_string_equal(tags_of(f, f->st, page, 2), "0:alpha2");
    assert_string_equal(tags_of(f, f->st, &f->user[1], 1), "");
    rename_tag(other, f->tag_b, "beta4", false);
    assert_string_equal(tags_of(f, f->st, page, 2), "0:alpha2,0:beta4,1:beta4");
    assert_true(store_tag_unassign(other, f->tag_a, f->user[0], &e));
    assert_string_equal(tags_of(f, f->st, page, 2), "0:beta4,1:beta4");
    store_close(other);
    /* a write transaction reads its own change, and a rollback undoes it */
    assert_true(store_begin(f->st, &e));
    rename_tag(f->st, f->tag_b, "beta5", false);
    assert_string_equal(tags_of(f, f->st, page, 2), "0:beta5,1:beta5");
    store_rollback(f->st);
    assert_string_equal(tags_of(f, f->st, page, 2), "0:beta4,1:beta4");
    assert_true(store_begin(f->st, &e));
    rename_tag(f->st, f->tag_b, "beta6", false);
    assert_true(store_commit(f->st, &e));
    assert_string_equal(tags_of(f, f->st, page, 2), "0:beta6,1:beta6");
}

/* More tags than a connection keeps: every one still read, in order. */
static void test_many_tags(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    char want[4096] = "", name[16];
    for (int i = 0; i < MANY; i++) {
        snprintf(name, sizeof name, "t%03d", i);
        assert_true(store_tag_assign(f->st, new_tag(f->st, name), f->user[2], &e));
        size_t at = strlen(want);
        snprintf(want + at, sizeof want - at, "%s2:%s", i ? "," : "", name);
    }
    int64_t page[] = {f->user[2], f->user[1]};
    size_t at = strlen(want);
    snprintf(want + at, sizeof want - at, ",1:beta");
    for (int round = 0; round < 2; round++)
        assert_string_equal(tags_of(f, f->st, page, 2), want);
}

/* Assignments, by this connection or another, seen at the next read
 * after the users' tag ids were read (and kept) inside a read transaction. */
static void test_assignments_are_seen(void **state)
{
    struct fixture *f = *state;
    int64_t page[] = {f->user[0], f->user[1], f->user[2]};
    struct err e = {0};
    assert_true(store_read_begin(f->st, &e));
    assert_string_equal(tags_of(f, f->st, page, 3), "0:alpha,0:beta,1:beta");
    assert_string_equal(tags_of(f, f->st, page, 3), "0:alpha,0:beta,1:beta");
    store_read_end(f->st);
    struct store *other = store_open(f->db.path, &e);
    assert_non_null(other);
    assert_true(store_tag_assign(other, f->tag_a, f->user[2], &e));
    assert_true(store_tag_unassign(other, f->tag_b, f->user[1], &e));
    assert_true(store_read_begin(f->st, &e));
    assert_string_equal(tags_of(f, f->st, page, 3), "0:alpha,0:beta,2:alpha");
    assert_string_equal(tags_of(f, f->st, &f->user[1], 1), "");
    assert_string_equal(tags_of(f, f->st, &f->user[2], 1), "2:alpha");
    store_read_end(f->st);
    store_close(other);
    assert_true(store_tag_assign(f->st, f->tag_b, f->user[2], &e));
    assert_true(store_read_begin(f->st, &e));
    assert_string_equal(tags_of(f, f->st, page, 3), "0:alpha,0:beta,2:alpha,2:beta");
    store_read_end(f->st);
}

/* More users than a connection keeps the tag ids of, in one read
 * transaction: every page still right. */
static void test_many_users(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    enum { PAGE = 100, PAGES = 60 };
    int64_t page[PAGE + 1];
    assert_true(store_read_begin(f->st, &e));
    for (int round = 0; round < 2; round++) {
        for (int p = 0; p < PAGES; p++) {
            for (int i = 0; i < PAGE; i++)
                page[i] = 1000000 + p * PAGE + i; /* no such users: no tags */
            page[PAGE] = f->user[p % USERS];
            const char *want[USERS] = {"0:alpha,0:beta", "1:beta", ""};
            assert_string_equal(tags_of(f, f->st, page, PAGE + 1), want[p % USERS]);
        }
    }
    int64_t real[] = {f->user[1], f->user[0]};
    assert_string_equal(tags_of(f, f->st, real, 2), "1:beta,0:alpha,0:beta");
    store_read_end(f->st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_order_and_lone_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_are_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_tags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assignments_are_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_users, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
