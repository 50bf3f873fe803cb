/* settings.h - a user's notification settings (schemas/userSettings.md,
 * contract §7): seven small enumerations, read and partly updated by their
 * owner only. Users without a stored row have the defaults of the schema's
 * example; the row is created on the first write.
 */
#ifndef HEARTH_DOMAIN_SETTINGS_H
#define HEARTH_DOMAIN_SETTINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/user.h"

struct store;

enum { SETTINGS_COUNT = 7 };

/* The settings' names, in the schema example's order (the order of values
 * in struct user_settings and in the JSON rendering). */
extern const char *const settings_names[SETTINGS_COUNT];

struct user_settings {
    int values[SETTINGS_COUNT];
};

/* The defaults (the schema's example). */
void settings_defaults(struct user_settings *out);

/* The settings of user `id` for the caller: 404 if the user does not exist
 * or is hard deleted, 403 unless the caller is that user. */
bool settings_get(struct store *st, struct arena *a, const struct principal *who, int64_t id, struct user_settings *out,
                  struct err *e);

/* A partial update from `fields` (an object; unknown keys ignored): every
 * given setting must be one of its enumerated values, as a JSON integer or
 * a string of digits (forms); any invalid one fails the whole update with a
 * field error per setting (codes "invalid", "invalid_choice", "null").
 * Same access rule as settings_get. *out is the stored result. */
bool settings_update(struct store *st, struct arena *a, const struct principal *who, int64_t id, json_t *fields,
                     struct user_settings *out, struct err *e);

#endif
