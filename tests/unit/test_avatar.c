/* test_avatar.c - unit tests of domain/avatar.c on an in-memory database
 * and a temporary data directory: the first upload becomes the avatar,
 * choosing and removing keep exactly one primary equal to users.avatar,
 * removal promotes the newest entry and deletes the file, someone else's
 * entry is not found, the bound, the profile update's share, and the purge
 * of a hard delete. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "domain/avatar.h"
#include "domain/media.h"
#include "store/store.h"
#include "temp_store.h"

static const unsigned char GIF[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!";

struct fixture {
    struct temp_store db; /* its directory holds the media directory */
    struct store *st;
    struct arena *a;
    char dir[64];
    char media[80]; /* the media directory: dir/media, as the server's default */
    struct principal alice, bob;
};

static int64_t add_user(struct store *st, const char *name)
{
    struct err e = {0};
    struct user u = {.username = name};
    int64_t id = 0;
    assert_true(store_user_insert(st, &u, &id, &e));
    return id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->a = arena_new();
    if (!f->a || !temp_store_open(&f->db))
        return -1;
    f->st = f->db.st;
    snprintf(f->dir, sizeof f->dir, "%s", f->db.dir);
    snprintf(f->media, sizeof f->media, "%s/media", f->dir);
    f->alice = (struct principal){.user_id = add_user(f->st, "alice"), .status = USER_ACTIVE};
    f->bob = (struct principal){.user_id = add_user(f->st, "bob"), .status = USER_ACTIVE};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    temp_store_close(&f->db);
    arena_free(f->a);
    free(f);
    return 0;
}

static bool on_disk(struct fixture *f, const char *file)
{
    char path[256];
    snprintf(path, sizeof path, "%s/media/%s", f->dir, file);
    struct stat sb;
    return stat(path, &sb) == 0;
}

static struct user_avatar add(struct fixture *f, const struct principal *who)
{
    struct err e = {0};
    struct user_avatar v;
    assert_true(avatar_add(f->st, f->a, f->media, who, GIF, sizeof GIF - 1, true, &v, &e));
    return v;
}

/* users.avatar, or NULL */
static const char *avatar_of(struct fixture *f, int64_t id)
{
    struct err e = {0};
    struct user u;
    assert_int_equal(store_user_get(f->st, f->a, id, &u, &e), 1);
    return u.avatar;
}

/* The invariant: at most one primary, and users.avatar is its file. */
static void check_invariant(struct fixture *f, int64_t user_id)
{
    struct err e = {0};
    struct avatar_page p;
    struct principal who = {.user_id = user_id};
    assert_true(avatar_list(f->st, f->a, &who, AVATAR_PAGE_MAX, 0, &p, &e));
    const char *primary = NULL;
    int primaries = 0;
    for (int i = 0; i < p.n; i++) {
        if (i)
            assert_true(p.items[i].id > p.items[i - 1].id); /* oldest first */
        if (p.items[i].primary) {
            primaries++;
            primary = p.items[i].file;
        }
        assert_true(on_disk(f, p.items[i].file));
    }
    assert_true(primaries <= 1);
    const char *avatar = avatar_of(f, user_id);
    if (primary)
        assert_string_equal(avatar, primary);
    else
        assert_null(avatar);
}

static json_t *id_body(int64_t id) { return json_pack("{s:I}", "avatar_id", (json_int_t)id); }

static void test_add_choose_remove(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct user_avatar a1 = add(f, &f->alice), a2 = add(f, &f->alice), a3 = add(f, &f->alice);
    assert_true(a1.primary);
    assert_false(a2.primary);
    assert_false(a3.primary);
    assert_string_equal(avatar_of(f, f->alice.user_id), a1.file);
    check_invariant(f, f->alice.user_id);

    json_t *body = id_body(a2.id);
    assert_true(avatar_set_primary(f->st, f->a, &f->alice, body, &e));
    json_decref(body);
    assert_string_equal(avatar_of(f, f->alice.user_id), a2.file);
    check_invariant(f, f->alice.user_id);

    /* removing the primary promotes the newest remaining (a3), file gone */
    body = id_body(a2.id);
    assert_true(avatar_remove(f->st, f->a, f->media, &f->alice, body, &e));
    json_decref(body);
    assert_false(on_disk(f, a2.file));
    assert_string_equal(avatar_of(f, f->alice.user_id), a3.file);
    check_invariant(f, f->alice.user_id);

    /* a non-primary: the avatar stays */
    body = id_body(a1.id);
    assert_true(avatar_remove(f->st, f->a, f->media, &f->alice, body, &e));
    json_decref(body);
    assert_false(on_disk(f, a1.file));
    assert_string_equal(avatar_of(f, f->alice.user_id), a3.file);

    /* the last: no avatar */
    body = id_body(a3.id);
    assert_true(avatar_remove(f->st, f->a, f->media, &f->alice, body, &e));
    json_decref(body);
    assert_null(avatar_of(f, f->alice.user_id));
    check_invariant(f, f->alice.user_id);
}

static void test_other_users_entry(void **state)
{
    struct fixture *f = *state;
    struct user_avatar mine = add(f, &f->alice), theirs = add(f, &f->bob);
    json_t *body = id_body(theirs.id);
    struct err e = {0};
    assert_false(avatar_set_primary(f->st, f->a, &f->alice, body, &e));
    assert_int_equal(e.kind, ERR_NOT_FOUND);
    struct err e2 = {0};
    assert_false(avatar_remove(f->st, f->a, f->media, &f->alice, body, &e2));
    assert_int_equal(e2.kind, ERR_NOT_FOUND);
    json_decref(body);
    assert_true(on_disk(f, theirs.file));
    assert_string_equal(avatar_of(f, f->bob.user_id), theirs.file);
    assert_string_equal(avatar_of(f, f->alice.user_id), mine.file);

    /* bad ids are field errors */
    const char *bad[] = {"{}", "{\"avatar_id\": 0}", "{\"avatar_id\": \"x\"}", "{\"avatar_id\": null}", "[]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err e3 = {0};
        json_t *b = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        assert_false(avatar_set_primary(f->st, f->a, &f->alice, b, &e3));
        assert_int_equal(e3.kind, ERR_INVALID);
        json_decref(b);
    }
}

static void test_bad_upload(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct user_avatar v;
    assert_false(avatar_add(f->st, f->a, f->media, &f->alice, (const unsigned char *)"text", 4, true, &v, &e));
    assert_int_equal(e.kind, ERR_INVALID);
    assert_string_equal(e.entries[0].field, "avatar");
    struct err e2 = {0};
    assert_false(avatar_add(f->st, f->a, f->media, &f->alice, NULL, 0, false, &v, &e2));
    assert_int_equal(e2.kind, ERR_INVALID);
    assert_int_equal(store_avatar_count(f->st, f->alice.user_id, &e), 0);
}

static void test_bound(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < AVATAR_GALLERY_MAX; i++)
        add(f, &f->alice);
    struct err e = {0};
    struct user_avatar v;
    assert_false(avatar_add(f->st, f->a, f->media, &f->alice, GIF, sizeof GIF - 1, true, &v, &e));
    assert_int_equal(e.kind, ERR_INVALID);
    assert_string_equal(e.entries[0].field, "avatar");
    struct err e2 = {0};
    assert_int_equal(store_avatar_count(f->st, f->alice.user_id, &e2), AVATAR_GALLERY_MAX);
    check_invariant(f, f->alice.user_id);
}

static void test_profile_replace(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct user_avatar kept = add(f, &f->alice), old = add(f, &f->alice);
    json_t *body = id_body(old.id);
    assert_true(avatar_set_primary(f->st, f->a, &f->alice, body, &e));
    json_decref(body);
    /* as account_update_profile does: the row's avatar, then the gallery */
    assert_true(store_begin(f->st, &e));
    assert_true(avatar_profile_replace(f->st, f->a, f->alice.user_id, "0123456789abcdef0123456789abcdef.png", 1, &e));
    assert_true(store_commit(f->st, &e));
    struct avatar_page p;
    assert_true(avatar_list(f->st, f->a, &f->alice, AVATAR_PAGE_MAX, 0, &p, &e));
    assert_int_equal(p.n, 2);
    assert_int_equal(p.items[0].id, kept.id);
    assert_false(p.items[0].primary);
    assert_true(p.items[1].primary);
    assert_string_equal(avatar_of(f, f->alice.user_id), "0123456789abcdef0123456789abcdef.png");
    /* cleared: no primary, no avatar, the other entry stays */
    assert_true(store_begin(f->st, &e));
    assert_true(avatar_profile_replace(f->st, f->a, f->alice.user_id, NULL, 2, &e));
    assert_true(store_commit(f->st, &e));
    assert_true(avatar_list(f->st, f->a, &f->alice, AVATAR_PAGE_MAX, 0, &p, &e));
    assert_int_equal(p.n, 1);
    assert_false(p.items[0].primary);
    assert_null(avatar_of(f, f->alice.user_id));
}

static void test_purge(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct user_avatar a1 = add(f, &f->alice), a2 = add(f, &f->alice), b1 = add(f, &f->bob);
    const char **files = NULL;
    size_t n = 0;
    assert_true(store_begin(f->st, &e));
    assert_true(store_avatar_purge(f->st, f->a, f->alice.user_id, &files, &n, &e));
    assert_true(store_commit(f->st, &e));
    assert_int_equal(n, 2);
    assert_string_equal(files[0], a1.file);
    assert_string_equal(files[1], a2.file);
    assert_int_equal(store_avatar_count(f->st, f->alice.user_id, &e), 0);
    assert_int_equal(store_avatar_count(f->st, f->bob.user_id, &e), 1);
    /* the referenced names the media sweep keeps include every entry */
    const char **names = NULL;
    size_t nnames = 0;
    struct user_avatar b2 = add(f, &f->bob);
    assert_true(store_media_referenced(f->st, f->a, &names, &nnames, &e));
    bool has_b1 = false, has_b2 = false;
    for (size_t i = 0; i < nnames; i++) {
        has_b1 = has_b1 || !strcmp(names[i], b1.file);
        has_b2 = has_b2 || !strcmp(names[i], b2.file);
    }
    assert_true(has_b1 && has_b2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_choose_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_users_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_upload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profile_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
