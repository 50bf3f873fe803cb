/* prefs.h - dynamic preferences (contract §6): typed JSON values read per
 * request, so a change is seen by the next request. */
#ifndef HEARTH_DOMAIN_PREFS_H
#define HEARTH_DOMAIN_PREFS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/arena.h"
#include "core/err.h"

struct store;
struct pref;

/* The section of the theme colours: every value there is a CSS colour
 * (domain/colour.h), checked by prefs_update. */
#define PREFS_COLOUR_SECTION "colors"

/* A boolean preference; `dflt` when missing or not a boolean. */
bool prefs_get_bool(struct store *st, struct arena *a, const char *section, const char *name, bool dflt);

/* configurations.follow_enabled: true = follow mode, false = friendship. */
bool prefs_follow_enabled(struct store *st, struct arena *a);

/* Splits "section.name" (one dot) into its parts (arena copies). */
bool prefs_split_key(struct arena *a, const char *key, const char **section, const char **name);

/* Applies {"name" | "section.name": value, ...} atomically: every key must
 * name one existing preference and every value have the type of its current
 * value (booleans stay booleans, ...), and colours be CSS colours, else 400
 * and nothing changes. On success *updated is a JSON array of the updated
 * rows (new reference). */
bool prefs_update(struct store *st, struct arena *a, json_t *changes, json_t **updated, struct err *e);

/* As prefs_update, for a form body (contract §1), whose values are all
 * strings: each is first read as its preference's type (booleans as
 * 1/true/True or 0/false/False, numbers in decimal); a string that does not
 * read as that type stays a string and fails the type check. */
bool prefs_update_form(struct store *st, struct arena *a, json_t *changes, json_t **updated, struct err *e);

/* The JSON object of one preference row {id, section, name, value}. */
json_t *prefs_json(const struct pref *p);

#endif
