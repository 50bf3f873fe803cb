/* post.c - posts and discussions: input, creation rules, visibility,
 * soft delete and the user feed. */
#include "domain/post.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "domain/category.h"
#include "domain/html.h"
#include "domain/prefs.h"
#include "store/store.h"

enum { POST_ID_DIGITS_MAX = 18 }; /* a category id that fits in int64 without overflow checks */

const char *post_type(const char *type)
{
    if (type && !strcmp(type, POST_TYPE_POST))
        return POST_TYPE_POST;
    if (type && !strcmp(type, POST_TYPE_DISCUSSION))
        return POST_TYPE_DISCUSSION;
    return NULL;
}

/* ================================================================ */
/* input                                                            */

/* Parses a positive decimal id of s[0..n) (spaces around allowed). */
static bool parse_id(const char *s, size_t n, int64_t *out)
{
    while (n > 0 && *s == ' ')
        s++, n--;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n == 0 || n > POST_ID_DIGITS_MAX)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return v > 0;
}

/* Adds id to the input's list unless already there; false when full. */
static bool add_category(struct post_input *in, int64_t id)
{
    for (int i = 0; i < in->ncategories; i++)
        if (in->category_ids[i] == id)
            return true;
    if (in->ncategories >= POST_CATEGORIES_MAX)
        return false;
    in->category_ids[in->ncategories++] = id;
    return true;
}

/* One element of `categories`: an integer or a decimal string. */
static bool category_item(json_t *v, int64_t *id)
{
    if (json_is_integer(v)) {
        *id = json_integer_value(v);
        return *id > 0;
    }
    if (json_is_string(v))
        return parse_id(json_string_value(v), strlen(json_string_value(v)), id);
    return false;
}

static bool read_categories(json_t *v, struct post_input *in, struct err *e)
{
    static const char too_many[] = "Ensure this field has no more than 20 elements.";
    static const char bad[] = "Expected a list of category ids.";
    int64_t id;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (!category_item(item, &id))
                return err_field(e, "categories", "invalid", bad);
            if (!add_category(in, id))
                return err_field(e, "categories", "max_length", too_many);
        }
        return true;
    }
    if (json_is_integer(v)) {
        if (!category_item(v, &id))
            return err_field(e, "categories", "invalid", bad);
        add_category(in, id);
        return true;
    }
    if (json_is_string(v)) {
        /* form bodies: "3" or "3,5" (the last of repeated keys wins in the parser) */
        const char *s = json_string_value(v);
        while (*s) {
            size_t n = strcspn(s, ",");
            if (!parse_id(s, n, &id))
                return err_field(e, "categories", "invalid", bad);
            if (!add_category(in, id))
                return err_field(e, "categories", "max_length", too_many);
            s += n;
            if (*s == ',')
                s++;
        }
        return true;
    }
    return err_field(e, "categories", "invalid", bad);
}

/* A copy of s without leading and trailing whitespace (DRF trims CharFields). */
static char *trim(struct arena *a, const char *s)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
        n--;
    return arena_strndup(a, s, n);
}

bool post_input_from_json(struct arena *a, json_t *body, struct post_input *in, struct err *e)
{
    memset(in, 0, sizeof *in);
    if (!json_is_object(body))
        return err_set(e, 400, "invalid", "Expected an object.");
    json_t *title = json_object_get(body, "title");
    if (title && !json_is_null(title)) {
        in->has_title = true;
        if (json_is_string(title))
            in->title = trim(a, json_string_value(title));
        else
            err_field(e, "title", "invalid", "Not a valid string.");
    }
    json_t *text = json_object_get(body, "text");
    if (text && !json_is_null(text)) {
        in->has_text = true;
        if (json_is_string(text))
            in->text = json_string_value(text);
        else
            err_field(e, "text", "invalid", "Not a valid string.");
    }
    json_t *categories = json_object_get(body, "categories");
    if (categories && !json_is_null(categories)) {
        in->has_categories = true;
        read_categories(categories, in, e);
    }
    return !err_any(e);
}

/* ================================================================ */
/* create                                                           */

static bool valid_title(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < ' ' || *p == 0x7f)
            return false; /* a title is one line of text */
    return true;
}

static bool has_field_error(const struct err *e, const char *field)
{
    for (int i = 0; i < e->count; i++)
        if (e->entries[i].field && !strcmp(e->entries[i].field, field))
            return true;
    return false;
}

/* Checks the input against the rules; fills the sanitised text. */
static bool check_input(struct arena *a, bool discussion, const struct post_input *in, struct html_clean *text,
                        struct err *e)
{
    if (discussion) {
        long chars = in->title ? text_chars(in->title) : 0;
        if (!in->has_title)
            err_field(e, "title", "required", "This field is required.");
        else if (!in->title)
            ; /* already reported as invalid */
        else if (chars == 0)
            err_field(e, "title", "blank", "This field may not be blank.");
        else if (chars < 0 || !valid_title(in->title))
            err_field(e, "title", "invalid", "A title is one line of text.");
        else if (chars > POST_TITLE_MAX)
            err_field(e, "title", "max_length", "Ensure this field has no more than 255 characters.");
    }
    memset(text, 0, sizeof *text);
    if (in->text) {
        if (html_sanitize(a, in->text, strlen(in->text), "text", text, e) && !discussion && !text->has_content)
            err_field(e, "text", "blank", "This field may not be blank.");
    } else if (!discussion && !in->has_text) {
        err_field(e, "text", "required", "This field is required.");
    }
    if (!in->has_categories)
        err_field(e, "categories", "required", "This field is required.");
    else if (in->ncategories == 0 && !has_field_error(e, "categories"))
        err_field(e, "categories", "empty", "This list may not be empty.");
    if (!text->html) {
        text->html = "";
        text->summary = "";
    }
    return !err_any(e);
}

/* Each category must exist, not be deleted and be active. In the transaction. */
static bool check_categories(struct store *st, struct arena *a, const struct post_input *in, struct err *e)
{
    for (int i = 0; i < in->ncategories; i++) {
        struct category c;
        int found = store_category_get(st, a, in->category_ids[i], &c, e);
        if (found < 0)
            return false;
        if (!found || c.deleted || !c.active)
            err_field(e, "categories", "does_not_exist",
                      arena_printf(a, "Invalid pk \"%lld\" - object does not exist.",
                                   (long long)in->category_ids[i]));
    }
    return !err_any(e);
}

bool post_create(struct store *st, struct arena *a, const struct principal *who, const char *type, json_t *body,
                 struct post *out, struct user *author, struct err *e)
{
    bool discussion = !strcmp(type, POST_TYPE_DISCUSSION);
    if (!prefs_get_bool(st, a, "configurations", discussion ? "discussion_type_enabled" : "post_type_enabled", true))
        return err_set(e, 403, "mode_disabled",
                       discussion ? "Discussions are disabled in this community." : "Posts are disabled in this community.");
    if (who->status == 'b')
        return err_forbidden(e, "Blocked users cannot publish.");
    struct post_input input, *in = &input;
    struct html_clean text;
    /* field errors of the input and of the rules are reported together */
    post_input_from_json(a, body, in, e);
    if (!json_is_object(body) || !check_input(a, discussion, in, &text, e))
        return false;
    int64_t now = clock_now_us();
    *out = (struct post){.type = discussion ? POST_TYPE_DISCUSSION : POST_TYPE_POST,
                         .author_id = who->user_id,
                         .html = text.html,
                         .summary = text.summary,
                         .added_us = now,
                         .last_activity_us = now};
    if (discussion) {
        out->title = in->title;
        out->slug = category_slugify(a, in->title, POST_SLUG_MAX);
        if (!*out->slug)
            out->slug = POST_TYPE_DISCUSSION;
    }
    if (!store_begin(st, e))
        return false;
    if (!check_categories(st, a, in, e) || !store_post_insert(st, out, in->category_ids, in->ncategories, e) ||
        !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return user_get_visible(st, a, who->user_id, author, e);
}

/* ================================================================ */
/* read and delete                                                  */

static bool may_manage(const struct principal *who, const struct post *p)
{
    return who->user_id && (who->user_id == p->author_id || principal_is_admin(who));
}

/* The post `id` of `type` with an author who is not hard-deleted, deleted
 * ones included: 404 otherwise. */
static bool load_post(struct store *st, struct arena *a, const char *type, int64_t id, struct post *out,
                      struct user *author, struct err *e)
{
    int found = store_post_get(st, a, id, out, e);
    if (found < 0)
        return false;
    if (!found || strcmp(out->type, type))
        return err_not_found(e);
    return user_get_visible(st, a, out->author_id, author, e);
}

bool post_get(struct store *st, struct arena *a, const struct principal *who, const char *type, int64_t id,
              struct post *out, struct user *author, struct err *e)
{
    if (!load_post(st, a, type, id, out, author, e))
        return false;
    if (out->deleted && !may_manage(who, out))
        return err_not_found(e);
    return true;
}

bool post_delete(struct store *st, struct arena *a, const struct principal *who, const char *type, int64_t id,
                 struct err *e)
{
    struct post p;
    struct user author;
    if (!store_begin(st, e))
        return false;
    bool ok = post_get(st, a, who, type, id, &p, &author, e);
    if (ok && !may_manage(who, &p))
        ok = err_forbidden(e, "Only the author or an administrator may delete this.");
    else if (ok && who->status == 'b')
        ok = err_forbidden(e, "Blocked users cannot delete contributions.");
    else if (ok && p.deleted)
        ok = err_set(e, 400, "already_deleted", "This contribution is already deleted.");
    if (!ok || !store_post_soft_delete(st, &p, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

bool post_user_feed(struct store *st, struct arena *a, const struct principal *who, int64_t author_id, int limit,
                    int offset, struct user *author, struct post_page *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (!user_get_visible(st, a, author_id, author, e))
        return false;
    if (who->user_id && who->user_id != author_id) {
        int hidden = store_graph_hide_exists(st, who->user_id, author_id, e);
        if (hidden < 0)
            return false;
        if (hidden)
            return true; /* contract §9: their feed is empty for the hider */
    }
    return store_post_by_author(st, a, author_id, limit, offset, out, e);
}

bool post_categories(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n,
                     struct err *e)
{
    return store_category_of_post(st, a, post_id, out, n, e);
}
