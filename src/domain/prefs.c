/* prefs.c - dynamic preferences: typed reads and validated updates. */
#include "domain/prefs.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "domain/colour.h"
#include "store/store.h"

bool prefs_get_bool(struct store *st, struct arena *a, const char *section, const char *name, bool dflt)
{
    struct pref p;
    struct err e = {0};
    if (store_pref_get(st, a, section, name, &p, &e) != 1 || !json_is_boolean(p.value))
        return dflt;
    return json_is_true(p.value);
}

bool prefs_follow_enabled(struct store *st, struct arena *a)
{
    return prefs_get_bool(st, a, "configurations", "follow_enabled", true);
}

bool prefs_split_key(struct arena *a, const char *key, const char **section, const char **name)
{
    const char *dot = strchr(key, '.');
    if (!dot || dot == key || !dot[1] || strchr(dot + 1, '.'))
        return false;
    *section = arena_strndup(a, key, (size_t)(dot - key));
    *name = arena_strdup(a, dot + 1);
    return true;
}

json_t *prefs_json(const struct pref *p)
{
    return json_pack("{s:I, s:s, s:s, s:O}", "id", (json_int_t)p->id, "section", p->section, "name", p->name, "value",
                     p->value);
}

/* Whether `v` may replace `current` (same JSON type; integers and reals
 * are both numbers). */
static bool same_type(const json_t *current, const json_t *v)
{
    if (json_is_boolean(current))
        return json_is_boolean(v);
    if (json_is_number(current))
        return json_is_number(v);
    return json_typeof(current) == json_typeof(v);
}

/* Finds the preference named by `key`: "section.name", or a bare name that
 * is unique across sections. */
static int find_pref(struct store *st, struct arena *a, const char *key, struct pref *out, struct err *e)
{
    const char *section, *name;
    if (prefs_split_key(a, key, &section, &name))
        return store_pref_get(st, a, section, name, out, e);
    struct pref *all;
    int n, found = 0;
    if (!store_pref_list(st, a, &all, &n, e))
        return -1;
    for (int i = 0; i < n; i++)
        if (!strcmp(all[i].name, key)) {
            *out = all[i];
            found++;
        }
    return found == 1 ? 1 : 0;
}

bool prefs_update(struct store *st, struct arena *a, json_t *changes, json_t **updated, struct err *e)
{
    if (!json_is_object(changes) || json_object_size(changes) == 0)
        return err_set(e, ERR_INVALID, "invalid", "Expected an object of preference names and values.");
    const char *key;
    json_t *v;
    /* the same row named twice ("name" and "section.name") is ambiguous */
    int64_t *seen = arena_alloc(a, sizeof *seen * json_object_size(changes));
    size_t nseen = 0;
    json_object_foreach(changes, key, v)
    {
        struct pref p;
        int found = find_pref(st, a, key, &p, e);
        if (found < 0)
            return false;
        if (!found) {
            err_field(e, arena_strdup(a, key), "not_found", "No such preference.");
            continue;
        }
        if (!same_type(p.value, v))
            err_field(e, arena_strdup(a, key), "invalid", "The value has the wrong type for this preference.");
        else if (!strcmp(p.section, PREFS_COLOUR_SECTION) && json_is_string(v) &&
                 !colour_is_css(json_string_value(v), json_string_length(v)))
            err_field(e, arena_strdup(a, key), "invalid",
                      "Enter a CSS colour: #rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla() or a colour name.");
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == p.id)
                err_field(e, arena_strdup(a, key), "duplicate", "This preference is named twice.");
        seen[nseen++] = p.id;
    }
    if (err_any(e))
        return false;
    if (!store_begin(st, e))
        return false;
    json_t *rows = json_array();
    json_object_foreach(changes, key, v)
    {
        struct pref p;
        if (find_pref(st, a, key, &p, e) != 1 || !store_pref_set(st, p.id, v, e)) {
            store_rollback(st);
            json_decref(rows);
            return err_any(e) ? false : err_internal(e);
        }
        p.value = v;
        json_array_append_new(rows, prefs_json(&p));
    }
    if (!store_commit(st, e)) {
        json_decref(rows);
        return false;
    }
    *updated = rows;
    return true;
}

/* The form string `s` read as the type of `current`: a new value, or NULL
 * when it does not read as one. */
static json_t *form_value(const json_t *current, const char *s)
{
    if (json_is_boolean(current)) {
        bool b;
        return text_parse_bool(s, strlen(s), &b) ? json_boolean(b) : NULL;
    }
    if (json_is_number(current) && *s) {
        char *end;
        errno = 0;
        long long n = strtoll(s, &end, 10);
        if (!*end && !errno)
            return json_integer(n);
        double d = strtod(s, &end);
        if (!*end && !errno && isfinite(d))
            return json_real(d);
        return NULL;
    }
    if (json_is_string(current))
        return json_string(s);
    return NULL;
}

bool prefs_update_form(struct store *st, struct arena *a, json_t *changes, json_t **updated, struct err *e)
{
    if (!json_is_object(changes))
        return prefs_update(st, a, changes, updated, e);
    json_t *typed = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(changes, key, v)
    {
        struct pref p;
        json_t *t = NULL;
        if (json_is_string(v)) {
            int found = find_pref(st, a, key, &p, e);
            if (found < 0) {
                json_decref(typed);
                return false;
            }
            if (found)
                t = form_value(p.value, json_string_value(v));
        }
        json_object_set_new(typed, key, t ? t : json_incref(v));
    }
    bool ok = prefs_update(st, a, typed, updated, e);
    json_decref(typed);
    return ok;
}
