/* user.c - reading users and signing them up (contract §3, §5). */
#include "domain/user.h"

#include <ctype.h>
#include <string.h>

#include "auth/password.h"
#include "core/text.h"
#include "domain/field.h"
#include "domain/search.h"
#include "domain/tag.h"
#include "store/store.h"

static const char *const user_roles[] = {"admin", "moderator", "editor", NULL};

bool user_valid_username(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > USER_USERNAME_MAX)
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

bool user_valid_email(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 3 || n > USER_EMAIL_MAX || !at || at == s || strchr(at + 1, '@') || !text_valid_utf8(s, n))
        return false;
    const char *domain = at + 1;
    const char *dot = strrchr(domain, '.');
    if (!dot || dot == domain || !dot[1] || domain[0] == '.' || strstr(domain, ".."))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("()<>,;:\\\"[]", *p))
            return false;
    return true;
}

bool user_get_visible(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e)
{
    int found = store_user_get(st, a, id, out, e);
    if (found < 0)
        return false;
    if (!found || out->status == USER_TOMBSTONE)
        return err_not_found(e);
    return true;
}

bool user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out, struct err *e)
{
    /* text filters and search go through the search indexes and ranking
     * (src/domain/search.c); other lists stay a plain query */
    if (f->search || f->username || f->real_name || f->location || f->description) {
        struct search_query q;
        struct search_page page;
        search_query_from_filter(a, f, &q);
        if (!search_users(st, a, &q, &page, e))
            return false;
        out->count = page.count;
        out->items = page.items;
        out->n = page.n;
        return true;
    }
    return store_user_list(st, a, f, out, e);
}

struct user_ordering {
    const char *const *allowed;
    struct user_filter *f;
};

static bool add_user_order(void *ctx, size_t index, bool desc)
{
    struct user_ordering *o = ctx;
    o->f->order[o->f->norder++] = (struct user_order){o->allowed[index], desc};
    return o->f->norder < USER_MAX_ORDER;
}

void user_parse_ordering(const char *ordering, const char *const *allowed, struct user_filter *f)
{
    f->norder = 0;
    size_t n = 0;
    while (allowed[n])
        n++;
    struct user_ordering o = {allowed, f};
    field_ordering(ordering, allowed, n, add_user_order, &o);
}

/* A string field of a signup body, taken as sent (the username, email and
 * password rules check the characters): absent, null or "" → NULL. */
static const char *body_string(struct arena *a, json_t *body, const char *name, struct err *e)
{
    static const struct field_text_rule as_sent = {
        .null = FIELD_NULL_ABSENT, .keep_whitespace = true, .any_chars = true};
    const char *s = NULL;
    if (field_text(a, body, name, &as_sent, &s, e) != FIELD_GIVEN)
        return NULL;
    return *s ? s : NULL;
}

bool user_signup_from_json(struct arena *a, json_t *body, struct user_signup *in, struct err *e)
{
    memset(in, 0, sizeof *in);
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    in->username = body_string(a, body, "username", e);
    in->email = body_string(a, body, "email", e);
    in->password = body_string(a, body, "password", e);
    in->role = body_string(a, body, "role", e);
    /* ext_id: any int64; "" is none, as null is */
    json_t *ext = json_object_get(body, "ext_id");
    if (!(json_is_string(ext) && !*json_string_value(ext)))
        in->has_ext_id = field_int(a, body, "ext_id", INT64_MIN, INT64_MAX, &in->ext_id, e) == FIELD_GIVEN;
    int64_t *tags;
    if (tag_ids_from_json(a, json_object_get(body, "tags"), "tags", &tags, &in->ntags, e))
        in->tags = tags;
    return !err_any(e);
}

/* The field errors of a sign-up whose username, email or ext_id another
 * user holds, in the write transaction. */
static void taken_fields(struct store *st, const struct user_signup *in, struct err *e)
{
    int taken = store_user_username_taken(st, in->username, 0, e);
    if (taken > 0)
        err_field(e, "username", "unique", "A user with that username already exists.");
    if (taken >= 0 && in->email && (taken = store_user_email_taken(st, in->email, 0, e)) > 0)
        err_field(e, "email", "unique", "A user with that email already exists.");
    if (taken >= 0 && in->has_ext_id && (taken = store_user_ext_id_taken(st, in->ext_id, 0, e)) > 0)
        err_field(e, "ext_id", "unique", "A user with that ext_id already exists.");
}

bool user_signup(struct store *st, struct arena *a, const struct user_signup *in, int64_t *id, struct err *e)
{
    if (!in->username)
        field_error_required(e, "username");
    else if (!user_valid_username(in->username))
        err_field(e, "username", FIELD_CODE_INVALID,
                  arena_printf(a, "Enter a valid username: 1 to %d letters, digits, underscores or hyphens.",
                               USER_USERNAME_MAX));
    if (in->email && !user_valid_email(in->email))
        err_field(e, "email", "invalid", "Enter a valid email address.");
    if (in->password)
        password_policy_check(in->password, in->username, "password", e);
    if (in->role && !field_choice(user_roles, in->role))
        err_field(e, "role", FIELD_CODE_INVALID, "Role must be admin, moderator or editor.");
    if (err_any(e))
        return false;

    /* hash before taking the write lock: it is the slow part */
    char hash[PASSWORD_HASH_MAX];
    if (in->password && !password_hash(in->password, hash))
        return err_internal(e);

    if (!store_begin(st, e))
        return false;
    taken_fields(st, in, e);
    struct user u = {.username = in->username,
                     .email = in->email,
                     .password_hash = in->password ? arena_strdup(a, hash) : NULL,
                     .role = in->role,
                     .has_ext_id = in->has_ext_id,
                     .ext_id = in->ext_id};
    if (!err_any(e))
        tag_ids_check(st, a, in->tags, in->ntags, "tags", e);
    if (!err_any(e) && !store_user_insert(st, &u, id, e) && e->count == 1 && !e->entries[0].field &&
        !strcmp(e->entries[0].code, "unique")) {
        /* a sign-up of the same name committed between the checks and the
         * insert (PostgreSQL, READ COMMITTED; SQLite's single writer keeps
         * the checks true): the checks again name the field, as they would
         * have after it */
        struct err again = {0};
        taken_fields(st, in, &again);
        if (err_any(&again))
            *e = again;
    }
    if (err_any(e)) {
        store_rollback(st);
        return false;
    }
    /* the tags in the same transaction: all or nothing */
    for (int i = 0; i < in->ntags; i++)
        if (!store_tag_assign(st, in->tags[i], *id, e)) {
            store_rollback(st);
            return false;
        }
    if (in->in_tx && !in->in_tx(in->in_tx_ctx, st, *id, e)) {
        store_rollback(st);
        return false;
    }
    if (!store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}
