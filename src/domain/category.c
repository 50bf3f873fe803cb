/* category.c - categories: validation of the administrators' writes, soft
 * delete and restore with their counter effects, following, and slugs. */
#include "domain/category.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "domain/field.h"
#include "domain/html.h"
#include "domain/prefs.h"
#include "store/store.h"

#define CATEGORY_GENERATE "_GENERATE_"
#define CATEGORY_DEFAULT_SLUG "category"

static const char *const auto_follow_values[] = {"none", "default", "forced", NULL};
static const char *const stream_order_values[] = {"recent", "last_activity", NULL};

/* ================================================================ */
/* reading body fields                                              */

/* A text field of a category: trimmed, the character rule, at most `max`
 * characters; JSON null allowed when `nullable`. Returns false when absent;
 * otherwise true with *out the string (NULL for null, or after an error). */
static bool body_text(struct arena *a, json_t *body, const char *name, bool nullable, bool multiline, long max_chars,
                      const char **out, struct err *e)
{
    struct field_text_rule rule = {
        .max_chars = max_chars, .null = nullable ? FIELD_NULL_NULL : FIELD_NULL_ERROR, .multiline = multiline};
    *out = NULL;
    enum field_read got = field_text(a, body, name, &rule, out, e);
    if (got == FIELD_INVALID)
        *out = NULL;
    return got != FIELD_ABSENT;
}

/* ================================================================ */
/* slugs                                                            */

char *category_slugify(struct arena *a, const char *text, int max_chars)
{
    const char *folded = text_fold(a, text);
    char *out = arena_alloc(a, (size_t)max_chars + 1);
    int n = 0;
    bool dash = false;
    for (const char *p = folded; *p && n < max_chars; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
            if (dash && n > 0 && n < max_chars - 1)
                out[n++] = '-';
            dash = false;
            out[n++] = c;
        } else {
            dash = true; /* other characters (and non-ASCII bytes) separate words */
        }
    }
    out[n] = '\0';
    return out;
}

static bool valid_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CATEGORY_SLUG_MAX)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-'))
            return false;
    return true;
}

/* A slug for `name` not used by another category: the slugified name, then
 * with -2, -3, ... Inside the write transaction. */
static bool unique_slug(struct store *st, struct arena *a, const char *name, int64_t except_id, const char **out,
                        struct err *e)
{
    enum { SUFFIX_ROOM = 4 }; /* "-100" */
    char *base = category_slugify(a, name, CATEGORY_SLUG_MAX - SUFFIX_ROOM);
    if (!*base)
        base = CATEGORY_DEFAULT_SLUG;
    for (int i = 1; i <= CATEGORY_SLUG_TRIES; i++) {
        const char *slug = i == 1 ? base : arena_printf(a, "%s-%d", base, i);
        int taken = store_category_slug_taken(st, slug, except_id, e);
        if (taken < 0)
            return false;
        if (!taken) {
            *out = slug;
            return true;
        }
    }
    return err_field(e, "slug", "unique", "No free slug could be generated from the name; give one.");
}

/* ================================================================ */
/* create and update                                                */

/* What a body asks to change; `has_*` tell given fields. */
struct category_changes {
    bool has_name, has_slug, has_synonyms, has_slogan, has_html_info, has_seo_title, has_seo_description;
    bool has_auto_follow, has_active, has_deleted, has_order, has_position, has_stream, has_content_only_staff;
    const char *name, *slug, *name_synonyms, *slogan, *html_info, *seo_title, *seo_description;
    const char *auto_follow, *stream_order_by;
    bool active, deleted, content_only_staff;
    int64_t order, position;
    bool generate_slug;
};

enum { CATEGORY_ORDER_MIN = -2147483647 - 1, CATEGORY_ORDER_MAX = 2147483647 }; /* a 32-bit column in Django */

/* Reads and checks the body's fields (everything but uniqueness). */
static bool read_changes(struct arena *a, json_t *body, bool allow_deleted, struct category_changes *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    if ((c->has_name = body_text(a, body, "name", false, false, CATEGORY_NAME_MAX, &c->name, e)) && c->name &&
        !*c->name)
        err_field(e, "name", FIELD_CODE_BLANK, FIELD_MSG_BLANK);
    const char *slug;
    if ((c->has_slug = body_text(a, body, "slug", true, false, CATEGORY_SLUG_MAX, &slug, e))) {
        if (!slug || !*slug || !strcmp(slug, CATEGORY_GENERATE))
            c->generate_slug = true;
        else if (!valid_slug(slug))
            err_field(e, "slug", "invalid", "Enter a valid slug of letters, numbers, underscores or hyphens.");
        else
            c->slug = slug;
    }
    /* name_synonyms is one alias a line */
    c->has_synonyms = body_text(a, body, "name_synonyms", true, true, CATEGORY_SYNONYMS_MAX, &c->name_synonyms, e);
    c->has_slogan = body_text(a, body, "slogan", true, false, CATEGORY_SLOGAN_MAX, &c->slogan, e);
    c->has_seo_title = body_text(a, body, "seo_title", true, false, CATEGORY_SEO_TITLE_MAX, &c->seo_title, e);
    c->has_seo_description =
        body_text(a, body, "seo_description", true, true, CATEGORY_SEO_DESCRIPTION_MAX, &c->seo_description, e);
    json_t *info = json_object_get(body, "html_info");
    if (info) {
        c->has_html_info = true;
        if (json_is_string(info)) {
            struct html_clean clean;
            const char *s = json_string_value(info);
            if (html_sanitize(a, s, strlen(s), "html_info", &clean, e))
                c->html_info = clean.html;
        } else if (!json_is_null(info)) {
            err_field(e, "html_info", FIELD_CODE_INVALID, FIELD_MSG_STRING);
        }
    }
    c->has_auto_follow =
        field_enum(a, body, "auto_follow", auto_follow_values, NULL, &c->auto_follow, e) != FIELD_ABSENT;
    c->has_stream =
        field_enum(a, body, "stream_order_by", stream_order_values, NULL, &c->stream_order_by, e) != FIELD_ABSENT;
    c->has_active = field_bool(body, "active", &c->active, e) != FIELD_ABSENT;
    c->has_content_only_staff = field_bool(body, "content_only_staff", &c->content_only_staff, e) != FIELD_ABSENT;
    if (allow_deleted)
        c->has_deleted = field_bool(body, "deleted", &c->deleted, e) != FIELD_ABSENT;
    c->has_order = field_int(a, body, "order", CATEGORY_ORDER_MIN, CATEGORY_ORDER_MAX, &c->order, e) == FIELD_GIVEN;
    c->has_position =
        field_int(a, body, "emotional_image_position", 0, CATEGORY_POSITION_MAX, &c->position, e) == FIELD_GIVEN;
    return !err_any(e);
}

/* Applies the changes onto cat. */
static void apply_changes(struct category *cat, const struct category_changes *c)
{
    if (c->has_name && c->name)
        cat->name = c->name;
    if (c->slug)
        cat->slug = c->slug;
    if (c->has_synonyms)
        cat->name_synonyms = c->name_synonyms;
    if (c->has_slogan)
        cat->slogan = c->slogan;
    if (c->has_html_info)
        cat->html_info = c->html_info;
    if (c->has_seo_title)
        cat->seo_title = c->seo_title;
    if (c->has_seo_description)
        cat->seo_description = c->seo_description;
    if (c->has_auto_follow && c->auto_follow)
        cat->auto_follow = c->auto_follow;
    if (c->has_stream && c->stream_order_by)
        cat->stream_order_by = c->stream_order_by;
    if (c->has_active)
        cat->active = c->active;
    if (c->has_content_only_staff)
        cat->content_only_staff = c->content_only_staff;
    if (c->has_deleted)
        cat->deleted = c->deleted;
    if (c->has_order)
        cat->order = c->order;
    if (c->has_position)
        cat->emotional_image_position = c->position;
}

/* Name and slug uniqueness (generating the slug if asked), in the transaction. */
static bool check_unique(struct store *st, struct arena *a, struct category *cat, bool generate_slug, bool slug_given,
                         struct err *e)
{
    int taken = store_category_name_taken(st, cat->name, cat->id, e);
    if (taken < 0)
        return false;
    if (taken)
        err_field(e, "name", "unique", "A category with this name already exists.");
    if (generate_slug) {
        if (!unique_slug(st, a, cat->name, cat->id, &cat->slug, e))
            return false;
    } else if (slug_given) {
        if ((taken = store_category_slug_taken(st, cat->slug, cat->id, e)) < 0)
            return false;
        if (taken)
            err_field(e, "slug", "unique", "A category with this slug already exists.");
    }
    return !err_any(e);
}

bool category_create(struct store *st, struct arena *a, json_t *body, struct category *out, struct err *e)
{
    struct category_changes c;
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    bool ok = read_changes(a, body, false, &c, e);
    if (!c.has_name)
        field_error_required(e, "name");
    if (!ok || err_any(e))
        return false;
    *out = (struct category){
        .auto_follow = "none", .active = true, .emotional_image_position = 50, .stream_order_by = "recent"};
    apply_changes(out, &c);
    out->lastmod_us = clock_now_us();
    if (!store_begin(st, e))
        return false;
    if (!check_unique(st, a, out, !c.slug, c.slug != NULL, e) || !store_category_insert(st, out, e) ||
        !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

bool category_update(struct store *st, struct arena *a, int64_t id, json_t *body, struct category *out, struct err *e)
{
    struct category_changes c;
    if (!read_changes(a, body, true, &c, e))
        return false;
    if (!store_begin(st, e))
        return false;
    int found = store_category_get(st, a, id, out, e);
    if (found <= 0) {
        store_rollback(st);
        return found < 0 ? false : err_not_found(e);
    }
    bool was_deleted = out->deleted;
    apply_changes(out, &c);
    /* "if deleted is true active must be false" (schemas/category.md) */
    if (out->deleted && !was_deleted)
        out->active = false;
    else if (out->deleted && c.has_active && c.active)
        err_field(e, "active", "invalid", "A deleted category cannot be active.");
    out->lastmod_us = clock_now_us();
    /* a rename keeps the slug (links stay valid) unless "_GENERATE_" is given */
    if (err_any(e) || !check_unique(st, a, out, c.generate_slug, c.slug != NULL, e) ||
        (out->deleted != was_deleted && !store_category_followers_counter_add(st, id, out->deleted ? -1 : 1, e)) ||
        !store_category_update(st, out, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

bool category_delete(struct store *st, struct arena *a, int64_t id, struct err *e)
{
    struct category cat;
    if (!store_begin(st, e))
        return false;
    int found = store_category_get(st, a, id, &cat, e);
    if (found <= 0) {
        store_rollback(st);
        return found < 0 ? false : err_not_found(e);
    }
    if (cat.deleted) {
        store_rollback(st);
        return err_set(e, ERR_INVALID, "already_deleted", "This category is already deleted.");
    }
    cat.deleted = true;
    cat.active = false;
    cat.lastmod_us = clock_now_us();
    if (!store_category_followers_counter_add(st, id, -1, e) || !store_category_update(st, &cat, e) ||
        !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

bool category_get(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e)
{
    int found = store_category_get(st, a, id, out, e);
    if (found < 0)
        return false;
    return found ? true : err_not_found(e);
}

bool category_list(struct store *st, struct arena *a, const struct category_filter *f, struct category_page *out,
                   struct err *e)
{
    return store_category_list(st, a, f, out, e);
}

static const char *const order_fields[] = {"order", "name", "id", "lastmod_datetime"};
static const char *const order_columns[] = {"\"order\"", "name", "id", "lastmod_us"};

static bool add_category_order(void *ctx, size_t index, bool desc)
{
    struct category_filter *f = ctx;
    f->order[f->norder++] = (struct category_order){order_columns[index], desc};
    return f->norder < CATEGORY_MAX_ORDER;
}

void category_parse_ordering(const char *ordering, struct category_filter *f)
{
    f->norder = 0;
    field_ordering(ordering, order_fields, sizeof order_fields / sizeof order_fields[0], add_category_order, f);
}

/* ================================================================ */
/* following                                                        */

/* A category users can see: exists and is not deleted. */
static bool load_visible(struct store *st, struct arena *a, int64_t id, struct category *out, struct err *e)
{
    int found = store_category_get(st, a, id, out, e);
    if (found < 0)
        return false;
    return found && !out->deleted ? true : err_not_found(e);
}

bool category_follow_toggle(struct store *st, struct arena *a, const struct principal *who, int64_t id, bool *following,
                            struct err *e)
{
    if (!prefs_get_bool(st, a, "configurations", "category_follow_enabled", true))
        return err_set(e, ERR_FORBIDDEN, "mode_disabled", "Following categories is disabled in this community.");
    struct category cat;
    /* the follower's categories_counter moves: lock the follower before
     * reading the follow. The category comes first (on PostgreSQL reading
     * it in a write transaction locks it): its deleted flag decides the
     * counters, and a delete locks the category, then its followers */
    if (!store_begin(st, e))
        return false;
    if (!load_visible(st, a, id, &cat, e) || !store_lock_users(st, &who->user_id, 1, e)) {
        store_rollback(st);
        return false;
    }
    if (who->status == USER_BLOCKED) {
        store_rollback(st);
        return err_forbidden(e, "Blocked users cannot follow categories.");
    }
    int follows = store_category_follow_exists(st, who->user_id, id, e);
    if (follows < 0) {
        store_rollback(st);
        return false;
    }
    if (!follows && !cat.active) {
        store_rollback(st);
        return err_set(e, ERR_INVALID, "inactive", "This category is not active.");
    }
    if (!store_category_follow_set(st, who->user_id, id, !follows, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    *following = !follows;
    return true;
}

bool category_is_followed(struct store *st, struct arena *a, const struct principal *who, int64_t id, bool *followed,
                          struct err *e)
{
    struct category cat;
    if (!load_visible(st, a, id, &cat, e))
        return false;
    int follows = store_category_follow_exists(st, who->user_id, id, e);
    if (follows < 0)
        return false;
    *followed = follows > 0;
    return true;
}

bool category_fill_followed(struct store *st, const struct principal *who, struct category *items, int n, struct err *e)
{
    for (int i = 0; i < n; i++) {
        if (!who->user_id) {
            items[i].followed = CATEGORY_FOLLOWED_UNKNOWN;
            continue;
        }
        int follows = store_category_follow_exists(st, who->user_id, items[i].id, e);
        if (follows < 0)
            return false;
        items[i].followed = follows ? CATEGORY_FOLLOWED_YES : CATEGORY_FOLLOWED_NO;
    }
    return true;
}

bool category_followed_by(struct store *st, struct arena *a, int64_t user_id, struct category **out, int *n,
                          struct err *e)
{
    struct user u;
    if (!user_get_visible(st, a, user_id, &u, e))
        return false;
    return store_category_followed(st, a, user_id, CATEGORY_FOLLOWED_MAX, out, n, e);
}
