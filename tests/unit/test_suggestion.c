/* test_suggestion.c - unit tests for src/domain/suggestion.c over a real
 * SQLite store (a temporary file): the bound on the caller's first-degree
 * edges, pages that agree with the count and with each other on a random
 * graph (both modes), exclusions checked edge by edge, and username
 * matching (folded, in order, once each, hidden either way left out).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/graph.h"
#include "domain/suggestion.h"
#include "store/store.h"
#include "temp_store.h"

enum { USERS = 130 };

struct fixture {
    struct temp_store tmp;
    struct store *st;
    struct arena *arena;
    int64_t id[USERS];
    struct principal who[USERS];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(temp_store_open(&f->tmp));
    f->st = f->tmp.st;
    struct err e = {0};
    f->arena = arena_new();
    for (int i = 0; i < USERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "User%d", i);
        struct user u = {.username = name};
        assert_true(store_user_insert(f->st, &u, &f->id[i], &e));
        f->who[i] = (struct principal){.user_id = f->id[i], .status = USER_ACTIVE};
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    temp_store_close(&f->tmp);
    arena_free(f->arena);
    free(f);
    return 0;
}

static void act(struct fixture *f, int who, int target, enum graph_action a)
{
    struct err e = {0};
    if (!graph_act(f->st, &f->who[who], f->id[target], a, &e))
        fail_msg("action %d by %d on %d failed: %s", a, who, target, e.count ? e.entries[0].code : "?");
}

static struct user_page page(struct fixture *f, int viewer, bool follow_mode, int limit, int offset)
{
    struct user_page p;
    struct err e = {0};
    assert_true(suggestion_users(f->st, f->arena, &f->who[viewer], follow_mode, limit, offset, &p, &e));
    return p;
}

static int index_of(struct fixture *f, int64_t id)
{
    for (int i = 0; i < USERS; i++)
        if (f->id[i] == id)
            return i;
    return -1;
}

/* Only the caller's newest SUGGESTION_FIRST_DEGREE_MAX edges are read: a
 * user reached only through an older one is not a friend of a friend. */
static void test_first_degree_bound(void **state)
{
    struct fixture *f = *state;
    int target = USERS - 1, popular = USERS - 2;
    act(f, 1, target, GRAPH_FOLLOW); /* the oldest of my follows follows target */
    act(f, 0, 1, GRAPH_FOLLOW);
    for (int i = 2; i < 2 + SUGGESTION_FIRST_DEGREE_MAX; i++)
        act(f, 0, i, GRAPH_FOLLOW);
    act(f, 2, popular, GRAPH_FOLLOW); /* the newest follow reaches popular */
    act(f, 3, popular, GRAPH_FOLLOW);
    struct user_page p = page(f, 0, true, 100, 0);
    /* USERS minus me and my 101 follows */
    assert_int_equal(p.count, USERS - 1 - (SUGGESTION_FIRST_DEGREE_MAX + 1));
    assert_int_equal(p.n, p.count);
    assert_int_equal(index_of(f, p.items[0].id), popular);
    /* target has a follower, so it leads the rest, but after the graph part */
    assert_int_equal(index_of(f, p.items[1].id), target);
    /* unfollowing one of the newest makes room: user 1 is read, target shared */
    act(f, 0, 50, GRAPH_FOLLOW);
    p = page(f, 0, true, 3, 0);
    assert_int_equal(index_of(f, p.items[0].id), popular); /* shared 2 */
    assert_int_equal(index_of(f, p.items[1].id), target);  /* shared 1 */
}

/* Checks every page of viewer's suggestions against the whole list. */
static void check_pages(struct fixture *f, int viewer, bool follow_mode)
{
    struct user_page all = page(f, viewer, follow_mode, USERS, 0);
    assert_int_equal(all.n, all.count);
    struct err e = {0};
    for (int i = 0; i < all.n; i++) {
        int64_t id = all.items[i].id;
        assert_true(id != f->id[viewer]);
        assert_int_equal(all.items[i].status, USER_ACTIVE);
        for (int j = 0; j < i; j++)
            assert_true(all.items[j].id != id);
        assert_int_equal(store_graph_hide_exists(f->st, f->id[viewer], id, &e), 0);
        assert_int_equal(store_graph_hide_exists(f->st, id, f->id[viewer], &e), 0);
        if (follow_mode) {
            assert_int_equal(store_graph_follow_exists(f->st, f->id[viewer], id, &e), 0);
        } else {
            struct graph_request r;
            assert_int_equal(store_graph_connected(f->st, f->id[viewer], id, &e), 0);
            assert_int_equal(store_graph_request_get(f->st, f->id[viewer], id, &r, &e), 0);
            assert_int_equal(store_graph_request_get(f->st, id, f->id[viewer], &r, &e), 0);
        }
    }
    for (int limit = 1; limit <= 9; limit += 4)
        for (int offset = 0; offset <= all.n + 1; offset++) {
            struct user_page p = page(f, viewer, follow_mode, limit, offset);
            assert_int_equal(p.count, all.count);
            int want = all.n - offset < limit ? (all.n - offset > 0 ? all.n - offset : 0) : limit;
            assert_int_equal(p.n, want);
            for (int i = 0; i < p.n; i++)
                assert_true(p.items[i].id == all.items[offset + i].id);
        }
}

static void random_graph(struct fixture *f, bool follow_mode)
{
    srand(7);
    for (int k = 0; k < 600; k++) {
        int a = rand() % 60, b = rand() % 60;
        if (a == b)
            continue;
        struct err e = {0};
        int r = rand() % 10;
        enum graph_action action = r == 0        ? GRAPH_HIDE
                                   : follow_mode ? GRAPH_FOLLOW
                                   : r < 6       ? GRAPH_REQUEST
                                                 : GRAPH_ACCEPT;
        (void)graph_act(f->st, &f->who[a], f->id[b], action, &e); /* preconditions may refuse: fine */
    }
}

static void test_pages_follow_mode(void **state)
{
    struct fixture *f = *state;
    random_graph(f, true);
    for (int viewer = 0; viewer < 5; viewer++)
        check_pages(f, viewer, true);
}

static void test_pages_friendship_mode(void **state)
{
    struct fixture *f = *state;
    random_graph(f, false);
    for (int viewer = 0; viewer < 5; viewer++)
        check_pages(f, viewer, false);
}

static void test_match(void **state)
{
    struct fixture *f = *state;
    act(f, 0, 3, GRAPH_HIDE);
    act(f, 4, 0, GRAPH_HIDE);
    json_t *body = json_pack("[s, s, s, s, s, s, s]", "USER2", "nobody", " user1 ", "user3", "user4", "User2", "");
    struct user *users;
    int n;
    struct err e = {0};
    assert_true(suggestion_match(f->st, f->arena, &f->who[0], body, &users, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(users[0].id, f->id[2]);
    assert_int_equal(users[1].id, f->id[1]);
    json_decref(body);

    body = json_pack("[s, i]", "user1", 5);
    assert_false(suggestion_match(f->st, f->arena, &f->who[0], body, &users, &n, &e));
    assert_string_equal(e.entries[0].code, "invalid");
    json_decref(body);
    struct err e2 = {0};
    body = json_object();
    assert_false(suggestion_match(f->st, f->arena, &f->who[0], body, &users, &n, &e2));
    assert_string_equal(e2.entries[0].code, "not_a_list");
    json_decref(body);
    struct err e3 = {0};
    body = json_array();
    for (int i = 0; i <= SUGGESTION_MATCH_MAX; i++)
        json_array_append_new(body, json_string("x"));
    assert_false(suggestion_match(f->st, f->arena, &f->who[0], body, &users, &n, &e3));
    assert_string_equal(e3.entries[0].code, "max_length");
    json_decref(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_degree_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages_follow_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages_friendship_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_match, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
