/* test_password.c - unit tests of auth/password.c (policy, argon2id hashing)
 * and auth/token.c (opaque tokens and their hashes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"
#include "core/err.h"

/* ---- password policy ---- */

struct policy_case {
    const char *pw;
    const char *username;
    const char *code; /* NULL: accepted */
};

static const struct policy_case POLICY_CASES[] = {
    {"Abcdef1", NULL, "password_too_short"}, /* 7 characters */
    {"", NULL, "password_too_short"},
    {"Abcdefg1", NULL, NULL},                  /* exactly 8, lower + upper + digit */
    {"abcdefg!", NULL, "password_too_simple"}, /* lower + other */
    {"abcdefg1", NULL, "password_too_simple"}, /* lower + digit */
    {"ABCDEFG1", NULL, "password_too_simple"}, /* upper + digit */
    {"12345678", NULL, "password_too_simple"}, /* digit only */
    {"abcdefg1!", NULL, NULL},                 /* lower + digit + other */
    {"ABCDEFG1 ", NULL, NULL},                 /* a space is "other" */
    {"Abcdefgh", NULL, "password_too_simple"},
    /* non-ASCII letters have a case: é lower, É upper */
    {"éééééé1!", NULL, NULL},                  /* lower + digit + other: 8 characters, 14 bytes */
    {"ÉÉÉÉÉÉÉ1", NULL, "password_too_simple"}, /* upper + digit */
    {"ÉÉÉÉééé1", NULL, NULL},                  /* upper + lower + digit, all but one multibyte */
    {"ÉÉÉÉééé", NULL, "password_too_short"},   /* 7 characters, 14 bytes */
    {"ßçñøåæœ1", NULL, "password_too_simple"}, /* lower + digit */
    {"ßçñøåÆŒ1", NULL, NULL},
    /* caseless letters (CJK) are "other"; Arabic-Indic digits are digits */
    {"密码密码abcd1", NULL, NULL},
    {"abcdEFGH\xd9\xa3", NULL, NULL},
    /* a combining mark adds no class: e + U+0301 is lower, like é */
    {"e\xcc\x81"
     "e\xcc\x81"
     "e\xcc\x81"
     "e\xcc\x81"
     "1",
     NULL, "password_too_simple"},
    /* equal to the username in any case, including folded non-ASCII */
    {"Alice123!", "alice123!", "password_similar_to_username"},
    {"aLiCe123!", "ALICE123!", "password_similar_to_username"},
    {"Élodie-123", "éLODIE-123", "password_similar_to_username"},
    {"E\xcc\x81lodie-123", "élodie-123", "password_similar_to_username"}, /* NFD vs NFC */
    {"Alice123!", "alice123", NULL},
    {"Alice123!", NULL, NULL},
    {"Alice123!", "", NULL},
    /* not valid UTF-8, or with control characters */
    {"Abcdefg1\xff", NULL, "invalid"},
    {"Abcdefg1\xc3", NULL, "invalid"},         /* truncated sequence */
    {"Abcdefg1\xc0\xaf", NULL, "invalid"},     /* overlong "/" */
    {"Abcdefg1\xed\xa0\x80", NULL, "invalid"}, /* a UTF-16 surrogate */
    {"Abcdefg1\x01", NULL, "invalid"},
    {"Abcdefg1\n", NULL, "invalid"},
    {"Abcdefg1\x7f", NULL, "invalid"},
    {"Abcdefg1\xc2\x85", NULL, "invalid"}, /* U+0085, a C1 control */
    {"Abc\x01", NULL, "invalid"},          /* invalid wins over too short */
};

static void test_policy_table(void **state)
{
    for (size_t i = 0; i < sizeof POLICY_CASES / sizeof *POLICY_CASES; i++) {
        const struct policy_case *t = &POLICY_CASES[i];
        struct err e = {0};
        bool ok = password_policy_check(t->pw, t->username, "password", &e);
        if (!t->code) {
            if (!ok || e.count != 0)
                fail_msg("case %zu (%s) refused: %s", i, t->pw, e.count ? e.entries[0].code : "?");
            continue;
        }
        if (ok)
            fail_msg("case %zu (%s) accepted, wanted %s", i, t->pw, t->code);
        assert_int_equal(e.kind, ERR_INVALID);
        assert_int_equal(e.count, 1);
        assert_string_equal(e.entries[0].field, "password");
        if (strcmp(e.entries[0].code, t->code) != 0)
            fail_msg("case %zu (%s): %s, wanted %s", i, t->pw, e.entries[0].code, t->code);
        assert_non_null(e.entries[0].message);
    }
}

/* n copies of a string, e.g. n characters */
static void repeat(char *out, const char *unit, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(out, unit);
}

static void test_policy_lengths(void **state)
{
    char pw[4 * (PASSWORD_MAX_CHARS + 2) + 1];
    struct err e = {0};

    repeat(pw, "aB1!", PASSWORD_MAX_CHARS / 4); /* exactly 128 */
    assert_int_equal(strlen(pw), 128);
    assert_true(password_policy_check(pw, NULL, "password", &e));
    strcat(pw, "x"); /* 129 */
    assert_false(password_policy_check(pw, NULL, "password", &e));
    assert_string_equal(e.entries[0].code, "password_too_long");
    assert_string_equal(e.entries[0].message, "This password is too long. It must contain at most 128 characters.");

    /* 128 characters of 2 bytes each (256 bytes) are still 128 characters */
    repeat(pw, "éÉ", PASSWORD_MAX_CHARS / 2 - 1);
    strcat(pw, "1!");
    e = (struct err){0};
    assert_true(password_policy_check(pw, NULL, "password", &e));
    strcat(pw, "é");
    assert_false(password_policy_check(pw, NULL, "password", &e));
    assert_string_equal(e.entries[0].code, "password_too_long");
}

static void test_policy_messages(void **state)
{
    struct err e = {0};
    assert_false(password_policy_check("Ab1!", NULL, "new_password", &e));
    assert_string_equal(e.entries[0].field, "new_password");
    assert_string_equal(e.entries[0].message, "This password is too short. It must contain at least 8 characters.");
    e = (struct err){0};
    assert_false(password_policy_check("Bobby-1234", "bobby-1234", "password", &e));
    assert_string_equal(e.entries[0].message, "The password is too similar to the username.");
    e = (struct err){0};
    assert_false(password_policy_check(NULL, NULL, "password", &e));
    assert_string_equal(e.entries[0].code, "invalid");
}

/* ---- hashing ---- */

static void test_hash_verify(void **state)
{
    char hash[PASSWORD_HASH_MAX];
    assert_true(password_hash("Correct-Horse-9", hash));
    assert_memory_equal(hash, "$argon2id$", 10);
    assert_true(password_verify(hash, "Correct-Horse-9"));
    assert_false(password_verify(hash, "correct-horse-9"));
    assert_false(password_verify(hash, "Correct-Horse-"));
    assert_false(password_verify(hash, ""));

    /* salted: the same password hashes differently each time */
    char again[PASSWORD_HASH_MAX];
    assert_true(password_hash("Correct-Horse-9", again));
    assert_string_not_equal(hash, again);
    assert_true(password_verify(again, "Correct-Horse-9"));
}

static void test_verify_any_cost(void **state)
{
    char hash[PASSWORD_HASH_MAX];
    password_set_cost(PASSWORD_COST_INTERACTIVE);
    assert_true(password_hash("Ünïcödé-pass-1", hash));
    password_set_cost(PASSWORD_COST_MIN);
    assert_true(password_verify(hash, "Ünïcödé-pass-1"));
    assert_false(password_verify(hash, "Unicode-pass-1"));
}

static void test_verify_bad_hashes(void **state)
{
    assert_false(password_verify(NULL, "whatever"));
    assert_false(password_verify("", "whatever"));
    assert_false(password_verify("", ""));
    assert_false(password_verify("not a hash", "whatever"));
    assert_false(password_verify("$argon2id$v=19$m=8,t=1,p=1$", "whatever"));
    char hash[PASSWORD_HASH_MAX];
    assert_true(password_hash("Secret-123", hash));
    assert_false(password_verify(hash, NULL));
    hash[strlen(hash) - 2] ^= 1; /* damage the digest */
    assert_false(password_verify(hash, "Secret-123"));
    /* a string longer than any encoded hash */
    char huge[PASSWORD_HASH_MAX * 2];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_false(password_verify(huge, "Secret-123"));
}

/* ---- opaque tokens ---- */

static bool is_b64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static void test_token_generate(void **state)
{
    char a[TOKEN_STR_LEN + 1];
    char b[TOKEN_STR_LEN + 1];
    token_generate(a);
    token_generate(b);
    assert_int_equal(strlen(a), 43);
    assert_int_equal(strlen(b), 43);
    for (size_t i = 0; i < TOKEN_STR_LEN; i++)
        assert_true(is_b64url(a[i]));
    assert_string_not_equal(a, b);
    /* it decodes back to 32 bytes */
    unsigned char raw[TOKEN_BYTES + 1];
    size_t n = 0;
    assert_int_equal(
        sodium_base642bin(raw, sizeof raw, a, TOKEN_STR_LEN, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
        0);
    assert_int_equal(n, TOKEN_BYTES);
}

static bool is_lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[n] == '\0';
}

static void test_token_hash(void **state)
{
    char h1[TOKEN_HASH_HEX + 1];
    char h2[TOKEN_HASH_HEX + 1];
    token_hash_hex("abc", 3, h1);
    assert_string_equal(h1, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");

    char tok[TOKEN_STR_LEN + 1];
    token_generate(tok);
    token_hash_hex(tok, strlen(tok), h1);
    token_hash_hex(tok, strlen(tok), h2);
    assert_int_equal(strlen(h1), 64);
    assert_true(is_lower_hex(h1, TOKEN_HASH_HEX));
    assert_string_equal(h1, h2);
    token_hash_hex(tok, strlen(tok) - 1, h2);
    assert_string_not_equal(h1, h2);
    /* the length given counts, not a NUL */
    token_hash_hex("abcdef", 3, h2);
    assert_string_equal(h2, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

static void test_token_random_hex(void **state)
{
    char a[2 * 100 + 1];
    char b[2 * 100 + 1];
    token_random_hex(a, 100); /* more than one internal chunk */
    token_random_hex(b, 100);
    assert_int_equal(strlen(a), 200);
    assert_true(is_lower_hex(a, 200));
    assert_string_not_equal(a, b);
    char one[3];
    token_random_hex(one, 1);
    assert_true(is_lower_hex(one, 2));
    char none[1] = {'x'};
    token_random_hex(none, 0);
    assert_string_equal(none, "");
}

static void test_token_equal(void **state)
{
    assert_true(token_equal("abcdef", "abcdef", 6));
    assert_false(token_equal("abcdef", "abcdeg", 6));
    assert_false(token_equal("xbcdef", "abcdef", 6));
    assert_true(token_equal("abc", "abd", 2));
    assert_true(token_equal("", "", 0));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    password_set_cost(PASSWORD_COST_MIN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_table),     cmocka_unit_test(test_policy_lengths),
        cmocka_unit_test(test_policy_messages),  cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_verify_any_cost),  cmocka_unit_test(test_verify_bad_hashes),
        cmocka_unit_test(test_token_generate),   cmocka_unit_test(test_token_hash),
        cmocka_unit_test(test_token_random_hex), cmocka_unit_test(test_token_equal),
    };
    return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
