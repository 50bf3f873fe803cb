/* test_field.c - unit tests of domain/field.c and the value spellings and
 * the character rule of core/text.c: every reader, every boolean spelling,
 * bounds at the limit and one past, each forbidden character class, NFC. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "domain/field.h"

static int setup(void **state)
{
    *state = arena_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    arena_free(*state);
    return 0;
}

static void decref(void *p) { json_decref(p); }

/* A body with one field `v` (JSON text), kept alive until the arena goes. */
static json_t *body_of(struct arena *a, const char *json_value)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "{\"f\": %s}", json_value);
    json_error_t jerr;
    json_t *o = json_loads(buf, JSON_ALLOW_NUL, &jerr);
    assert_non_null(o);
    arena_defer(a, decref, o);
    return o;
}

/* The one field error of e: its code; asserts it names field "f". */
static const char *code_of(const struct err *e)
{
    assert_int_equal(e->kind, ERR_INVALID);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->entries[0].field, "f");
    return e->entries[0].code;
}

/* A string of n copies of the UTF-8 character c, as a JSON string. */
static const char *json_repeat(struct arena *a, const char *c, size_t n)
{
    size_t cl = strlen(c);
    char *s = arena_alloc(a, n * cl + 3);
    s[0] = '"';
    for (size_t i = 0; i < n; i++)
        memcpy(s + 1 + i * cl, c, cl);
    s[1 + n * cl] = '"';
    s[2 + n * cl] = '\0';
    return s;
}

/* ---- core/text spellings ---- */

static void test_parse_bool_spellings(void **state)
{
    (void)state;
    static const char *const yes[] = {"1", "true", "True"}, *const no[] = {"0", "false", "False"};
    for (size_t i = 0; i < 3; i++) {
        bool b = false;
        assert_true(text_parse_bool(yes[i], strlen(yes[i]), &b));
        assert_true(b);
        assert_true(text_parse_bool(no[i], strlen(no[i]), &b));
        assert_false(b);
    }
    static const char *const bad[] = {"", "TRUE", "yes", "on", "2", " 1", "1 ", "tru", "False!", "-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool b = true;
        assert_false(text_parse_bool(bad[i], strlen(bad[i]), &b));
        assert_true(b); /* untouched */
    }
    bool b = false;
    assert_false(text_parse_bool("true\0x", 6, &b)); /* a NUL inside never matches */
}

static void test_parse_id(void **state)
{
    (void)state;
    int64_t id = 0;
    assert_true(text_parse_id("1", 1, &id));
    assert_int_equal(id, 1);
    assert_true(text_parse_id("007", 3, &id)); /* leading zeros are still digits */
    assert_int_equal(id, 7);
    assert_true(text_parse_id("999999999999999999", TEXT_ID_DIGITS_MAX, &id)); /* at the limit */
    assert_true(id == 999999999999999999LL);
    id = 5;
    assert_false(text_parse_id("1000000000000000000", TEXT_ID_DIGITS_MAX + 1, &id)); /* one past */
    static const char *const bad[] = {"", "0", "000", "-1", "+1", " 1", "1 ", "1a", "0x1", "1.0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(text_parse_id(bad[i], strlen(bad[i]), &id));
    assert_int_equal(id, 5); /* untouched */

    const char *s = " \t42\r\n";
    size_t n = strlen(s);
    text_trim_span(&s, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(s, "42", 2);
}

/* ---- core/text character rule and NFC ---- */

static void test_check_chars(void **state)
{
    (void)state;
    assert_int_equal(text_check_chars("Élodie O'Brien-Ngũgĩ 李", false), TEXT_CHARS_OK);
    assert_int_equal(text_check_chars("", false), TEXT_CHARS_OK);
    /* C0, DEL and C1; LF only where multi-line */
    static const char *const control[] = {"a\x01", "a\007b",    "a\tb",      "a\rb",     "a\x1f",
                                          "a\x7f", "a\xc2\x80", "a\xc2\x85", "a\xc2\x9f"};
    for (size_t i = 0; i < sizeof control / sizeof control[0]; i++) {
        assert_int_equal(text_check_chars(control[i], false), TEXT_CHARS_CONTROL);
        assert_int_equal(text_check_chars(control[i], true), TEXT_CHARS_CONTROL);
    }
    assert_int_equal(text_check_chars("two\nlines", false), TEXT_CHARS_CONTROL);
    assert_int_equal(text_check_chars("two\nlines", true), TEXT_CHARS_OK);
    assert_int_equal(text_check_chars("a\xc2\xa0"
                                      "b",
                                      false),
                     TEXT_CHARS_OK); /* U+00A0 is not C1 */
    /* bidirectional controls: U+061C, U+200E-200F, U+202A-202E, U+2066-2069 */
    static const char *const bidi[] = {"\xd8\x9c",     "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa",
                                       "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa9"};
    for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++)
        assert_int_equal(text_check_chars(bidi[i], true), TEXT_CHARS_BIDI);
    assert_int_equal(text_check_chars("\xe2\x80\xaf", false), TEXT_CHARS_OK); /* U+202F, next to them */
    assert_int_equal(text_check_chars("\xe2\x81\xaa", false), TEXT_CHARS_OK); /* U+206A */
    /* zero-width: U+200B-200D, U+2060, U+FEFF */
    static const char *const zw[] = {"\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x81\xa0", "\xef\xbb\xbf"};
    for (size_t i = 0; i < sizeof zw / sizeof zw[0]; i++)
        assert_int_equal(text_check_chars(zw[i], true), TEXT_CHARS_ZERO_WIDTH);
    assert_int_equal(text_check_chars("a\xff", false), TEXT_CHARS_INVALID);
}

static void test_nfc(void **state)
{
    struct arena *a = *state;
    assert_string_equal(text_nfc(a, "e\xcc\x81"), "\xc3\xa9");                    /* e + U+0301 → é */
    assert_string_equal(text_nfc(a, "\xc3\xa9"), "\xc3\xa9");                     /* already NFC */
    assert_string_equal(text_nfc(a, "\xef\xac\x81"), "\xef\xac\x81");             /* ﬁ stays: NFC, not NFKC */
    assert_string_equal(text_nfc(a, "\xe1\x84\x80\xe1\x85\xa1"), "\xea\xb0\x80"); /* Hangul jamo → 가 */
    assert_null(text_nfc(a, "\xff"));
}

/* ---- text reader ---- */

static void test_text_reader(void **state)
{
    struct arena *a = *state;
    const struct field_text_rule plain = {0};
    const char *s = "untouched";
    struct err e = {0};

    assert_int_equal(field_text(a, body_of(a, "1"), "missing", &plain, &s, &e), FIELD_ABSENT);
    assert_string_equal(s, "untouched");
    assert_int_equal(field_text(a, body_of(a, "\"  Ada \\t\\n\""), "f", &plain, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "Ada"); /* trimmed */
    assert_false(err_any(&e));

    const struct field_text_rule keep = {.keep_whitespace = true};
    assert_int_equal(field_text(a, body_of(a, "\"  Ada \""), "f", &keep, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "  Ada ");

    /* null, per rule */
    assert_int_equal(field_text(a, body_of(a, "null"), "f", &plain, &s, &e), FIELD_INVALID);
    assert_string_equal(code_of(&e), FIELD_CODE_NULL);
    e = (struct err){0};
    const struct field_text_rule nullable = {.null = FIELD_NULL_NULL};
    assert_int_equal(field_text(a, body_of(a, "null"), "f", &nullable, &s, &e), FIELD_GIVEN);
    assert_null(s);
    const struct field_text_rule empty = {.null = FIELD_NULL_EMPTY};
    assert_int_equal(field_text(a, body_of(a, "null"), "f", &empty, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "");
    const struct field_text_rule absent = {.null = FIELD_NULL_ABSENT};
    assert_int_equal(field_text(a, body_of(a, "null"), "f", &absent, &s, &e), FIELD_ABSENT);
    assert_false(err_any(&e));

    /* numbers only where the rule writes them out */
    assert_int_equal(field_text(a, body_of(a, "42"), "f", &plain, &s, &e), FIELD_INVALID);
    assert_string_equal(code_of(&e), FIELD_CODE_INVALID);
    assert_string_equal(e.entries[0].message, FIELD_MSG_STRING);
    e = (struct err){0};
    const struct field_text_rule numbers = {.numbers = true};
    assert_int_equal(field_text(a, body_of(a, "42"), "f", &numbers, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "42");
    assert_int_equal(field_text(a, body_of(a, "1.5"), "f", &numbers, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "1.5");
    static const char *const never[] = {"true", "[\"a\"]", "{}", "\"a\\u0000b\""};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        e = (struct err){0};
        assert_int_equal(field_text(a, body_of(a, never[i]), "f", &numbers, &s, &e), FIELD_INVALID);
        assert_string_equal(code_of(&e), FIELD_CODE_INVALID);
    }
}

static void test_text_bounds(void **state)
{
    struct arena *a = *state;
    const struct field_text_rule rule = {.max_chars = 5};
    const char *s = NULL;
    struct err e = {0};
    /* counted in characters, not bytes: five é are ten bytes */
    assert_int_equal(field_text(a, body_of(a, json_repeat(a, "é", 5)), "f", &rule, &s, &e), FIELD_GIVEN);
    assert_int_equal(strlen(s), 10);
    assert_int_equal(field_text(a, body_of(a, json_repeat(a, "é", 6)), "f", &rule, &s, &e), FIELD_INVALID);
    assert_string_equal(code_of(&e), FIELD_CODE_MAX_LENGTH);
    assert_string_equal(e.entries[0].message, "Ensure this field has no more than 5 characters.");
    /* counted after trimming and NFC: five decomposed é are ten characters sent */
    e = (struct err){0};
    assert_int_equal(field_text(a, body_of(a, json_repeat(a, "e\xcc\x81", 5)), "f", &rule, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "ééééé");
    assert_int_equal(field_text(a, body_of(a, "\"  abcde  \""), "f", &rule, &s, &e), FIELD_GIVEN);
    assert_false(err_any(&e));
}

static void test_text_chars_rule(void **state)
{
    struct arena *a = *state;
    const struct field_text_rule line = {0}, lines = {.multiline = true}, any = {.any_chars = true};
    const char *s = NULL;
    struct err e = {0};
    static const struct {
        const char *json, *message;
    } bad[] = {{"\"a\\u0007b\"", FIELD_MSG_CONTROL},    {"\"a\\u0085b\"", FIELD_MSG_CONTROL},
               {"\"a\\tb\"", FIELD_MSG_CONTROL},        {"\"a\\u202eb\"", FIELD_MSG_BIDI},
               {"\"a\\u2066b\"", FIELD_MSG_BIDI},       {"\"a\\u200fb\"", FIELD_MSG_BIDI},
               {"\"a\\u061cb\"", FIELD_MSG_BIDI},       {"\"a\\u200db\"", FIELD_MSG_ZERO_WIDTH},
               {"\"a\\u200bb\"", FIELD_MSG_ZERO_WIDTH}, {"\"a\\u2060b\"", FIELD_MSG_ZERO_WIDTH},
               {"\"a\\ufeffb\"", FIELD_MSG_ZERO_WIDTH}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e = (struct err){0};
        assert_int_equal(field_text(a, body_of(a, bad[i].json), "f", &line, &s, &e), FIELD_INVALID);
        assert_string_equal(code_of(&e), FIELD_CODE_INVALID);
        assert_string_equal(e.entries[0].message, bad[i].message);
        e = (struct err){0};
        assert_int_equal(field_text(a, body_of(a, bad[i].json), "f", &any, &s, &e), FIELD_GIVEN);
        assert_false(err_any(&e));
    }
    /* a line break: only in multi-line fields, where CR LF is stored as LF */
    e = (struct err){0};
    assert_int_equal(field_text(a, body_of(a, "\"one\\ntwo\""), "f", &line, &s, &e), FIELD_INVALID);
    assert_string_equal(e.entries[0].message, FIELD_MSG_CONTROL);
    e = (struct err){0};
    assert_int_equal(field_text(a, body_of(a, "\"one\\ntwo\""), "f", &lines, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "one\ntwo");
    assert_int_equal(field_text(a, body_of(a, "\"one\\r\\ntwo\""), "f", &lines, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "one\ntwo");
    assert_int_equal(field_text(a, body_of(a, "\"one\\rtwo\""), "f", &lines, &s, &e), FIELD_INVALID);
    assert_string_equal(e.entries[0].message, FIELD_MSG_CONTROL_MULTILINE);
    /* surrounding whitespace (tabs, line breaks) is trimmed before the rule */
    e = (struct err){0};
    assert_int_equal(field_text(a, body_of(a, "\"\\t Ada\\n\""), "f", &line, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "Ada");
    /* NFC on what is stored */
    assert_int_equal(field_text(a, body_of(a, "\"Rene\\u0301e\""), "f", &line, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "Ren\xc3\xa9"
                           "e");
    assert_false(err_any(&e));
}

static void test_required_text(void **state)
{
    struct arena *a = *state;
    const struct field_text_rule rule = {.max_chars = 3};
    const char *s = NULL;
    struct err e = {0};
    assert_int_equal(field_required_text(a, body_of(a, "\" ab \""), "f", &rule, &s, &e), FIELD_GIVEN);
    assert_string_equal(s, "ab");
    static const char *const missing[] = {"null", "\"\"", "\"   \""};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        e = (struct err){0};
        assert_int_equal(field_required_text(a, body_of(a, missing[i]), "f", &rule, &s, &e), FIELD_INVALID);
        assert_string_equal(code_of(&e), FIELD_CODE_REQUIRED);
        assert_string_equal(e.entries[0].message, FIELD_MSG_REQUIRED);
    }
    e = (struct err){0};
    assert_int_equal(field_required_text(a, body_of(a, "1"), "g", &rule, &s, &e), FIELD_INVALID);
    assert_string_equal(e.entries[0].field, "g");
    assert_string_equal(e.entries[0].code, FIELD_CODE_REQUIRED);
    e = (struct err){0};
    assert_int_equal(field_required_text(a, body_of(a, "\"abcd\""), "f", &rule, &s, &e), FIELD_INVALID);
    assert_string_equal(code_of(&e), FIELD_CODE_MAX_LENGTH);
}

/* ---- booleans ---- */

static void test_bool_reader(void **state)
{
    struct arena *a = *state;
    static const char *const yes[] = {"true", "1", "\"1\"", "\"true\"", "\"True\""};
    static const char *const no[] = {"false", "0", "\"0\"", "\"false\"", "\"False\""};
    struct err e = {0};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        bool b = false;
        assert_int_equal(field_bool(body_of(a, yes[i]), "f", &b, &e), FIELD_GIVEN);
        assert_true(b);
        assert_int_equal(field_bool(body_of(a, no[i]), "f", &b, &e), FIELD_GIVEN);
        assert_false(b);
    }
    assert_false(err_any(&e));
    bool b = true;
    assert_int_equal(field_bool(body_of(a, "null"), "f", &b, &e), FIELD_ABSENT);
    assert_int_equal(field_bool(body_of(a, "true"), "other", &b, &e), FIELD_ABSENT);
    assert_true(b);
    static const char *const bad[] = {"2", "-1", "\"yes\"", "\"TRUE\"", "\"\"", "1.0", "[]", "\"true\\u0000\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e = (struct err){0};
        assert_int_equal(field_bool(body_of(a, bad[i]), "f", &b, &e), FIELD_INVALID);
        assert_string_equal(code_of(&e), FIELD_CODE_INVALID);
        assert_string_equal(e.entries[0].message, FIELD_MSG_BOOLEAN);
    }
    /* query values */
    e = (struct err){0};
    assert_int_equal(field_bool_value(NULL, "f", &b, &e), FIELD_ABSENT);
    assert_int_equal(field_bool_value("True", "f", &b, &e), FIELD_GIVEN);
    assert_true(b);
    assert_int_equal(field_bool_value("0", "f", &b, &e), FIELD_GIVEN);
    assert_false(b);
    assert_int_equal(field_bool_value("on", "f", &b, &e), FIELD_INVALID);
    assert_string_equal(code_of(&e), FIELD_CODE_INVALID);
}

/* ---- integers, ids, choices ---- */

static void test_int_reader(void **state)
{
    struct arena *a = *state;
    int64_t n = 7;
    struct err e = {0};
    assert_int_equal(field_int(a, body_of(a, "null"), "f", 0, 100, &n, &e), FIELD_ABSENT);
    assert_int_equal(field_int(a, body_of(a, "100"), "f", 0, 100, &n, &e), FIELD_GIVEN); /* at the limit */
    assert_int_equal(n, 100);
    assert_int_equal(field_int(a, body_of(a, "\"-5\""), "f", -5, 0, &n, &e), FIELD_GIVEN);
    assert_int_equal(n, -5);
    assert_int_equal(field_int(a, body_of(a, "\"-9223372036854775808\""), "f", INT64_MIN, INT64_MAX, &n, &e),
                     FIELD_GIVEN);
    assert_true(n == INT64_MIN);
    assert_false(err_any(&e));
    assert_int_equal(field_int(a, body_of(a, "101"), "f", 0, 100, &n, &e), FIELD_INVALID); /* one past */
    assert_string_equal(code_of(&e), FIELD_CODE_INVALID);
    assert_string_equal(e.entries[0].message, "Ensure this value is between 0 and 100.");
    static const char *const bad[] = {"\"\"", "\"1x\"", "\" 1\"", "\"+1\"", "1.5", "true", "\"99999999999999999999\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e = (struct err){0};
        assert_int_equal(field_int(a, body_of(a, bad[i]), "f", INT64_MIN, INT64_MAX, &n, &e), FIELD_INVALID);
        assert_string_equal(e.entries[0].message, FIELD_MSG_INTEGER);
    }
}

static void test_id_reader(void **state)
{
    struct arena *a = *state;
    static const struct {
        const char *json;
        int64_t id;
    } good[] = {{"1", 1}, {"\"42\"", 42}, {"\" 42 \"", 42}, {"\"999999999999999999\"", 999999999999999999LL}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t id = 0;
        assert_true(field_parse_id(json_object_get(body_of(a, good[i].json), "f"), &id));
        assert_true(id == good[i].id);
    }
    static const char *const bad[] = {
        "0", "-1", "\"0\"", "\"\"", "\"1,2\"", "1.0", "true", "null", "[1]", "\"1000000000000000000\"", "\"1\\u0000\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t id = 0;
        assert_false(field_parse_id(json_object_get(body_of(a, bad[i]), "f"), &id));
    }
}

static void test_enum_reader(void **state)
{
    struct arena *a = *state;
    static const char *const values[] = {"recent", "last_activity", NULL};
    const char *s = NULL;
    struct err e = {0};
    assert_int_equal(field_enum(a, body_of(a, "\" recent \""), "f", values, NULL, &s, &e), FIELD_GIVEN);
    assert_ptr_equal(s, values[0]); /* the list's own string */
    assert_int_equal(field_enum(a, body_of(a, "1"), "other", values, NULL, &s, &e), FIELD_ABSENT);
    assert_int_equal(field_enum(a, body_of(a, "\"Recent\""), "f", values, NULL, &s, &e), FIELD_INVALID);
    assert_string_equal(code_of(&e), FIELD_CODE_INVALID_CHOICE);
    assert_string_equal(e.entries[0].message, "\"Recent\" is not a valid choice.");
    e = (struct err){0};
    assert_int_equal(field_enum(a, body_of(a, "\"x\""), "f", values, "Pick one.", &s, &e), FIELD_INVALID);
    assert_string_equal(e.entries[0].message, "Pick one.");
    e = (struct err){0};
    assert_int_equal(field_enum(a, body_of(a, "null"), "f", values, NULL, &s, &e), FIELD_INVALID);
    assert_string_equal(code_of(&e), FIELD_CODE_NULL);
    assert_null(field_choice(values, "recent "));
}

struct collected {
    size_t index[8];
    bool desc[8];
    size_t n, max;
};

static bool collect(void *ctx, size_t index, bool desc)
{
    struct collected *c = ctx;
    c->index[c->n] = index;
    c->desc[c->n++] = desc;
    return c->n < c->max;
}

static void test_ordering(void **state)
{
    (void)state;
    static const char *const names[] = {"username", "id", "name"};
    struct collected c = {.max = 8};
    field_ordering("-id,bogus,,username,-,name,-name", names, 3, collect, &c);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.index[0], 1);
    assert_true(c.desc[0]);
    assert_int_equal(c.index[1], 0);
    assert_false(c.desc[1]);
    assert_int_equal(c.index[2], 2);
    assert_false(c.desc[2]);
    assert_int_equal(c.index[3], 2);
    assert_true(c.desc[3]);
    c = (struct collected){.max = 2}; /* stops when the list is full */
    field_ordering("id,name,username", names, 3, collect, &c);
    assert_int_equal(c.n, 2);
    c = (struct collected){.max = 8};
    field_ordering(NULL, names, 3, collect, &c);
    field_ordering("user,ID,names", names, 3, collect, &c); /* exact names only */
    assert_int_equal(c.n, 0);
}

static void test_bound_messages(void **state)
{
    struct arena *a = *state;
    struct err e = {0};
    field_error_max_chars(a, &e, "f", 255);
    assert_string_equal(e.entries[0].message, "Ensure this field has no more than 255 characters.");
    e = (struct err){0};
    field_error_max_items(a, &e, "f", 20);
    assert_string_equal(e.entries[0].message, "Ensure this field has no more than 20 elements.");
    e = (struct err){0};
    field_error_query_max(a, &e, "f", FIELD_CODE_MAX_LENGTH, 255);
    assert_string_equal(e.entries[0].message, "Ensure this value has at most 255 characters.");
    e = (struct err){0};
    field_error_does_not_exist(a, &e, "f", 9);
    assert_string_equal(code_of(&e), FIELD_CODE_DOES_NOT_EXIST);
    assert_string_equal(e.entries[0].message, "Invalid pk \"9\" - object does not exist.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_bool_spellings),
        cmocka_unit_test(test_parse_id),
        cmocka_unit_test(test_check_chars),
        cmocka_unit_test_setup_teardown(test_nfc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_chars_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bool_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_id_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enum_reader, setup, teardown),
        cmocka_unit_test(test_ordering),
        cmocka_unit_test_setup_teardown(test_bound_messages, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
