/* settings.c - notification settings: defaults, enumerations, partial
 * updates (see settings.h). */
#include "domain/settings.h"

#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "store/store.h"

_Static_assert((int)SETTINGS_COUNT == (int)STORE_SETTINGS_COUNT, "the store keeps every setting");

const char *const settings_names[SETTINGS_COUNT] = {
    "qa_frequency",
    "email_notification_not_qa",
    "interests_frequency",
    "engagement_frequency",
    "mobile_notifications_scmty",
    "toast_notifications_emit_sound",
    "show_toast_notifications",
};

/* The schema's example values, in settings_names order. */
static const int settings_default_values[SETTINGS_COUNT] = {-1, 1, -1, 1, 1, 1, 1};

/* The enumerated values of each setting (schemas/userSettings.md); a list
 * ends at the first repeated value. */
enum { SETTINGS_MAX_CHOICES = 3 };
static const int settings_choices[SETTINGS_COUNT][SETTINGS_MAX_CHOICES] = {
    {-1, 1, 0}, /* qa_frequency: immediately, daily, never */
    {1, 0, 0},  /* email_notification_not_qa */
    {-1, 0, 0}, /* interests_frequency */
    {1, 0, 0},  /* engagement_frequency */
    {1, 0, 0},  /* mobile_notifications_scmty */
    {1, 0, 0},  /* toast_notifications_emit_sound */
    {1, 0, 0},  /* show_toast_notifications */
};

/* Longest accepted text form of a value ("-1"), with room to report longer
 * ones as invalid choices rather than overflow. */
enum { SETTINGS_VALUE_DIGITS = 9 };

void settings_defaults(struct user_settings *out) { memcpy(out->values, settings_default_values, sizeof out->values); }

static bool settings_load(struct store *st, int64_t id, struct user_settings *out, struct err *e)
{
    settings_defaults(out);
    return store_settings_get(st, id, out->values, e) >= 0;
}

bool settings_get(struct store *st, struct arena *a, const struct principal *who, int64_t id, struct user_settings *out,
                  struct err *e)
{
    struct user u;
    return account_require_owner(st, a, who, id, &u, e) && settings_load(st, id, out, e);
}

static bool is_choice(int i, long v)
{
    for (int k = 0; k < SETTINGS_MAX_CHOICES; k++)
        if (settings_choices[i][k] == v)
            return true;
    return false;
}

/* One setting's value: a JSON integer, or a string of an optional '-' and
 * 1..SETTINGS_VALUE_DIGITS digits (forms send text). */
static bool read_value(int i, json_t *v, int *out, struct err *e)
{
    const char *name = settings_names[i];
    long n;
    if (json_is_null(v))
        return err_field(e, name, "null", "This field may not be null.");
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        n = x < -1000 || x > 1000 ? 1001 : (long)x; /* out of every range, without overflow */
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v), *p = s;
        if (*p == '-')
            p++;
        size_t digits = strspn(p, "0123456789");
        if (digits == 0 || p[digits] || digits > SETTINGS_VALUE_DIGITS || strlen(s) != json_string_length(v))
            return err_field(e, name, "invalid", "A valid integer is required.");
        n = strtol(s, NULL, 10);
    } else {
        return err_field(e, name, "invalid", "A valid integer is required.");
    }
    if (!is_choice(i, n))
        return err_field(e, name, "invalid_choice", "This value is not one of the allowed choices.");
    *out = (int)n;
    return true;
}

bool settings_update(struct store *st, struct arena *a, const struct principal *who, int64_t id, json_t *fields,
                     struct user_settings *out, struct err *e)
{
    struct user u;
    if (!account_require_owner(st, a, who, id, &u, e))
        return false;
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, "invalid", "Expected an object.");
    bool given[SETTINGS_COUNT] = {false};
    int values[SETTINGS_COUNT] = {0};
    for (int i = 0; i < SETTINGS_COUNT; i++) {
        json_t *v = json_object_get(fields, settings_names[i]);
        if (v && read_value(i, v, &values[i], e))
            given[i] = true;
    }
    if (err_any(e))
        return false;
    /* read-modify-write under the write lock: two partial updates of
     * different settings both land */
    if (!store_begin(st, e))
        return false;
    if (!store_lock_users(st, &id, 1, e) || !settings_load(st, id, out, e)) {
        store_rollback(st);
        return false;
    }
    for (int i = 0; i < SETTINGS_COUNT; i++)
        if (given[i])
            out->values[i] = values[i];
    if (!store_settings_put(st, id, out->values, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}
