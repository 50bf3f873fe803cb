/* test_account.c - unit tests of domain/account.c, domain/settings.c and
 * domain/media.c: the field validators, image detection and stored names,
 * and the lifecycle rules against a real SQLite store in a temporary
 * directory (delete state rules, settings, profile updates, email codes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/arena.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/media.h"
#include "domain/settings.h"
#include "store/store.h"
#include "temp_store.h"

/* ---- validators ---- */

static void test_latlng(void **state)
{
    (void)state;
    double lat = 1, lng = 1;
    assert_true(account_parse_latlng("45.4642,9.19", &lat, &lng));
    assert_true(lat == 45.4642 && lng == 9.19);
    assert_true(account_parse_latlng("-90,-180", &lat, &lng));
    assert_true(account_parse_latlng("90,  180", &lat, &lng));
    assert_true(account_parse_latlng("-0,0", &lat, &lng));
    assert_true(lat == 0 && !signbit(lat)); /* echoed as 0, not -0 */
    static const char *const bad[] = {"",     "45",         "45,",     ",9",   "45 ,9", " 45,9", "45,9 ",
                                      "91,0", "0,180.0001", "-90.5,0", "a,b",  "1e1,2", "+1,2",  "1.,2",
                                      ".5,2", "0x1,2",      "1,2,3",   "45;9", "nan,1", "inf,1", NULL};
    for (const char *const *s = bad; *s; s++) {
        if (account_parse_latlng(*s, &lat, &lng))
            fail_msg("accepted \"%s\"", *s);
    }
    char longest[ACCOUNT_LATLNG_MAX + 8];
    memset(longest, '1', sizeof longest - 1);
    longest[0] = '0', longest[1] = '.', longest[sizeof longest - 1] = '\0';
    assert_false(account_parse_latlng(longest, &lat, &lng));
}

static void test_website(void **state)
{
    (void)state;
    static const char *const good[] = {"http://example.com",
                                       "https://example.com/",
                                       "HTTPS://Example.COM/a?b=c#d",
                                       "http://localhost",
                                       "http://localhost:8080/x",
                                       "http://127.0.0.1/",
                                       "http://[::1]:80/",
                                       "https://user:pw@example.com",
                                       "http://example.com.",
                                       "https://sub-domain.example.co.uk/path",
                                       "http://xn--bcher-kva.example",
                                       "https://bücher.example/",
                                       NULL};
    static const char *const bad[] = {"",
                                      "example.com",
                                      "ftp://example.com",
                                      "http://",
                                      "http:///path",
                                      "http://exa mple.com",
                                      "http://example",
                                      "http://-bad.example.com",
                                      "http://bad-.example.com",
                                      "http://example.123",
                                      "http://example.com:99999",
                                      "http://example.com:",
                                      "http://example.com:8a",
                                      "http://[zz]/",
                                      "javascript:alert(1)",
                                      "http://a..b.com",
                                      "http://example.com/\t",
                                      NULL};
    for (const char *const *s = good; *s; s++)
        if (!account_valid_website(*s))
            fail_msg("refused \"%s\"", *s);
    for (const char *const *s = bad; *s; s++)
        if (account_valid_website(*s))
            fail_msg("accepted \"%s\"", *s);
}

static void test_birth_date(void **state)
{
    (void)state;
    assert_true(account_valid_birth_date("1900-01-01"));
    assert_true(account_valid_birth_date("2000-02-29"));
    assert_false(account_valid_birth_date("1899-12-31"));
    assert_false(account_valid_birth_date("2001-02-29"));
    assert_false(account_valid_birth_date("9999-01-01"));
    assert_false(account_valid_birth_date("1990-1-01"));
    assert_false(account_valid_birth_date("01/01/1990"));
    assert_false(account_valid_birth_date(""));
}

/* ---- media ---- */

static void test_media_detect(void **state)
{
    (void)state;
    static const unsigned char png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D',
                                          'R',  0,   0,   0,   1,    0,    0,    0,    1, 8, 2, 0,  0,   0};
    assert_int_equal(media_detect(png, sizeof png), MEDIA_PNG);
    assert_int_equal(media_detect(png, 32), MEDIA_NONE); /* truncated header */
    unsigned char zero_width[33];
    memcpy(zero_width, png, sizeof png);
    zero_width[19] = 0;
    assert_int_equal(media_detect(zero_width, sizeof zero_width), MEDIA_NONE);
    static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0};
    assert_int_equal(media_detect(jpeg, sizeof jpeg), MEDIA_JPEG);
    assert_int_equal(media_detect(jpeg, 3), MEDIA_NONE);
    static const unsigned char gif[13] = "GIF89a\1\0\1\0\0\0";
    assert_int_equal(media_detect(gif, sizeof gif), MEDIA_GIF);
    assert_int_equal(media_detect((const unsigned char *)"GIF88a\1\0\1\0\0\0\0", 13), MEDIA_NONE);
    static const unsigned char webp[20] = "RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0";
    assert_int_equal(media_detect(webp, sizeof webp), MEDIA_WEBP);
    assert_int_equal(media_detect((const unsigned char *)"RIFF\x1a\0\0\0WAVEfmt \x0d\0\0\0", 20), MEDIA_NONE);
    assert_int_equal(media_detect((const unsigned char *)"<html>", 6), MEDIA_NONE);
    assert_int_equal(media_detect(NULL, 0), MEDIA_NONE);
}

static void test_media_check_upload(void **state)
{
    (void)state;
    static const unsigned char gif[13] = "GIF89a\1\0\1\0\0\0";
    enum media_type t = MEDIA_NONE;
    struct err e = {0};
    assert_true(media_check_upload("avatar", gif, sizeof gif, &t, &e));
    assert_int_equal(t, MEDIA_GIF);
    assert_false(media_check_upload("avatar", gif, 0, &t, &e));
    assert_string_equal(e.entries[0].code, "empty");
    assert_false(media_check_upload("cover", gif, (size_t)MEDIA_MAX_BYTES + 1, &t, &e));
    assert_string_equal(e.entries[1].code, "file_too_large");
    assert_string_equal(e.entries[1].field, "cover");
    assert_false(media_check_upload("cover", (const unsigned char *)"text", 4, &t, &e));
    assert_string_equal(e.entries[2].code, "invalid_image");
    assert_int_equal(e.kind, ERR_INVALID);
}

static void test_media_names(void **state)
{
    (void)state;
    enum media_type t;
    assert_true(media_name_valid("0123456789abcdef0123456789abcdef.png", &t));
    assert_int_equal(t, MEDIA_PNG);
    assert_true(media_name_valid("0123456789abcdef0123456789abcdef.webp", &t));
    assert_int_equal(t, MEDIA_WEBP);
    static const char *const bad[] = {"0123456789abcdef0123456789abcdef",
                                      "0123456789abcdef0123456789abcde.png",
                                      "0123456789ABCDEF0123456789ABCDEF.png",
                                      "0123456789abcdef0123456789abcdef.png.exe",
                                      "0123456789abcdef0123456789abcdef.PNG",
                                      "../etc/passwd",
                                      ".tmp-abc",
                                      "",
                                      NULL};
    for (const char *const *s = bad; *s; s++)
        if (media_name_valid(*s, &t))
            fail_msg("accepted \"%s\"", *s);
    assert_false(media_name_valid(NULL, &t));
}

/* ---- against a store ---- */

struct fixture {
    struct temp_store tmp;
    const char *dir; /* the media directory */
    struct store *st;
    struct arena *a;
};

static int setup_store(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f || !temp_store_open(&f->tmp))
        return -1;
    f->dir = f->tmp.dir;
    f->st = f->tmp.st;
    f->a = arena_new();
    *state = f;
    return 0;
}

static int teardown_store(void **state)
{
    struct fixture *f = *state;
    temp_store_close(&f->tmp);
    arena_free(f->a);
    free(f);
    return 0;
}

static int64_t make_user(struct fixture *f, const char *username, const char *email)
{
    int64_t id = 0;
    struct err e = {0};
    struct user u = {.username = username, .email = email};
    assert_true(store_user_insert(f->st, &u, &id, &e));
    return id;
}

static char status_of(struct fixture *f, int64_t id)
{
    struct user u;
    struct err e = {0};
    assert_int_equal(store_user_get(f->st, f->a, id, &u, &e), 1);
    return u.status;
}

static void test_delete_state_rules(void **state)
{
    struct fixture *f = *state;
    int64_t id = make_user(f, "del", NULL), other = make_user(f, "other", NULL);
    struct principal self = {.user_id = id}, stranger = {.user_id = other}, admin = {.user_id = other, .role = "admin"};
    struct err e = {0};

    assert_false(account_delete(f->st, f->a, f->dir, &stranger, id, false, &e));
    assert_int_equal(e.kind, ERR_FORBIDDEN);
    assert_int_equal(status_of(f, id), 'a');

    e = (struct err){0};
    assert_false(account_delete(f->st, f->a, f->dir, &self, 999, false, &e));
    assert_int_equal(e.kind, ERR_NOT_FOUND);

    e = (struct err){0};
    assert_true(account_delete(f->st, f->a, f->dir, &self, id, false, &e));
    assert_int_equal(status_of(f, id), 'd');
    assert_false(account_delete(f->st, f->a, f->dir, &admin, id, false, &e)); /* soft on soft */
    assert_int_equal(e.kind, ERR_INVALID);
    assert_string_equal(e.entries[0].code, "already_deleted");

    e = (struct err){0};
    assert_true(account_delete(f->st, f->a, f->dir, &admin, id, true, &e)); /* hard on soft */
    assert_int_equal(status_of(f, id), 'u');
    assert_false(account_delete(f->st, f->a, f->dir, &admin, id, false, &e)); /* soft on hard */
    assert_int_equal(e.kind, ERR_NOT_FOUND);
    e = (struct err){0};
    assert_false(account_delete(f->st, f->a, f->dir, &admin, id, true, &e)); /* hard on hard */
    assert_int_equal(e.kind, ERR_NOT_FOUND);
}

static void test_settings(void **state)
{
    struct fixture *f = *state;
    int64_t id = make_user(f, "settings", NULL);
    struct principal self = {.user_id = id};
    struct user_settings s, d;
    struct err e = {0};
    settings_defaults(&d);
    assert_true(settings_get(f->st, f->a, &self, id, &s, &e));
    assert_memory_equal(s.values, d.values, sizeof d.values);

    json_t *body = json_pack("{s:i, s:s}", "qa_frequency", 1, "interests_frequency", "0");
    assert_true(settings_update(f->st, f->a, &self, id, body, &s, &e));
    json_decref(body);
    assert_int_equal(s.values[0], 1);
    assert_int_equal(s.values[2], 0);
    assert_int_equal(s.values[1], d.values[1]);

    body = json_pack("{s:i, s:i, s:b}", "qa_frequency", 0, "interests_frequency", 1, "engagement_frequency", 1);
    assert_false(settings_update(f->st, f->a, &self, id, body, &s, &e));
    json_decref(body);
    assert_int_equal(e.count, 2);
    assert_string_equal(e.entries[0].field, "interests_frequency");
    assert_string_equal(e.entries[0].code, "invalid_choice");
    assert_string_equal(e.entries[1].field, "engagement_frequency");
    e = (struct err){0};
    assert_true(settings_get(f->st, f->a, &self, id, &s, &e));
    assert_int_equal(s.values[0], 1); /* unchanged by the failed update */

    struct principal stranger = {.user_id = id + 1000};
    assert_false(settings_get(f->st, f->a, &stranger, id, &s, &e));
    assert_int_equal(e.kind, ERR_FORBIDDEN);
}

static void test_profile_update(void **state)
{
    struct fixture *f = *state;
    char media[160]; /* the media directory: dir/media, as the server's default */
    snprintf(media, sizeof media, "%s/media", f->dir);
    int64_t id = make_user(f, "profile", NULL);
    struct principal self = {.user_id = id};
    struct err e = {0};
    json_t *body = json_pack("{s:s, s:s, s:s, s:n}", "real_name", "  Ada  ", "location_lat_lng", "10.5,  -20", "gender",
                             "Female", "date_of_birth");
    assert_true(account_update_profile(f->st, f->a, media, &self, id, body, NULL, 0, &e));
    json_decref(body);
    struct user u;
    assert_int_equal(store_user_get(f->st, f->a, id, &u, &e), 1);
    assert_string_equal(u.real_name, "Ada");
    assert_true(u.has_location_ll && u.location_lat == 10.5 && u.location_lng == -20);
    assert_string_equal(u.gender, "Female");
    assert_null(u.date_of_birth);

    /* a good upload and a bad field: nothing written, no file left */
    static const unsigned char gif[13] = "GIF89a\1\0\1\0\0\0";
    struct account_upload up = {.field = "avatar", .data = gif, .len = sizeof gif};
    body = json_pack("{s:s}", "gender", "robot");
    assert_false(account_update_profile(f->st, f->a, media, &self, id, body, &up, 1, &e));
    json_decref(body);
    assert_int_equal(e.kind, ERR_INVALID);
    struct stat sb;
    assert_true(stat(media, &sb) != 0); /* never even created */

    e = (struct err){0};
    body = json_object();
    assert_true(account_update_profile(f->st, f->a, media, &self, id, body, &up, 1, &e));
    assert_int_equal(store_user_get(f->st, f->a, id, &u, &e), 1);
    assert_true(media_name_valid(u.avatar, NULL));
    char path[256];
    snprintf(path, sizeof path, "%s/%s", media, u.avatar);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, sizeof gif);

    /* clearing removes the file */
    json_object_set_new(body, "avatar", json_null());
    assert_true(account_update_profile(f->st, f->a, media, &self, id, body, NULL, 0, &e));
    json_decref(body);
    assert_true(stat(path, &sb) != 0);
    assert_int_equal(store_user_get(f->st, f->a, id, &u, &e), 1);
    assert_null(u.avatar);
}

static void test_email_attempts(void **state)
{
    struct fixture *f = *state;
    int64_t id = make_user(f, "mail", "mail@example.com");
    struct principal self = {.user_id = id};
    struct err e = {0};
    const char *code = NULL;
    json_t *body = json_pack("{s:s, s:b}", "new_email", "next@example.com", "confirm", 1);
    assert_true(account_change_email(f->st, f->a, &self, id, body, "192.0.2.1", &code, &e));
    json_decref(body);
    assert_non_null(code);
    assert_int_equal(strlen(code), 2 * ACCOUNT_EMAIL_CODE_BYTES);

    for (int i = 0; i < ACCOUNT_EMAIL_CODE_ATTEMPTS; i++) {
        struct email_change c;
        assert_int_equal(store_email_change_get(f->st, f->a, id, &c, &e), 1);
        assert_int_equal(c.attempts, i);
        e = (struct err){0};
        body = json_pack("{s:s, s:s}", "new_email", "next@example.com", "validation_code", "wrong");
        assert_false(account_confirm_email(f->st, f->a, id, body, &e));
        json_decref(body);
        assert_string_equal(e.entries[0].field, "validation_code");
    }
    struct email_change c;
    assert_int_equal(store_email_change_get(f->st, f->a, id, &c, &e), 0);
    body = json_pack("{s:s, s:s}", "new_email", "next@example.com", "validation_code", code);
    assert_false(account_confirm_email(f->st, f->a, id, body, &e));
    json_decref(body);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    password_set_cost(PASSWORD_COST_MIN);
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latlng),
        cmocka_unit_test(test_website),
        cmocka_unit_test(test_birth_date),
        cmocka_unit_test(test_media_detect),
        cmocka_unit_test(test_media_check_upload),
        cmocka_unit_test(test_media_names),
        cmocka_unit_test_setup_teardown(test_delete_state_rules, setup_store, teardown_store),
        cmocka_unit_test_setup_teardown(test_settings, setup_store, teardown_store),
        cmocka_unit_test_setup_teardown(test_profile_update, setup_store, teardown_store),
        cmocka_unit_test_setup_teardown(test_email_attempts, setup_store, teardown_store),
    };
    return cmocka_run_group_tests_name("account", tests, NULL, NULL);
}
