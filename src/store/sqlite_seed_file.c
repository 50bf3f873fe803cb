/* sqlite_seed_file.c - the fixture loader of `hearth seed --file`: a small
 * hand-written population (JSON, store/seed.h) through ordinary inserts in
 * one transaction, the triggers keeping the search indexes: the API tests'
 * fixed populations. */
#include "store/seed.h"

#include <jansson.h>
#include <sqlite3.h>
#include <string.h>

#include "core/clock.h"
#include "core/geo.h"
#include "core/text.h"
#include "store/sqlite_internal.h"
#include "store/store.h"

/* ================================================================ */
/* a hand-written population                                        */

static const char *opt_str(json_t *o, const char *name)
{
    const char *s = json_string_value(json_object_get(o, name));
    return s && *s ? s : NULL;
}

/* Binds "lat,lng" (or NULLs) to parameters i and i + 1. */
static bool bind_latlng(sqlite3_stmt *q, int i, const char *s)
{
    double lat, lng;
    if (!s) {
        sqlite3_bind_null(q, i);
        sqlite3_bind_null(q, i + 1);
        return true;
    }
    if (!geo_parse_latlng(s, &lat, &lng))
        return false;
    sqlite3_bind_double(q, i, lat);
    sqlite3_bind_double(q, i + 1, lng);
    return true;
}

static int64_t id_by_name(json_t *map, const char *name) { return json_integer_value(json_object_get(map, name)); }

/* tags: {"name", "type"?, "visible"?, "active"?, "deleted"?}; their ids
 * go into `tags` by name. */
static bool load_tags(struct store *st, json_t *doc, json_t *tags)
{
    sqlite3_stmt *q = NULL;
    bool ok = sqlite3_prepare_v2(st->lite->db,
                                 "INSERT INTO tags (type, name, color, visible, active, deleted, created_us) "
                                 "VALUES (coalesce($1, 'user'), $2, '#3B3B3B', $3, $4, $5, $6)",
                                 -1, &q, NULL) == SQLITE_OK;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "tags"), i, v)
    {
        if (!ok)
            break;
        json_t *vis = json_object_get(v, "visible"), *act = json_object_get(v, "active"),
               *del = json_object_get(v, "deleted");
        sqlite_bind_text_or_null(q, 1, opt_str(v, "type"));
        sqlite_bind_text_or_null(q, 2, opt_str(v, "name"));
        sqlite3_bind_int(q, 3, vis ? json_is_true(vis) : 1);
        sqlite3_bind_int(q, 4, act ? json_is_true(act) : 1);
        sqlite3_bind_int(q, 5, del ? json_is_true(del) : 0);
        sqlite3_bind_int64(q, 6, clock_now_us());
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        if (ok)
            json_object_set_new(tags, opt_str(v, "name"), json_integer(sqlite3_last_insert_rowid(st->lite->db)));
    }
    sqlite3_finalize(q);
    return ok;
}

/* categories: names; their ids go into `categories` by name. */
static bool load_categories(struct store *st, json_t *doc, json_t *categories)
{
    sqlite3_stmt *q = NULL;
    bool ok =
        sqlite3_prepare_v2(st->lite->db, "INSERT INTO categories (name, slug, lastmod_us) VALUES ($1, lower($1), $2)",
                           -1, &q, NULL) == SQLITE_OK;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "categories"), i, v)
    {
        if (!ok || !json_is_string(v))
            break;
        sqlite3_bind_text(q, 1, json_string_value(v), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, clock_now_us());
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        if (ok)
            json_object_set_new(categories, json_string_value(v),
                                json_integer(sqlite3_last_insert_rowid(st->lite->db)));
    }
    sqlite3_finalize(q);
    return ok;
}

/* users, through the triggers, with their tags and categories (by name);
 * their ids go into `users` by username. */
static bool load_users(struct store *st, json_t *doc, json_t *tags, json_t *categories, json_t *users, struct err *e)
{
    sqlite3_stmt *q = NULL, *tag = NULL, *cat = NULL;
    bool ok =
        sqlite3_prepare_v2(st->lite->db,
                           "INSERT INTO users (username, username_fold, real_name, real_name_fold, location, "
                           "location_lat, location_lng, position_lat, position_lng, date_of_birth, description, "
                           "gender, status, role, email, email_fold, date_joined_us) VALUES ($1, fold($1), "
                           "coalesce($2, ''), fold(coalesce($2, '')), coalesce($3, ''), $4, $5, $6, $7, $8, "
                           "coalesce($9, ''), coalesce($10, 'Unspecified'), coalesce($11, 'a'), $12, $13, fold($13), "
                           "$14)",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(st->lite->db, "INSERT INTO user_tags (user_id, tag_id) VALUES ($1, $2)", -1, &tag, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(st->lite->db,
                           "INSERT INTO category_follows (user_id, category_id, created_us) VALUES ($1, $2, $3)", -1,
                           &cat, NULL) == SQLITE_OK;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "users"), i, v)
    {
        if (!ok)
            break;
        sqlite_bind_text_or_null(q, 1, opt_str(v, "username"));
        sqlite_bind_text_or_null(q, 2, opt_str(v, "real_name"));
        sqlite_bind_text_or_null(q, 3, opt_str(v, "location"));
        if (!bind_latlng(q, 4, opt_str(v, "location_lat_lng")) || !bind_latlng(q, 6, opt_str(v, "position_lat_lng"))) {
            err_field(e, "users", "invalid", "lat_lng values must be \"lat,lng\".");
            ok = false;
            break;
        }
        sqlite_bind_text_or_null(q, 8, opt_str(v, "date_of_birth"));
        sqlite_bind_text_or_null(q, 9, opt_str(v, "description"));
        sqlite_bind_text_or_null(q, 10, opt_str(v, "gender"));
        sqlite_bind_text_or_null(q, 11, opt_str(v, "status"));
        sqlite_bind_text_or_null(q, 12, opt_str(v, "role"));
        sqlite_bind_text_or_null(q, 13, opt_str(v, "email"));
        /* joining order = list order, a second apart */
        sqlite3_bind_int64(q, 14,
                           clock_now_us() - (int64_t)(json_array_size(json_object_get(doc, "users")) - i) * 1000000);
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
        if (!ok)
            break;
        int64_t uid = sqlite3_last_insert_rowid(st->lite->db);
        json_object_set_new(users, opt_str(v, "username"), json_integer(uid));
        size_t j;
        json_t *x;
        json_array_foreach(json_object_get(v, "tags"), j, x)
        {
            sqlite3_bind_int64(tag, 1, uid);
            sqlite3_bind_int64(tag, 2, id_by_name(tags, json_string_value(x)));
            ok = ok && sqlite3_step(tag) == SQLITE_DONE;
            sqlite3_reset(tag);
        }
        json_array_foreach(json_object_get(v, "categories"), j, x)
        {
            sqlite3_bind_int64(cat, 1, uid);
            sqlite3_bind_int64(cat, 2, id_by_name(categories, json_string_value(x)));
            sqlite3_bind_int64(cat, 3, clock_now_us());
            ok = ok && sqlite3_step(cat) == SQLITE_DONE;
            sqlite3_reset(cat);
        }
    }
    sqlite3_finalize(q);
    sqlite3_finalize(tag);
    sqlite3_finalize(cat);
    return ok;
}

/* hides: [viewer username, hidden username] */
static bool load_hides(struct store *st, json_t *doc, json_t *users)
{
    sqlite3_stmt *q = NULL;
    bool ok = sqlite3_prepare_v2(st->lite->db, "INSERT INTO hides (user_id, hidden_id, created_us) VALUES ($1, $2, $3)",
                                 -1, &q, NULL) == SQLITE_OK;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "hides"), i, v)
    {
        if (!ok)
            break;
        sqlite3_bind_int64(q, 1, id_by_name(users, json_string_value(json_array_get(v, 0))));
        sqlite3_bind_int64(q, 2, id_by_name(users, json_string_value(json_array_get(v, 1))));
        sqlite3_bind_int64(q, 3, clock_now_us());
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return ok;
}

bool sqlite_seed_file(struct store *st, json_t *doc, json_t **ids, struct err *e)
{
    *ids = NULL;
    if (!json_is_object(doc))
        return err_set(e, ERR_INVALID, "invalid", "The population must be a JSON object.");
    json_t *users = json_object(), *tags = json_object(), *categories = json_object();
    bool ok = store_begin(st, e) && load_tags(st, doc, tags) && load_categories(st, doc, categories) &&
              load_users(st, doc, tags, categories, users, e) && load_hides(st, doc, users);
    if (!ok || !store_commit(st, e)) {
        if (!err_any(e))
            sqlite_fail(st, e, "seed file");
        store_rollback(st);
        json_decref(users);
        json_decref(tags);
        json_decref(categories);
        return false;
    }
    *ids = json_pack("{s:o, s:o, s:o}", "users", users, "tags", tags, "categories", categories);
    return true;
}
