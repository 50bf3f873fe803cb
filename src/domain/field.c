/* field.c - request fields as DRF reads them (see field.h). */
#include "domain/field.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* ================================================================ */
/* errors that state a bound                                        */

bool field_error_required(struct err *e, const char *name)
{
    return err_field(e, name, FIELD_CODE_REQUIRED, FIELD_MSG_REQUIRED);
}

bool field_error_max_chars(struct arena *a, struct err *e, const char *name, long max)
{
    return err_field(e, name, FIELD_CODE_MAX_LENGTH, arena_printf(a, FIELD_FMT_MAX_CHARS, max));
}

bool field_error_max_items(struct arena *a, struct err *e, const char *name, long max)
{
    return err_field(e, name, FIELD_CODE_MAX_LENGTH, arena_printf(a, FIELD_FMT_MAX_ITEMS, max));
}

bool field_error_query_max(struct arena *a, struct err *e, const char *name, const char *code, long max)
{
    return err_field(e, name, code, arena_printf(a, FIELD_FMT_QUERY_MAX, max));
}

bool field_error_does_not_exist(struct arena *a, struct err *e, const char *name, int64_t id)
{
    return err_field(e, name, FIELD_CODE_DOES_NOT_EXIST, arena_printf(a, FIELD_FMT_DOES_NOT_EXIST, (long long)id));
}

/* ================================================================ */
/* text                                                             */

bool field_check_chars(const char *name, const char *s, bool multiline, struct err *e)
{
    switch (text_check_chars(s, multiline)) {
    case TEXT_CHARS_OK: return true;
    case TEXT_CHARS_INVALID: return err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_UTF8);
    case TEXT_CHARS_CONTROL:
        return err_field(e, name, FIELD_CODE_INVALID, multiline ? FIELD_MSG_CONTROL_MULTILINE : FIELD_MSG_CONTROL);
    case TEXT_CHARS_BIDI: return err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_BIDI);
    case TEXT_CHARS_ZERO_WIDTH: return err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_ZERO_WIDTH);
    }
    return err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_STRING);
}

/* CR LF to LF in place: a form's textarea sends CR LF line breaks. */
static void crlf_to_lf(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++)
        if (!(r[0] == '\r' && r[1] == '\n'))
            *w++ = *r;
    *w = '\0';
}

enum field_read field_text(struct arena *a, json_t *body, const char *name, const struct field_text_rule *rule,
                           const char **out, struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v)
        return FIELD_ABSENT;
    if (json_is_null(v)) {
        switch (rule->null) {
        case FIELD_NULL_ERROR: err_field(e, name, FIELD_CODE_NULL, FIELD_MSG_NULL); return FIELD_INVALID;
        case FIELD_NULL_NULL: *out = NULL; return FIELD_GIVEN;
        case FIELD_NULL_EMPTY: *out = ""; return FIELD_GIVEN;
        case FIELD_NULL_ABSENT: return FIELD_ABSENT;
        }
    }
    const char *s;
    size_t n;
    if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)) {
        s = json_string_value(v);
        n = json_string_length(v);
    } else if (rule->numbers && json_is_integer(v)) {
        s = arena_printf(a, "%lld", (long long)json_integer_value(v));
        n = strlen(s);
    } else if (rule->numbers && json_is_real(v)) {
        s = arena_printf(a, "%.17g", json_real_value(v));
        n = strlen(s);
    } else {
        /* another type, or a string holding a NUL */
        err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_STRING);
        return FIELD_INVALID;
    }
    if (!rule->keep_whitespace)
        text_trim_span(&s, &n);
    char *t = arena_strndup(a, s, n);
    if (!rule->any_chars) {
        if (rule->multiline)
            crlf_to_lf(t);
        if (!field_check_chars(name, t, rule->multiline, e))
            return FIELD_INVALID;
        if (!(t = text_nfc(a, t))) {
            err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_UTF8);
            return FIELD_INVALID;
        }
    }
    if (rule->max_chars > 0) {
        long chars = text_chars(t);
        if (chars < 0) {
            err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_UTF8);
            return FIELD_INVALID;
        }
        if (chars > rule->max_chars) {
            field_error_max_chars(a, e, name, rule->max_chars);
            return FIELD_INVALID;
        }
    }
    *out = t;
    return FIELD_GIVEN;
}

enum field_read field_required_text(struct arena *a, json_t *body, const char *name, const struct field_text_rule *rule,
                                    const char **out, struct err *e)
{
    struct field_text_rule r = *rule;
    if (r.null == FIELD_NULL_ERROR)
        r.null = FIELD_NULL_NULL; /* null is "required" here, as DRF says for a missing value */
    const char *s = NULL;
    enum field_read got = field_text(a, body, name, &r, &s, e);
    if (got == FIELD_INVALID)
        return FIELD_INVALID;
    if (got == FIELD_ABSENT || !s || !*s) {
        field_error_required(e, name);
        return FIELD_INVALID;
    }
    *out = s;
    return FIELD_GIVEN;
}

/* ================================================================ */
/* booleans, integers, ids, choices                                 */

bool field_parse_bool(const json_t *v, bool *out)
{
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return true;
    }
    if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
        *out = json_integer_value(v) == 1;
        return true;
    }
    return json_is_string(v) && text_parse_bool(json_string_value(v), json_string_length(v), out);
}

enum field_read field_bool(json_t *body, const char *name, bool *out, struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v))
        return FIELD_ABSENT;
    if (field_parse_bool(v, out))
        return FIELD_GIVEN;
    err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_BOOLEAN);
    return FIELD_INVALID;
}

enum field_read field_bool_value(const char *value, const char *name, bool *out, struct err *e)
{
    if (!value)
        return FIELD_ABSENT;
    if (text_parse_bool(value, strlen(value), out))
        return FIELD_GIVEN;
    err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_BOOLEAN);
    return FIELD_INVALID;
}

enum field_read field_int(struct arena *a, json_t *body, const char *name, int64_t min, int64_t max, int64_t *out,
                          struct err *e)
{
    enum { INT_TEXT_MAX = 20 }; /* bytes of a decimal int64 with its sign */
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v))
        return FIELD_ABSENT;
    bool ok = false;
    long long n = 0;
    if (json_is_integer(v)) {
        n = json_integer_value(v);
        ok = true;
    } else if (json_is_string(v)) {
        /* decimal digits with an optional '-': no spaces, no '+', no overflow */
        const char *s = json_string_value(v);
        char *end = NULL;
        errno = 0;
        n = strtoll(s, &end, 10);
        ok = ((s[0] >= '0' && s[0] <= '9') || s[0] == '-') && *end == '\0' && errno != ERANGE &&
             strlen(s) <= INT_TEXT_MAX;
    }
    if (!ok) {
        err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_INTEGER);
        return FIELD_INVALID;
    }
    if (n < min || n > max) {
        err_field(e, name, FIELD_CODE_INVALID, arena_printf(a, FIELD_FMT_RANGE, (long long)min, (long long)max));
        return FIELD_INVALID;
    }
    *out = n;
    return FIELD_GIVEN;
}

bool field_parse_id(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        if (json_integer_value(v) <= 0)
            return false;
        *out = json_integer_value(v);
        return true;
    }
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    text_trim_span(&s, &n);
    return text_parse_id(s, n, out);
}

const char *field_choice(const char *const *values, const char *s)
{
    for (const char *const *v = values; *v; v++)
        if (!strcmp(*v, s))
            return *v;
    return NULL;
}

enum field_read field_enum(struct arena *a, json_t *body, const char *name, const char *const *values,
                           const char *message, const char **out, struct err *e)
{
    enum { CHOICE_MAX = 32 }; /* characters of a choice: longer ones match nothing */
    static const struct field_text_rule rule = {.max_chars = CHOICE_MAX};
    const char *s;
    enum field_read got = field_text(a, body, name, &rule, &s, e);
    if (got != FIELD_GIVEN)
        return got;
    if (!(*out = field_choice(values, s))) {
        err_field(e, name, FIELD_CODE_INVALID_CHOICE, message ? message : arena_printf(a, FIELD_FMT_CHOICE, s));
        return FIELD_INVALID;
    }
    return FIELD_GIVEN;
}

void field_ordering(const char *ordering, const char *const *names, size_t n,
                    bool (*add)(void *ctx, size_t index, bool desc), void *ctx)
{
    if (!ordering)
        return;
    for (const char *p = ordering; *p;) {
        size_t len = strcspn(p, ",");
        bool desc = len > 0 && *p == '-';
        const char *name = desc ? p + 1 : p;
        size_t nlen = desc ? len - 1 : len;
        for (size_t i = 0; i < n; i++)
            if (strlen(names[i]) == nlen && !strncmp(names[i], name, nlen)) {
                if (!add(ctx, i, desc))
                    return;
                break;
            }
        p += len;
        if (*p == ',')
            p++;
    }
}

const char *field_password(json_t *body, const char *name, struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        field_error_required(e, name);
        return NULL;
    }
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        err_field(e, name, FIELD_CODE_INVALID, FIELD_MSG_STRING);
        return NULL;
    }
    return json_string_value(v);
}
