/* post.c - posts and discussions: input, creation rules, visibility,
 * soft delete and the user feed. */
#include "domain/post.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "domain/category.h"
#include "domain/field.h"
#include "domain/html.h"
#include "domain/prefs.h"
#include "store/store.h"

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

static bool read_categories(struct arena *a, json_t *v, struct post_input *in, struct err *e)
{
    static const char bad[] = "Expected a list of category ids.";
    int64_t id;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (!field_parse_id(item, &id))
                return err_field(e, "categories", FIELD_CODE_INVALID, bad);
            if (!add_category(in, id))
                return field_error_max_items(a, e, "categories", POST_CATEGORIES_MAX);
        }
        return true;
    }
    if (json_is_integer(v)) {
        if (!field_parse_id(v, &id))
            return err_field(e, "categories", FIELD_CODE_INVALID, bad);
        add_category(in, id);
        return true;
    }
    if (json_is_string(v)) {
        /* form bodies: "3" or "3,5" (the last of repeated keys wins in the parser) */
        const char *s = json_string_value(v);
        while (*s) {
            size_t n = strcspn(s, ",");
            const char *item = s;
            size_t len = n;
            text_trim_span(&item, &len);
            if (!text_parse_id(item, len, &id))
                return err_field(e, "categories", FIELD_CODE_INVALID, bad);
            if (!add_category(in, id))
                return field_error_max_items(a, e, "categories", POST_CATEGORIES_MAX);
            s += n;
            if (*s == ',')
                s++;
        }
        return true;
    }
    return err_field(e, "categories", FIELD_CODE_INVALID, bad);
}

bool post_input_from_json(struct arena *a, json_t *body, struct post_input *in, struct err *e)
{
    memset(in, 0, sizeof *in);
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    /* a title is one line of text; null reads as absent */
    static const struct field_text_rule title = {.null = FIELD_NULL_ABSENT};
    in->has_title = field_text(a, body, "title", &title, &in->title, e) != FIELD_ABSENT;
    /* the text is HTML, sanitised later: taken as sent */
    static const struct field_text_rule text = {.null = FIELD_NULL_ABSENT, .keep_whitespace = true, .any_chars = true};
    in->has_text = field_text(a, body, "text", &text, &in->text, e) != FIELD_ABSENT;
    json_t *categories = json_object_get(body, "categories");
    if (categories && !json_is_null(categories)) {
        in->has_categories = true;
        read_categories(a, categories, in, e);
    }
    return !err_any(e);
}

/* ================================================================ */
/* create                                                           */

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
            field_error_required(e, "title");
        else if (!in->title)
            ; /* already reported as invalid */
        else if (chars == 0)
            err_field(e, "title", FIELD_CODE_BLANK, FIELD_MSG_BLANK);
        else if (chars < 0)
            err_field(e, "title", FIELD_CODE_INVALID, FIELD_MSG_UTF8);
        else if (chars > POST_TITLE_MAX)
            field_error_max_chars(a, e, "title", POST_TITLE_MAX);
    }
    memset(text, 0, sizeof *text);
    if (in->text) {
        if (html_sanitize(a, in->text, strlen(in->text), "text", text, e) && !discussion && !text->has_content)
            err_field(e, "text", FIELD_CODE_BLANK, FIELD_MSG_BLANK);
    } else if (!discussion && !in->has_text) {
        field_error_required(e, "text");
    }
    if (!in->has_categories)
        field_error_required(e, "categories");
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
            field_error_does_not_exist(a, e, "categories", in->category_ids[i]);
    }
    return !err_any(e);
}

bool post_create(struct store *st, struct arena *a, const struct principal *who, const char *type, json_t *body,
                 struct post *out, struct user *author, struct err *e)
{
    bool discussion = !strcmp(type, POST_TYPE_DISCUSSION);
    if (!prefs_get_bool(st, a, "configurations", discussion ? "discussion_type_enabled" : "post_type_enabled", true))
        return err_set(e, ERR_FORBIDDEN, "mode_disabled",
                       discussion ? "Discussions are disabled in this community."
                                  : "Posts are disabled in this community.");
    if (who->status == USER_BLOCKED)
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
    /* the author's counter moves: lock the author. The categories come
     * first (on PostgreSQL reading them in a write transaction locks them),
     * as in a category delete, which locks the category, then its followers */
    if (!store_begin(st, e))
        return false;
    if (!check_categories(st, a, in, e) || !store_lock_users(st, &who->user_id, 1, e) ||
        !store_post_insert(st, out, in->category_ids, in->ncategories, e) || !store_commit(st, e)) {
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
    /* the author's counter moves: lock the author (a post's author never
     * changes, so reading it first is safe; the delete itself is decided by
     * one statement) */
    bool ok = post_get(st, a, who, type, id, &p, &author, e) && store_lock_users(st, &p.author_id, 1, e);
    if (ok && !may_manage(who, &p))
        ok = err_forbidden(e, "Only the author or an administrator may delete this.");
    else if (ok && who->status == USER_BLOCKED)
        ok = err_forbidden(e, "Blocked users cannot delete contributions.");
    else if (ok && p.deleted)
        ok = err_set(e, ERR_INVALID, "already_deleted", "This contribution is already deleted.");
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

bool post_categories(struct store *st, struct arena *a, int64_t post_id, struct category **out, int *n, struct err *e)
{
    return store_category_of_post(st, a, post_id, out, n, e);
}
