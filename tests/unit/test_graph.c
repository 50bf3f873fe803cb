/* test_graph.c - unit tests for src/domain/graph.c over a real SQLite store
 * (a temporary file): the connection state machine and its precondition
 * codes, follow and hide toggles, counters checked against the edges after
 * every step (store_user_counters_check), relations (connection_status)
 * in both modes, and the lists' order and counts.
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

#include "core/log.h"
#include "domain/graph.h"
#include "store/store.h"
#include "temp_store.h"

enum { USERS = 6 };

struct fixture {
    struct temp_store db;
    struct store *st;
    struct arena *arena;
    int64_t id[USERS];
    struct principal who[USERS];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(temp_store_open(&f->db));
    f->st = f->db.st;
    struct err e = {0};
    f->arena = arena_new();
    for (int i = 0; i < USERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "user%d", i);
        struct user u = {.username = name};
        assert_true(store_user_insert(f->st, &u, &f->id[i], &e));
        f->who[i] = (struct principal){.user_id = f->id[i], .status = 'a'};
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

/* Performs an action expected to succeed; counters must match the edges. */
static void ok(struct fixture *f, int who, int target, enum graph_action act)
{
    struct err e = {0};
    if (!graph_act(f->st, &f->who[who], f->id[target], act, &e))
        fail_msg("action %d by %d on %d failed: %s", act, who, target, e.count ? e.entries[0].code : "?");
    assert_int_equal(store_user_counters_check(f->st, NULL, NULL, &e), 0);
}

/* Performs an action expected to fail with kind and code; nothing changes. */
static void refused(struct fixture *f, int who, int target, enum graph_action act, enum err_kind kind, const char *code)
{
    struct err e = {0};
    if (graph_act(f->st, &f->who[who], f->id[target], act, &e))
        fail_msg("action %d by %d on %d succeeded, wanted %s", act, who, target, code);
    assert_int_equal(e.kind, kind);
    assert_int_equal(e.count, 1);
    assert_string_equal(e.entries[0].code, code);
    assert_int_equal(store_user_counters_check(f->st, NULL, NULL, &e), 0);
}

static enum graph_status status(struct fixture *f, int viewer, int other, bool follow_mode)
{
    enum graph_status s;
    struct err e = {0};
    assert_true(graph_status_of(f->st, f->arena, f->id[viewer], follow_mode, f->id[other], &s, &e));
    return s;
}

static struct user counters(struct fixture *f, int i)
{
    struct user u;
    struct err e = {0};
    assert_int_equal(store_user_get(f->st, f->arena, f->id[i], &u, &e), 1);
    return u;
}

static void test_status_names(void **state)
{
    assert_null(graph_status_name(GRAPH_STATUS_NONE));
    assert_string_equal(graph_status_name(GRAPH_STATUS_FOLLOWED), "followed");
    assert_string_equal(graph_status_name(GRAPH_STATUS_CONNECTED), "connected");
    assert_string_equal(graph_status_name(GRAPH_STATUS_SENT), "sent_connection_request");
    assert_string_equal(graph_status_name(GRAPH_STATUS_RECEIVED), "received_connection_request");
}

static void test_follow_toggle(void **state)
{
    struct fixture *f = *state;
    ok(f, 0, 1, GRAPH_FOLLOW);
    assert_int_equal(counters(f, 1).followers_counter, 1);
    assert_int_equal(counters(f, 0).followings_counter, 1);
    assert_int_equal(status(f, 0, 1, true), GRAPH_STATUS_FOLLOWED);
    assert_int_equal(status(f, 1, 0, true), GRAPH_STATUS_NONE);
    assert_int_equal(status(f, 0, 1, false), GRAPH_STATUS_NONE); /* friendship mode ignores follows */
    ok(f, 0, 1, GRAPH_FOLLOW);
    assert_int_equal(counters(f, 1).followers_counter, 0);
    assert_int_equal(status(f, 0, 1, true), GRAPH_STATUS_NONE);
    refused(f, 0, 0, GRAPH_FOLLOW, ERR_INVALID, "self");
    struct err e = {0};
    assert_false(graph_act(f->st, &f->who[0], 999999, GRAPH_FOLLOW, &e));
    assert_int_equal(e.kind, ERR_NOT_FOUND);
}

static void test_request_accept_remove(void **state)
{
    struct fixture *f = *state;
    ok(f, 0, 1, GRAPH_REQUEST);
    assert_int_equal(status(f, 0, 1, false), GRAPH_STATUS_SENT);
    assert_int_equal(status(f, 1, 0, false), GRAPH_STATUS_RECEIVED);
    assert_int_equal(counters(f, 0).connection_requests_sent_counter, 1);
    assert_int_equal(counters(f, 1).connection_requests_received_counter, 1);
    refused(f, 0, 1, GRAPH_REQUEST, ERR_INVALID, "already_requested");
    refused(f, 1, 0, GRAPH_REQUEST, ERR_INVALID, "request_received");
    refused(f, 0, 1, GRAPH_ACCEPT, ERR_INVALID, "no_request");
    refused(f, 1, 0, GRAPH_CANCEL_REJECT, ERR_INVALID, "not_rejected");
    ok(f, 1, 0, GRAPH_MARK_SEEN);
    ok(f, 1, 0, GRAPH_ACCEPT);
    assert_int_equal(status(f, 0, 1, false), GRAPH_STATUS_CONNECTED);
    assert_int_equal(status(f, 1, 0, false), GRAPH_STATUS_CONNECTED);
    assert_int_equal(counters(f, 0).connections_counter, 1);
    assert_int_equal(counters(f, 0).connection_requests_sent_counter, 0);
    assert_int_equal(counters(f, 1).connection_requests_received_counter, 0);
    refused(f, 0, 1, GRAPH_REQUEST, ERR_INVALID, "already_connected");
    refused(f, 1, 0, GRAPH_ACCEPT, ERR_INVALID, "already_connected");
    ok(f, 0, 1, GRAPH_REMOVE);
    refused(f, 0, 1, GRAPH_REMOVE, ERR_INVALID, "no_connection");
    assert_int_equal(status(f, 0, 1, false), GRAPH_STATUS_NONE);
    assert_int_equal(counters(f, 1).connections_counter, 0);
}

static void test_reject_cancel_reject(void **state)
{
    struct fixture *f = *state;
    ok(f, 2, 3, GRAPH_REQUEST);
    ok(f, 3, 2, GRAPH_REJECT);
    /* the sender still sees and counts it; the rejecter does not */
    assert_int_equal(status(f, 2, 3, false), GRAPH_STATUS_SENT);
    assert_int_equal(status(f, 3, 2, false), GRAPH_STATUS_NONE);
    assert_int_equal(counters(f, 2).connection_requests_sent_counter, 1);
    assert_int_equal(counters(f, 3).connection_requests_received_counter, 0);
    refused(f, 3, 2, GRAPH_REJECT, ERR_INVALID, "no_request");
    refused(f, 3, 2, GRAPH_ACCEPT, ERR_INVALID, "no_request");
    refused(f, 3, 2, GRAPH_MARK_SEEN, ERR_INVALID, "no_request");
    refused(f, 3, 2, GRAPH_REQUEST, ERR_INVALID, "request_received");
    refused(f, 2, 3, GRAPH_REQUEST, ERR_INVALID, "already_requested");
    ok(f, 3, 2, GRAPH_CANCEL_REJECT);
    assert_int_equal(status(f, 3, 2, false), GRAPH_STATUS_RECEIVED);
    ok(f, 3, 2, GRAPH_ACCEPT);
    assert_int_equal(status(f, 2, 3, false), GRAPH_STATUS_CONNECTED);

    /* cancel_request of a rejected request */
    ok(f, 2, 4, GRAPH_REQUEST);
    ok(f, 4, 2, GRAPH_REJECT);
    ok(f, 2, 4, GRAPH_CANCEL_REQUEST);
    refused(f, 2, 4, GRAPH_CANCEL_REQUEST, ERR_INVALID, "no_request");
    assert_int_equal(status(f, 2, 4, false), GRAPH_STATUS_NONE);
    ok(f, 2, 4, GRAPH_REQUEST);
}

static void test_hide_and_relations_batch(void **state)
{
    struct fixture *f = *state;
    ok(f, 0, 1, GRAPH_HIDE);
    struct err e = {0};
    bool yes;
    assert_true(graph_ask(f->st, f->arena, f->id[0], f->id[1], GRAPH_IS_HIDDEN, &yes, &e));
    assert_true(yes);
    assert_true(graph_ask(f->st, f->arena, f->id[1], f->id[0], GRAPH_IS_HIDDEN_BY, &yes, &e));
    assert_true(yes);
    assert_true(graph_ask(f->st, f->arena, f->id[1], f->id[0], GRAPH_IS_HIDDEN, &yes, &e));
    assert_false(yes);
    ok(f, 0, 1, GRAPH_HIDE);
    assert_true(graph_ask(f->st, f->arena, f->id[0], f->id[1], GRAPH_IS_HIDDEN, &yes, &e));
    assert_false(yes);

    ok(f, 0, 1, GRAPH_REQUEST); /* sent */
    ok(f, 2, 0, GRAPH_REQUEST); /* received */
    ok(f, 0, 3, GRAPH_REQUEST);
    ok(f, 3, 0, GRAPH_ACCEPT); /* connected */
    int64_t ids[] = {f->id[1], f->id[2], f->id[3], f->id[4], f->id[0], 424242};
    struct graph_relations r;
    assert_true(graph_relations_load(f->st, f->arena, f->id[0], false, ids, 6, &r, &e));
    assert_int_equal(r.status[0], GRAPH_STATUS_SENT);
    assert_int_equal(r.status[1], GRAPH_STATUS_RECEIVED);
    assert_int_equal(r.status[2], GRAPH_STATUS_CONNECTED);
    assert_int_equal(r.status[3], GRAPH_STATUS_NONE);
    assert_int_equal(r.status[4], GRAPH_STATUS_NONE); /* oneself */
    assert_int_equal(r.status[5], GRAPH_STATUS_NONE); /* unknown */
    enum graph_status s;
    assert_true(graph_relations_find(&r, f->id[3], &s));
    assert_int_equal(s, GRAPH_STATUS_CONNECTED);
    assert_false(graph_relations_find(&r, 77, &s));
    /* anonymous: all none */
    assert_true(graph_relations_load(f->st, f->arena, 0, false, ids, 6, &r, &e));
    assert_int_equal(r.status[2], GRAPH_STATUS_NONE);

    /* follow mode: the follows alone (the connection kinds do not show),
     * and a followed user who is no longer active shows none */
    ok(f, 0, 1, GRAPH_FOLLOW);
    ok(f, 0, 3, GRAPH_FOLLOW);
    ok(f, 0, 4, GRAPH_FOLLOW);
    assert_true(graph_relations_load(f->st, f->arena, f->id[0], true, ids, 6, &r, &e));
    assert_int_equal(r.status[0], GRAPH_STATUS_FOLLOWED);
    assert_int_equal(r.status[1], GRAPH_STATUS_NONE); /* a request from them */
    assert_int_equal(r.status[2], GRAPH_STATUS_FOLLOWED);
    assert_int_equal(r.status[3], GRAPH_STATUS_FOLLOWED);
    assert_int_equal(r.status[4], GRAPH_STATUS_NONE);
    assert_int_equal(r.status[5], GRAPH_STATUS_NONE);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE users SET status = 'd' WHERE id = %lld", (long long)f->id[4]);
    assert_true(store_exec_script(f->st, sql, false, stdout, &e));
    assert_true(graph_relations_load(f->st, f->arena, f->id[0], true, ids, 6, &r, &e));
    assert_int_equal(r.status[0], GRAPH_STATUS_FOLLOWED);
    assert_int_equal(r.status[3], GRAPH_STATUS_NONE);
    /* and the connection mode does not show the follows */
    assert_true(graph_relations_load(f->st, f->arena, f->id[0], false, ids, 6, &r, &e));
    assert_int_equal(r.status[0], GRAPH_STATUS_SENT);
    assert_int_equal(r.status[2], GRAPH_STATUS_CONNECTED);
    assert_int_equal(r.status[3], GRAPH_STATUS_NONE);
}

static void test_lists(void **state)
{
    struct fixture *f = *state;
    ok(f, 1, 0, GRAPH_FOLLOW);
    ok(f, 2, 0, GRAPH_FOLLOW);
    ok(f, 3, 0, GRAPH_FOLLOW);
    ok(f, 4, 1, GRAPH_FOLLOW); /* the viewer (4) follows 1 */
    struct graph_list_query q = {.kind = GRAPH_LIST_FOLLOWERS, .user_id = f->id[0], .limit = 10};
    struct user_page page;
    struct err e = {0};
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.count, 3);
    assert_int_equal(page.n, 3);
    assert_int_equal(page.items[0].id, f->id[3]); /* newest first */
    assert_int_equal(page.items[2].id, f->id[1]);
    q.viewer_id = f->id[4];
    q.mutual = true;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.n, 3);
    assert_int_equal(page.items[0].id, f->id[1]); /* the viewer follows 1 */
    assert_int_equal(page.items[1].id, f->id[3]);
    assert_int_equal(page.items[2].id, f->id[2]);
    /* the same when the viewer follows more users than the list holds
     * (the mutual part is then found by walking the list, not the viewer) */
    ok(f, 4, 5, GRAPH_FOLLOW);
    ok(f, 4, 2, GRAPH_FOLLOW); /* the viewer now follows 1, 2 and 5: three, as many as the list */
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.n, 3);
    assert_int_equal(page.items[0].id, f->id[2]); /* mutual, newest edge first */
    assert_int_equal(page.items[1].id, f->id[1]);
    assert_int_equal(page.items[2].id, f->id[3]);
    q.offset = 1;
    q.limit = 1;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.n, 1);
    assert_int_equal(page.items[0].id, f->id[1]);
    q.offset = 2;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.n, 1);
    assert_int_equal(page.items[0].id, f->id[3]);
    ok(f, 4, 2, GRAPH_FOLLOW); /* unfollow 2 again */
    q.offset = 0;
    q.limit = 10;
    ok(f, 4, 2, GRAPH_HIDE);
    q.mutual = false;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.count, 2);
    assert_int_equal(page.n, 2);
    assert_int_equal(page.items[1].id, f->id[1]);
    q.offset = 1;
    q.limit = 1;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.n, 1);
    assert_int_equal(page.items[0].id, f->id[1]);
    /* a missing owner is 404 */
    q.user_id = 31337;
    assert_false(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(e.kind, ERR_NOT_FOUND);
}

/* Sets a user's status behind the store's back (no API blocks users),
 * then recomputes every counter as a status change must. */
static void set_status(struct fixture *f, int i, const char *status)
{
    /* through the store's connection: the schema's triggers need its functions */
    char sql[128];
    struct err e = {0};
    snprintf(sql, sizeof sql, "UPDATE users SET status = '%s' WHERE id = %lld", status, (long long)f->id[i]);
    assert_true(store_exec_script(f->st, sql, false, stdout, &e));
    assert_true(store_begin(f->st, &e));
    for (int k = 0; k < USERS; k++)
        assert_true(store_user_counters_recompute(f->st, f->id[k], &e));
    assert_true(store_commit(f->st, &e));
}

static void test_blocked_and_deleted(void **state)
{
    struct fixture *f = *state;
    ok(f, 1, 2, GRAPH_FOLLOW);
    set_status(f, 0, "b");
    refused(f, 0, 1, GRAPH_FOLLOW, ERR_FORBIDDEN, "permission_denied");
    refused(f, 0, 1, GRAPH_HIDE, ERR_FORBIDDEN, "permission_denied");
    ok(f, 1, 0, GRAPH_FOLLOW); /* a blocked user can be followed */
    assert_int_equal(counters(f, 0).followers_counter, 1);

    set_status(f, 2, "d");
    assert_int_equal(counters(f, 1).followings_counter, 1); /* 1 → 2 stays, uncounted; 1 → 0 counts */
    refused(f, 1, 2, GRAPH_FOLLOW, ERR_NOT_FOUND, "not_found");
    refused(f, 1, 2, GRAPH_REQUEST, ERR_NOT_FOUND, "not_found");
    bool yes = true;
    struct err e = {0};
    assert_true(graph_ask(f->st, f->arena, f->id[1], f->id[2], GRAPH_IS_FOLLOWED, &yes, &e));
    assert_false(yes);
    assert_int_equal(status(f, 1, 2, true), GRAPH_STATUS_NONE);
    set_status(f, 3, "u");
    refused(f, 1, 3, GRAPH_HIDE, ERR_NOT_FOUND, "not_found");
    assert_false(graph_ask(f->st, f->arena, f->id[1], f->id[3], GRAPH_IS_HIDDEN, &yes, &e));
    assert_int_equal(e.kind, ERR_NOT_FOUND);
}

/* Pages past GRAPH_DEEP_OFFSET (walked in the index alone when nothing is
 * filtered out) must equal the filtered walk, and fall back to it when a
 * follower is hidden by the viewer or inactive. */
static void test_deep_pages(void **state)
{
    struct fixture *f = *state;
    enum { FANS = 1010 };
    static int64_t fan[FANS];
    struct err e = {0};
    assert_true(store_begin(f->st, &e));
    for (int i = 0; i < FANS; i++) {
        char name[16];
        snprintf(name, sizeof name, "fan%d", i);
        struct user u = {.username = name};
        assert_true(store_user_insert(f->st, &u, &fan[i], &e));
        assert_true(store_graph_follow_insert(f->st, fan[i], f->id[0], 1000 + i, &e));
    }
    assert_true(store_user_counters_recompute(f->st, f->id[0], &e));
    for (int i = 0; i < FANS; i++)
        assert_true(store_user_counters_recompute(f->st, fan[i], &e));
    assert_true(store_commit(f->st, &e));
    assert_int_equal(store_user_counters_check(f->st, NULL, NULL, &e), 0);

    struct graph_list_query q = {.kind = GRAPH_LIST_FOLLOWERS, .user_id = f->id[0], .limit = 5, .offset = 1003};
    struct user_page page;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.count, FANS);
    assert_int_equal(page.n, 5);
    for (int i = 0; i < 5; i++) /* newest first: fan[FANS-1] is at offset 0 */
        assert_int_equal(page.items[i].id, fan[FANS - 1 - 1003 - i]);

    /* the viewer hides the newest fan: every later position shifts by one */
    q.viewer_id = f->id[1];
    struct principal viewer = f->who[1];
    assert_true(graph_act(f->st, &viewer, fan[FANS - 1], GRAPH_HIDE, &e));
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.count, FANS - 1);
    assert_int_equal(page.n, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(page.items[i].id, fan[FANS - 2 - 1003 - i]);
    assert_true(graph_act(f->st, &viewer, fan[FANS - 1], GRAPH_HIDE, &e));

    /* a newer fan who is no longer active: same shift, for everybody */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE users SET status = 'd' WHERE id = %lld", (long long)fan[FANS - 2]);
    assert_true(store_exec_script(f->st, sql, false, stdout, &e));
    assert_true(store_begin(f->st, &e));
    assert_true(store_user_counters_recompute(f->st, f->id[0], &e));
    assert_true(store_commit(f->st, &e));
    q.viewer_id = 0;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.count, FANS - 1);
    for (int i = 0; i < 5; i++)
        assert_int_equal(page.items[i].id, fan[FANS - 2 - 1003 - i]);
    /* past the end */
    q.offset = FANS;
    assert_true(graph_user_list(f->st, f->arena, &q, &page, &e));
    assert_int_equal(page.n, 0);
}

/* Relations of a batch against each user's alone (a batch of one probes
 * each kind, the oracle), for viewers with 0 to 120 edges of each kind
 * around the batch path's limit of 64 (sqlite_graph.c's own edges), after
 * random edges written in plain SQL, with some users not active. */
static void test_relations_batch_random(void **state)
{
    struct fixture *f = *state;
    enum { MORE = 150 };
    struct err e = {0};
    int64_t id[MORE];
    for (int i = 0; i < MORE; i++) {
        char name[16];
        snprintf(name, sizeof name, "r%03d", i);
        struct user u = {.username = name};
        assert_true(store_user_insert(f->st, &u, &id[i], &e));
    }
    srand(7);
    static const int sizes[] = {0, 3, 64, 65, 120};
    char sql[256];
    for (int round = 0; round < 12; round++) {
        assert_true(store_exec_script(
            f->st, "DELETE FROM follows; DELETE FROM connections; DELETE FROM connection_requests", false, stdout, &e));
        snprintf(sql, sizeof sql, "UPDATE users SET status = 'a' WHERE id >= %lld", (long long)id[0]);
        assert_true(store_exec_script(f->st, sql, false, stdout, &e));
        int64_t viewer = id[0];
        for (int kind = 0; kind < 4; kind++) {
            int want = sizes[(round + kind * 2) % 5];
            for (int i = 1; i <= want && i < MORE; i++) {
                int64_t other = id[1 + (i * 7 + kind * 31 + round) % (MORE - 1)];
                if (kind == 0)
                    snprintf(sql, sizeof sql,
                             "INSERT INTO follows (follower_id, followed_id, created_us) VALUES (%lld, %lld, %d) "
                             "ON CONFLICT DO NOTHING",
                             (long long)viewer, (long long)other, i);
                else if (kind == 1)
                    snprintf(sql, sizeof sql,
                             "INSERT INTO connections (user_id, other_id, created_us) VALUES (%lld, %lld, %d) "
                             "ON CONFLICT DO NOTHING",
                             (long long)viewer, (long long)other, i);
                else /* requests sent (2) and received (3), a third rejected */
                    snprintf(sql, sizeof sql,
                             "INSERT INTO connection_requests (from_user_id, to_user_id, created_us, rejected_us) "
                             "VALUES (%lld, %lld, %d, %s) ON CONFLICT DO NOTHING",
                             (long long)(kind == 2 ? viewer : other), (long long)(kind == 2 ? other : viewer), i,
                             i % 3 ? "NULL" : "5");
                assert_true(store_exec_script(f->st, sql, false, stdout, &e));
            }
        }
        for (int i = 1; i < MORE; i += 9 + round % 4) {
            snprintf(sql, sizeof sql, "UPDATE users SET status = 'd' WHERE id = %lld", (long long)id[i]);
            assert_true(store_exec_script(f->st, sql, false, stdout, &e));
        }
        for (int batch = 0; batch < 20; batch++) {
            int64_t ids[25];
            int n = 1 + rand() % 25;
            for (int i = 0; i < n; i++)
                ids[i] = rand() % 40 ? id[rand() % MORE] : 999999; /* an unknown id now and then */
            for (int mode = 0; mode < 2; mode++) {
                struct graph_relations r;
                assert_true(graph_relations_load(f->st, f->arena, viewer, mode, ids, n, &r, &e));
                for (int i = 0; i < n; i++) {
                    struct graph_relations one;
                    assert_true(graph_relations_load(f->st, f->arena, viewer, mode, &ids[i], 1, &one, &e));
                    if (r.status[i] != one.status[0])
                        fail_msg("round %d batch %d mode %d: user %lld %d in the batch, %d alone", round, batch, mode,
                                 (long long)ids[i], r.status[i], one.status[0]);
                }
            }
        }
    }
}

int main(void)
{
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test_setup_teardown(test_follow_toggle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_accept_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reject_cancel_reject, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hide_and_relations_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocked_and_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relations_batch_random, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
