/* tag.c - tags: validation, the admin actions and visibility (contract §8). */
#include "domain/tag.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "domain/field.h"
#include "domain/user.h"
#include "store/store.h"

static const char *const tag_types[] = {"user", "category", NULL};

bool tag_visible_to_all(const struct tag *t) { return t->visible && t->active && !t->deleted; }

bool tag_visible_to(const struct tag *t, const struct principal *viewer, int64_t owner_id)
{
    if (t->deleted)
        return false;
    if (viewer && viewer->user_id && (viewer->user_id == owner_id || principal_is_admin(viewer)))
        return true;
    return tag_visible_to_all(t);
}

/* ================================================================ */
/* reading bodies (JSON, or forms whose values are all strings)     */

static bool valid_color(const char *s)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]))
            return false;
    return true;
}

/* A text field: absent leaves *out; JSON null gives NULL when nullable. */
static void body_text(struct arena *a, json_t *body, const char *name, long max, bool nullable, bool multiline,
                      const char **out, struct err *e)
{
    struct field_text_rule rule = {
        .max_chars = max, .null = nullable ? FIELD_NULL_NULL : FIELD_NULL_ERROR, .multiline = multiline};
    field_text(a, body, name, &rule, out, e);
}

/* Applies the fields present in body to t. */
static bool read_tag(struct arena *a, json_t *body, struct tag *t, struct err *e)
{
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    body_text(a, body, "type", TAG_TYPE_MAX, false, false, &t->type, e);
    body_text(a, body, "name", TAG_NAME_MAX, false, false, &t->name, e);
    body_text(a, body, "description", TAG_DESCRIPTION_MAX, true, true, &t->description, e);
    body_text(a, body, "color", TAG_COLOR_MAX, false, false, &t->color, e);
    field_bool(body, "visible", &t->visible, e);
    field_bool(body, "active", &t->active, e);
    field_bool(body, "deleted", &t->deleted, e);
    if (err_any(e))
        return false;
    if (!t->type || !field_choice(tag_types, t->type))
        err_field(e, "type", FIELD_CODE_INVALID_CHOICE, TAG_TYPE_CHOICES_MESSAGE);
    if (!t->name || !*t->name)
        err_field(e, "name", t->name ? FIELD_CODE_BLANK : FIELD_CODE_REQUIRED,
                  t->name ? FIELD_MSG_BLANK : FIELD_MSG_REQUIRED);
    if (t->color && !valid_color(t->color))
        err_field(e, "color", "invalid", "Enter a hexadecimal color code such as #3B3B3B.");
    if (t->description && !*t->description)
        t->description = NULL;
    /* schemas/category.md: deleted implies not active; the same for tags */
    if (t->deleted)
        t->active = false;
    return !err_any(e);
}

/* ================================================================ */
/* actions                                                          */

bool tag_get(struct store *st, struct arena *a, int64_t id, struct tag *out, struct err *e)
{
    int found = store_tag_get(st, a, id, out, e);
    if (found < 0)
        return false;
    return found ? true : err_not_found(e);
}

bool tag_create(struct store *st, struct arena *a, json_t *body, struct tag *out, struct err *e)
{
    struct tag t = {.type = "user", .color = "#3B3B3B", .visible = true, .active = true};
    if (!read_tag(a, body, &t, e))
        return false;
    int64_t id;
    if (!store_tag_insert(st, &t, &id, e))
        return false;
    return tag_get(st, a, id, out, e);
}

bool tag_update(struct store *st, struct arena *a, int64_t id, json_t *body, struct tag *out, struct err *e)
{
    struct tag t;
    if (!tag_get(st, a, id, &t, e) || !read_tag(a, body, &t, e) || !store_tag_update(st, &t, e))
        return false;
    return tag_get(st, a, id, out, e);
}

bool tag_list(struct store *st, struct arena *a, const struct tag_filter *f, struct tag_page *out, struct err *e)
{
    return store_tag_list(st, a, f, out, e);
}

/* Gives t to the user or takes it away, in the caller's transaction. */
static bool set_user_tag(struct store *st, struct arena *a, const struct tag *t, int64_t user_id, bool add,
                         struct err *e)
{
    struct user u;
    int found = store_user_get(st, a, user_id, &u, e);
    if (found < 0)
        return false;
    if (!found || u.status == USER_TOMBSTONE)
        return field_error_does_not_exist(a, e, "user", user_id);
    if (!add)
        return store_tag_unassign(st, t->id, user_id, e);
    if (t->deleted)
        return err_set(e, ERR_INVALID, "deleted", "This tag is deleted.");
    if (strcmp(t->type, "user"))
        return err_set(e, ERR_INVALID, "invalid_type", "Only tags of type user can be given to users.");
    return store_tag_assign(st, t->id, user_id, e);
}

bool tag_set_user(struct store *st, struct arena *a, int64_t tag_id, json_t *body, bool add, struct err *e)
{
    struct tag t;
    if (!tag_get(st, a, tag_id, &t, e))
        return false;
    json_t *v = json_is_object(body) ? json_object_get(body, "user") : NULL;
    if (!v || json_is_null(v))
        return field_error_required(e, "user");
    int64_t user_id;
    if (!field_parse_id(v, &user_id))
        return err_field(e, "user", FIELD_CODE_INCORRECT_TYPE, FIELD_MSG_PK_TYPE);
    /* the user's tags change: lock the user, then read its status (a hard
     * delete takes the tags with it) */
    if (!store_begin(st, e))
        return false;
    if (!store_lock_users(st, &user_id, 1, e) || !set_user_tag(st, a, &t, user_id, add, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bool tag_ids_from_json(struct arena *a, json_t *v, const char *field, int64_t **ids, int *n, struct err *e)
{
    *ids = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return true;
    int64_t *out = arena_alloc(a, TAG_SIGNUP_MAX * sizeof *out);
    int count = 0;
    const char *s = json_string_value(v);
    if (s) {
        /* a form value: "1,2,3" (empty: none) */
        const char *p = s;
        while (*p) {
            size_t len = strcspn(p, ",");
            int64_t id;
            if (!text_parse_id(p, len, &id))
                return err_field(e, field, FIELD_CODE_INCORRECT_TYPE, FIELD_MSG_PK_TYPE);
            if (count == TAG_SIGNUP_MAX)
                return field_error_max_items(a, e, field, TAG_SIGNUP_MAX);
            out[count++] = id;
            p += len;
            if (*p == ',')
                p++;
        }
    } else if (json_is_array(v)) {
        if (json_array_size(v) > TAG_SIGNUP_MAX)
            return field_error_max_items(a, e, field, TAG_SIGNUP_MAX);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (!field_parse_id(x, &out[count]))
                return err_field(e, field, FIELD_CODE_INCORRECT_TYPE, FIELD_MSG_PK_TYPE);
            count++;
        }
    } else if (json_is_integer(v)) {
        if (!field_parse_id(v, &out[count++]))
            return err_field(e, field, FIELD_CODE_INCORRECT_TYPE, FIELD_MSG_PK_TYPE);
    } else {
        return err_field(e, field, FIELD_CODE_NOT_A_LIST, FIELD_MSG_NOT_A_LIST);
    }
    qsort(out, (size_t)count, sizeof *out, cmp_id);
    int m = 0;
    for (int i = 0; i < count; i++)
        if (!m || out[m - 1] != out[i])
            out[m++] = out[i];
    *ids = out;
    *n = m;
    return true;
}

bool tag_ids_check(struct store *st, struct arena *a, const int64_t *ids, int n, const char *field, struct err *e)
{
    for (int i = 0; i < n; i++) {
        struct tag t;
        int found = store_tag_get(st, a, ids[i], &t, e);
        if (found < 0)
            return false;
        if (!found || t.deleted || strcmp(t.type, "user"))
            return field_error_does_not_exist(a, e, field, ids[i]);
    }
    return true;
}

bool tag_list_of_user(struct store *st, struct arena *a, int64_t user_id, struct tag **tags, int *n, struct err *e)
{
    struct user_tag *rows;
    if (!store_tag_of_users(st, a, &user_id, 1, &rows, n, e))
        return false;
    *tags = arena_alloc(a, sizeof **tags * (size_t)(*n > 0 ? *n : 1));
    for (int i = 0; i < *n; i++)
        (*tags)[i] = rows[i].tag;
    return true;
}

bool tag_ids_of_user(struct store *st, struct arena *a, int64_t user_id, int64_t **ids, int *n, struct err *e)
{
    struct tag *tags;
    if (!tag_list_of_user(st, a, user_id, &tags, n, e))
        return false;
    *ids = arena_alloc(a, sizeof **ids * (size_t)(*n > 0 ? *n : 1));
    for (int i = 0; i < *n; i++)
        (*ids)[i] = tags[i].id;
    return true;
}
