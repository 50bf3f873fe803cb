/* field.h - request fields as Django REST Framework reads them: text,
 * booleans, integers, ids and choices, with the contract's error codes and
 * messages (contract §1, §2). Every module that reads a request body or a
 * query value uses these, so one rule has one home.
 *
 * Readers take the body's JSON object (any encoding parses into one: forms
 * give strings), add at most one field error to `e` on failure, and return
 * whether the field was absent, given or wrong. Strings they return are
 * arena copies or the body's own strings (the body outlives the request).
 * Thread-safe.
 */
#ifndef HEARTH_DOMAIN_FIELD_H
#define HEARTH_DOMAIN_FIELD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

/* Error codes (contract §2). */
#define FIELD_CODE_INVALID "invalid"
#define FIELD_CODE_REQUIRED "required"
#define FIELD_CODE_NULL "null"
#define FIELD_CODE_BLANK "blank"
#define FIELD_CODE_MAX_LENGTH "max_length"
#define FIELD_CODE_INVALID_CHOICE "invalid_choice"
#define FIELD_CODE_INCORRECT_TYPE "incorrect_type"
#define FIELD_CODE_DOES_NOT_EXIST "does_not_exist"
#define FIELD_CODE_NOT_A_LIST "not_a_list"

/* Messages (DRF's wording where DRF has one). */
#define FIELD_MSG_OBJECT "Expected an object."
#define FIELD_MSG_REQUIRED "This field is required."
#define FIELD_MSG_NULL "This field may not be null."
#define FIELD_MSG_BLANK "This field may not be blank."
#define FIELD_MSG_STRING "Not a valid string."
#define FIELD_MSG_UTF8 "Not valid UTF-8."
#define FIELD_MSG_BOOLEAN "Must be a valid boolean."
#define FIELD_MSG_INTEGER "A valid integer is required."
#define FIELD_MSG_PK_TYPE "Incorrect type. Expected pk value."
#define FIELD_MSG_NOT_A_LIST "Expected a list of items."
#define FIELD_MSG_CONTROL "Control characters are not allowed."
#define FIELD_MSG_CONTROL_MULTILINE "Control characters other than line breaks are not allowed."
#define FIELD_MSG_BIDI "Bidirectional control characters are not allowed."
#define FIELD_MSG_ZERO_WIDTH "Zero-width characters are not allowed."
/* Formats, filled by the functions below from the bound's constant. */
#define FIELD_FMT_MAX_CHARS "Ensure this field has no more than %ld characters."
#define FIELD_FMT_MAX_ITEMS "Ensure this field has no more than %ld elements."
#define FIELD_FMT_QUERY_MAX "Ensure this value has at most %ld characters."
#define FIELD_FMT_RANGE "Ensure this value is between %lld and %lld."
#define FIELD_FMT_CHOICE "\"%s\" is not a valid choice."
#define FIELD_FMT_DOES_NOT_EXIST "Invalid pk \"%lld\" - object does not exist."

/* What a reader found. */
enum field_read {
    FIELD_ABSENT,  /* not in the body (or, where the reader says so, null) */
    FIELD_GIVEN,   /* read; the output is set */
    FIELD_INVALID, /* given but wrong; one field error was added */
};

/* How a text field reads JSON null. */
enum field_null {
    FIELD_NULL_ERROR, /* DRF's default: "null" error */
    FIELD_NULL_NULL,  /* allow_null: *out = NULL */
    FIELD_NULL_EMPTY, /* *out = "": null clears the field */
    FIELD_NULL_ABSENT /* null reads as if the field were not sent */
};

/* The rule of one text field. Zero-initialised: a required-by-nothing,
 * unbounded, single-line CharField that rejects null and numbers. */
struct field_text_rule {
    long max_chars; /* 0: no bound. Counted in characters after NFC */
    enum field_null null;
    bool numbers;         /* JSON numbers are written out as text (DRF's CharField) */
    bool multiline;       /* line breaks allowed (CR LF is stored as LF) */
    bool keep_whitespace; /* no trimming (DRF trim_whitespace=False) */
    bool any_chars;       /* no character rule and no NFC: codes, markup */
};

/* A text field: trimmed, NFC, the character rule of names and free text
 * (text_check_chars), then the bound. *out is set on FIELD_GIVEN only. */
enum field_read field_text(struct arena *a, json_t *body, const char *name, const struct field_text_rule *rule,
                           const char **out, struct err *e);

/* As field_text, for a required field: absent, null or "" is "required"
 * (FIELD_INVALID). */
enum field_read field_required_text(struct arena *a, json_t *body, const char *name, const struct field_text_rule *rule,
                                    const char **out, struct err *e);

/* The character rule alone, for text read another way: adds the field
 * error and returns false if s breaks it. */
bool field_check_chars(const char *name, const char *s, bool multiline, struct err *e);

/* A boolean (DRF's BooleanField): JSON true/false, the integers 1/0, or a
 * spelling of text_parse_bool. Absent or null: FIELD_ABSENT. */
enum field_read field_bool(json_t *body, const char *name, bool *out, struct err *e);

/* The same for a query value (NULL: absent). */
enum field_read field_bool_value(const char *value, const char *name, bool *out, struct err *e);

/* A boolean JSON value (a boolean, 1/0, or a spelling): false if none. */
bool field_parse_bool(const json_t *v, bool *out);

/* An integer (a JSON integer or a decimal string) in [min, max]. Absent or
 * null: FIELD_ABSENT. */
enum field_read field_int(struct arena *a, json_t *body, const char *name, int64_t min, int64_t max, int64_t *out,
                          struct err *e);

/* An id value: a JSON integer above 0, or a string of text_parse_id
 * (surrounding whitespace allowed). False if v is none. */
bool field_parse_id(const json_t *v, int64_t *out);

/* One of `values` (NULL-terminated); *out is the list's own string. An
 * unknown value is "invalid_choice" with `message`, or DRF's message when
 * NULL. Absent: FIELD_ABSENT; null: "null" error. */
enum field_read field_enum(struct arena *a, json_t *body, const char *name, const char *const *values,
                           const char *message, const char **out, struct err *e);

/* The value of `values` equal to s, or NULL. */
const char *field_choice(const char *const *values, const char *s);

/* The terms of an `ordering` parameter (contract §3): comma-separated
 * names, '-' before one for descending. For each term whose name is one of
 * names[0..n), in order, calls add(ctx, index, desc); stops when add returns
 * false (the caller's list is full). Unknown names are skipped. */
void field_ordering(const char *ordering, const char *const *names, size_t n,
                    bool (*add)(void *ctx, size_t index, bool desc), void *ctx);

/* A password field, taken as sent (no trimming: a space may belong to it):
 * a non-empty string without NUL, else a field error on `name` and NULL. */
const char *field_password(json_t *body, const char *name, struct err *e);

/* Adders for the errors that state a bound; each returns false. */
bool field_error_required(struct err *e, const char *name);
bool field_error_max_chars(struct arena *a, struct err *e, const char *name, long max);
bool field_error_max_items(struct arena *a, struct err *e, const char *name, long max);
bool field_error_query_max(struct arena *a, struct err *e, const char *name, const char *code, long max);
bool field_error_does_not_exist(struct arena *a, struct err *e, const char *name, int64_t id);

#endif
