/* test_user_json.c - unit tests for the User writer (src/api/user_json.c):
 * its text is valid JSON that jansson's own compact dump reproduces byte for
 * byte (escapes, numbers, non-ASCII), with the members in the contract's
 * order; private members only for the user themself and admins; the mode's
 * counters; user_json parses to the same object; tag_write's text follows
 * every member of a tag written before. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api/tag_api.h"
#include "api/user_json.h"
#include "core/arena.h"
#include "core/json_write.h"
#include "domain/graph.h"
#include "http/request.h"

static struct user sample(void)
{
    return (struct user){.id = 42,
                         .username = "zoë_\"quoted\"",
                         .real_name = "Γιώργος \\ back",
                         .email = "z@example.com",
                         .email_isvalid = true,
                         .date_joined_us = 1796577819378532,
                         .bio = "line\nbreak\ttab \x01 ctl",
                         .location = "Milano",
                         .has_location_ll = true,
                         .location_lat = 45.4642,
                         .location_lng = 9.19,
                         .has_position_ll = true,
                         .position_lat = -33.5,
                         .position_lng = 151.25,
                         .date_of_birth = "1990-02-28",
                         .description = "",
                         .gender = "Female",
                         .status = USER_ACTIVE,
                         .website = "https://example.com/a?b=c&d=e",
                         .avatar = "0123abcd.png",
                         .has_ext_id = true,
                         .ext_id = -7,
                         .reputation = 9223372036854775807LL,
                         .role = "admin",
                         .followers_counter = 3,
                         .followings_counter = 4,
                         .connections_counter = 5,
                         .posts_counter = 6};
}

/* Writes u for a caller (user id, admin or not) and checks the text against
 * jansson's re-dump of its parse; returns the parsed object. */
static json_t *written(const struct user *u, int64_t caller, const char *role, bool follow_mode)
{
    struct arena *a = arena_new();
    struct request req = {.arena = a, .base = "http://h", .who = {.user_id = caller, .role = role}};
    /* the caller's relation to u, as a page loads it (no store here) */
    static const int64_t ids[] = {42};
    static const enum graph_status followed[] = {GRAPH_STATUS_FOLLOWED};
    static const struct graph_relations rel = {.n = 1, .ids = ids, .status = followed};
    struct user_view v = {.follow_mode = follow_mode, .tags_loaded = true, .relations = &rel};
    struct buf b = BUF_INIT;
    user_write(&b, &req, &v, u);
    json_error_t err;
    json_t *o = json_loadb(b.data, b.len, 0, &err);
    assert_non_null(o);
    char *again = json_dumps(o, JSON_COMPACT);
    assert_string_equal(again, buf_str(&b));
    free(again);
    json_t *parsed = user_json(&req, &v, u);
    assert_true(json_equal(parsed, o));
    json_decref(parsed);
    buf_free(&b);
    arena_free(a);
    return o;
}

static void test_text_is_jansson_compact(void **state)
{
    (void)state;
    struct user u = sample();
    json_t *o = written(&u, 42, NULL, true);
    const char *first[] = {"id", "username", "real_name", "email", "email_isvalid", "date_joined"};
    const char *key;
    json_t *val;
    int i = 0;
    json_object_foreach(o, key, val)
    {
        if (i < 6)
            assert_string_equal(key, first[i]);
        i++;
    }
    assert_string_equal(json_string_value(json_object_get(o, "date_joined")), "2026-12-06T17:23:39.378532Z");
    assert_string_equal(json_string_value(json_object_get(o, "location_lat_lng")), "45.4642,9.19");
    assert_string_equal(json_string_value(json_object_get(o, "position_lat_lng")), "-33.5,151.25");
    assert_string_equal(json_string_value(json_object_get(o, "avatar")), "http://h/media/0123abcd.png");
    assert_true(json_is_null(json_object_get(o, "cover")));
    assert_true(json_is_null(json_object_get(o, "connection_status"))); /* oneself */
    assert_int_equal(json_integer_value(json_object_get(o, "ext_id")), -7);
    assert_true(json_is_true(json_object_get(o, "community_badge")));
    json_decref(o);
}

static void test_private_members_and_modes(void **state)
{
    (void)state;
    struct user u = sample();
    json_t *other = written(&u, 7, NULL, true);
    assert_null(json_object_get(other, "email"));
    assert_null(json_object_get(other, "email_isvalid"));
    assert_null(json_object_get(other, "position_lat_lng"));
    assert_non_null(json_object_get(other, "followers_counter"));
    assert_null(json_object_get(other, "connections_counter"));
    assert_string_equal(json_string_value(json_object_get(other, "connection_status")), "followed");
    json_decref(other);
    json_t *anon = written(&u, 0, NULL, false);
    assert_null(json_object_get(anon, "email"));
    assert_null(json_object_get(anon, "followers_counter"));
    assert_int_equal(json_integer_value(json_object_get(anon, "connections_counter")), 5);
    json_decref(anon);
    json_t *admin = written(&u, 1, "admin", true);
    assert_string_equal(json_string_value(json_object_get(admin, "email")), "z@example.com");
    json_decref(admin);
}

static void test_not_utf8_is_written_empty(void **state)
{
    (void)state;
    struct user u = sample();
    u.bio = "caf\xc3 broken";
    u.email = NULL;
    json_t *o = written(&u, 42, NULL, true);
    assert_string_equal(json_string_value(json_object_get(o, "bio")), "");
    assert_true(json_is_null(json_object_get(o, "email")));
    json_decref(o);
}

/* tag_write's text equals json_write of tag_json, whatever member of a tag
 * written before changes (the text of a tag is reused only when the whole
 * tag is equal). */
static void check_tag(const struct tag *t)
{
    struct buf b = BUF_INIT, want = BUF_INIT;
    tag_write(&b, t);
    json_t *o = tag_json(t);
    assert_true(json_write(&want, o));
    json_decref(o);
    assert_string_equal(buf_str(&b), buf_str(&want));
    buf_free(&b);
    buf_free(&want);
}

static void test_tag_text_follows_every_member(void **state)
{
    (void)state;
    static char long_text[4000];
    memset(long_text, 'x', sizeof long_text - 1);
    struct tag t = {.id = 7,
                    .type = "user",
                    .name = "alpha",
                    .description = "first",
                    .color = "#3B3B3B",
                    .visible = true,
                    .active = true,
                    .created_us = 1796577819378532};
    for (int round = 0; round < 2; round++) {
        check_tag(&t);
        check_tag(&t);
        t.name = round ? "alphà" : "alpha2";
        check_tag(&t);
        t.description = NULL;
        check_tag(&t);
        t.description = "";
        check_tag(&t);
        t.description = long_text; /* too long to keep */
        check_tag(&t);
        check_tag(&t);
        t.description = "first";
        t.color = "#FFFFFF";
        check_tag(&t);
        t.type = "category";
        check_tag(&t);
        t.visible = !t.visible;
        check_tag(&t);
        t.active = !t.active;
        check_tag(&t);
        t.deleted = !t.deleted;
        check_tag(&t);
        t.created_us += 1000000;
        check_tag(&t);
        t.id += 16; /* the same slot */
        check_tag(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_is_jansson_compact),
        cmocka_unit_test(test_private_members_and_modes),
        cmocka_unit_test(test_not_utf8_is_written_empty),
        cmocka_unit_test(test_tag_text_follows_every_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
