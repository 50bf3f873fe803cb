/* pg_seed_file.c - the fixture loader of `hearth seed --file` on
 * PostgreSQL: a small hand-written population (JSON, store/seed.h) through
 * ordinary inserts in one transaction, with the folded columns and
 * search_words written as every other user write does (sqlite_seed_file.c
 * is the SQLite twin; the same document gives the same rows). */
#include "store/seed.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/geo.h"
#include "core/text.h"
#include "store/pg_internal.h"
#include "store/pg_search.h"
#include "store/store.h"

static const char *opt_str(json_t *o, const char *name)
{
    const char *s = json_string_value(json_object_get(o, name));
    return s && *s ? s : NULL;
}

static int64_t id_by_name(json_t *map, const char *name) { return json_integer_value(json_object_get(map, name)); }

/* "lat,lng" as two parameters ("%.17g" reads back exactly), NULLs when s
 * is NULL; false when s is not "lat,lng". */
static bool latlng_text(const char *s, char out[2][32], const char *v[2])
{
    double lat, lng;
    v[0] = v[1] = NULL;
    if (!s)
        return true;
    if (!geo_parse_latlng(s, &lat, &lng))
        return false;
    snprintf(out[0], sizeof out[0], "%.17g", lat);
    snprintf(out[1], sizeof out[1], "%.17g", lng);
    v[0] = out[0], v[1] = out[1];
    return true;
}

/* tags: {"name", "type"?, "visible"?, "active"?, "deleted"?}; their ids
 * go into `tags` by name. */
static bool load_tags(struct store *st, struct arena *a, json_t *doc, json_t *tags, struct err *e)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "tags"), i, v)
    {
        json_t *vis = json_object_get(v, "visible"), *act = json_object_get(v, "active"),
               *del = json_object_get(v, "deleted");
        const char *name = opt_str(v, "name");
        int64_t id;
        if (pg_int(st, &id, e,
                   "INSERT INTO tags (type, name, name_fold, color, visible, active, deleted, created_us) "
                   "VALUES (coalesce($1, 'user'), $2, $3, '#3B3B3B', $4, $5, $6, $7) RETURNING id",
                   "sssiiii", opt_str(v, "type"), name, name ? text_fold(a, name) : NULL,
                   (int64_t)(vis ? json_is_true(vis) : 1), (int64_t)(act ? json_is_true(act) : 1),
                   (int64_t)(del ? json_is_true(del) : 0), clock_now_us()) != 1)
            return false;
        json_object_set_new(tags, name, json_integer(id));
    }
    return true;
}

/* categories: names; their ids go into `categories` by name. */
static bool load_categories(struct store *st, struct arena *a, json_t *doc, json_t *categories, struct err *e)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "categories"), i, v)
    {
        if (!json_is_string(v))
            break;
        const char *name = json_string_value(v);
        int64_t id;
        if (pg_int(st, &id, e,
                   "INSERT INTO categories (name, name_fold, slug, lastmod_us) VALUES ($1, $2, lower($1), $3) "
                   "RETURNING id",
                   "ssi", name, text_fold(a, name), clock_now_us()) != 1)
            return false;
        json_object_set_new(categories, name, json_integer(id));
    }
    return true;
}

/* users, with their folds and words, tags and categories (by name); their
 * ids go into `users` by username. */
static bool load_users(struct store *st, struct arena *a, json_t *doc, json_t *tags, json_t *categories, json_t *users,
                       struct err *e)
{
    size_t i, total = json_array_size(json_object_get(doc, "users"));
    json_t *v;
    json_array_foreach(json_object_get(doc, "users"), i, v)
    {
        const char *username = opt_str(v, "username"), *real_name = opt_str(v, "real_name"),
                   *location = opt_str(v, "location"), *description = opt_str(v, "description"),
                   *email = opt_str(v, "email");
        char lb[2][32], pb[2][32];
        const char *ll[2], *pl[2];
        if (!latlng_text(opt_str(v, "location_lat_lng"), lb, ll) ||
            !latlng_text(opt_str(v, "position_lat_lng"), pb, pl))
            return err_field(e, "users", "invalid", "lat_lng values must be \"lat,lng\".");
        const char *uf = username ? text_fold(a, username) : NULL, *rf = text_fold(a, real_name ? real_name : ""),
                   *lf = text_fold(a, location ? location : ""), *df = text_fold(a, description ? description : "");
        char *words = pg_search_words_dup(uf, rf, lf, df);
        /* joining order = list order, a second apart */
        int64_t joined = clock_now_us() - (int64_t)(total - i) * 1000000, uid;
        int rc = pg_int(st, &uid, e,
                        "INSERT INTO users (username, username_fold, real_name, real_name_fold, location, "
                        "location_fold, location_lat, location_lng, position_lat, position_lng, date_of_birth, "
                        "description, description_fold, gender, status, role, email, email_fold, date_joined_us, "
                        "search_words) VALUES ($1, $2, coalesce($3, ''), $4, coalesce($5, ''), $6, "
                        "$7::double precision, $8::double precision, $9::double precision, $10::double precision, "
                        "$11, coalesce($12, ''), $13, coalesce($14, 'Unspecified'), coalesce($15, 'a'), $16, $17, "
                        "$18, $19, $20::text[]) RETURNING id",
                        "ssssssssssssssssssis", username, uf, real_name, rf, location, lf, ll[0], ll[1], pl[0], pl[1],
                        opt_str(v, "date_of_birth"), description, df, opt_str(v, "gender"), opt_str(v, "status"),
                        opt_str(v, "role"), email, email ? text_fold(a, email) : NULL, joined, words);
        free(words);
        if (rc != 1)
            return false;
        json_object_set_new(users, username, json_integer(uid));
        size_t j;
        json_t *x;
        json_array_foreach(json_object_get(v, "tags"), j, x)
        {
            if (!pg_exec(st, e, "INSERT INTO user_tags (user_id, tag_id) VALUES ($1, $2)", "ii", uid,
                         id_by_name(tags, json_string_value(x))))
                return false;
        }
        json_array_foreach(json_object_get(v, "categories"), j, x)
        {
            if (!pg_exec(st, e, "INSERT INTO category_follows (user_id, category_id, created_us) VALUES ($1, $2, $3)",
                         "iii", uid, id_by_name(categories, json_string_value(x)), clock_now_us()))
                return false;
        }
    }
    return true;
}

/* hides: [viewer username, hidden username] */
static bool load_hides(struct store *st, json_t *doc, json_t *users, struct err *e)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "hides"), i, v)
    {
        if (!pg_exec(st, e, "INSERT INTO hides (user_id, hidden_id, created_us) VALUES ($1, $2, $3)", "iii",
                     id_by_name(users, json_string_value(json_array_get(v, 0))),
                     id_by_name(users, json_string_value(json_array_get(v, 1))), clock_now_us()))
            return false;
    }
    return true;
}

bool pg_seed_file(struct store *st, json_t *doc, json_t **ids, struct err *e)
{
    *ids = NULL;
    if (!json_is_object(doc))
        return err_set(e, ERR_INVALID, "invalid", "The population must be a JSON object.");
    json_t *users = json_object(), *tags = json_object(), *categories = json_object();
    struct arena *a = arena_new();
    bool ok = store_begin(st, e) && load_tags(st, a, doc, tags, e) && load_categories(st, a, doc, categories, e) &&
              load_users(st, a, doc, tags, categories, users, e) && load_hides(st, doc, users, e);
    if (!ok || !store_commit(st, e)) {
        if (!err_any(e))
            err_internal(e);
        store_rollback(st);
        arena_free(a);
        json_decref(users);
        json_decref(tags);
        json_decref(categories);
        return false;
    }
    arena_free(a);
    *ids = json_pack("{s:o, s:o, s:o}", "users", users, "tags", tags, "categories", categories);
    return true;
}
