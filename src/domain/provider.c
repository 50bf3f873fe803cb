/* provider.c - the rules of provider associations (provider.h). */
#include "domain/provider.h"

#include <string.h>
#include <stdlib.h>

#include "domain/account.h"
#include "domain/field.h"
#include "domain/user.h"
#include "domain/user_service.h"
#include "store/store.h"

const char *const provider_names[] = {"facebook", "google", "twitter", "linkedin", "keycloak", "azure-ad", NULL};

#define PROVIDER_CHOICE_MESSAGE "Select a valid choice: facebook, google, twitter, linkedin, keycloak or azure-ad."

/* 404 for an unknown user, then 403 unless the caller is them or an admin. */
static bool require_self_or_admin(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                                  struct err *e)
{
    return user_require_self_or_admin(st, a, who, user_id, "You can only manage your own provider associations.", e);
}

/* As require_self_or_admin, and a blocked caller may not write (contract
 * §2: 403), as the profile and the avatar gallery refuse them. */
static bool require_writer(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                           struct err *e)
{
    if (!require_self_or_admin(st, a, who, user_id, e))
        return false;
    struct user caller;
    if (!user_get_visible(st, a, who->user_id, &caller, e))
        return false;
    if (caller.status == USER_BLOCKED)
        return err_forbidden(e, "Blocked users cannot change their provider associations.");
    return true;
}

/* user_id in the body, when present, must name the path's user. */
static void check_body_user(json_t *body, int64_t user_id, struct err *e)
{
    json_t *v = json_object_get(body, "user_id");
    int64_t id;
    if (!v || json_is_null(v))
        return;
    if (!field_parse_id(v, &id))
        err_field(e, "user_id", FIELD_CODE_INCORRECT_TYPE, FIELD_MSG_PK_TYPE);
    else if (id != user_id)
        err_field(e, "user_id", FIELD_CODE_INVALID, "Must be the id of the user in the path.");
}

static const struct field_text_rule ext_id_rule = {.max_chars = PROVIDER_EXT_ID_MAX, .numbers = true};
static const struct field_text_rule url_rule = {.max_chars = PROVIDER_URL_MAX, .null = FIELD_NULL_EMPTY};

/* provider and ext_id, shared by create and delete. */
static void read_key(struct arena *a, json_t *body, const char **provider, const char **ext_id, struct err *e)
{
    *provider = NULL;
    *ext_id = NULL;
    if (field_enum(a, body, "provider", provider_names, PROVIDER_CHOICE_MESSAGE, provider, e) == FIELD_ABSENT)
        field_error_required(e, "provider");
    field_required_text(a, body, "ext_id", &ext_id_rule, ext_id, e);
}

/* metadata: absent or null = {}; an object, or text holding one (forms). */
static const char *read_metadata(struct arena *a, json_t *body, struct err *e)
{
    json_t *v = json_object_get(body, "metadata");
    if (!v || json_is_null(v))
        return "{}";
    json_t *parsed = NULL;
    if (json_is_string(v))
        v = parsed = json_loads(json_string_value(v), JSON_REJECT_DUPLICATES, NULL);
    const char *text = NULL;
    if (json_is_object(v)) {
        char *dumped = json_dumps(v, JSON_COMPACT);
        if (dumped && strlen(dumped) <= PROVIDER_METADATA_MAX)
            text = arena_strdup(a, dumped);
        else if (dumped)
            err_field(e, "metadata", FIELD_CODE_MAX_LENGTH,
                      arena_printf(a, "Ensure the metadata has at most %d bytes as JSON.", PROVIDER_METADATA_MAX));
        else
            err_internal(e);
        free(dumped);
    } else {
        err_field(e, "metadata", FIELD_CODE_INVALID, "Expected a JSON object.");
    }
    json_decref(parsed);
    return text;
}

bool provider_list(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                   struct provider_assoc **out, int *n, struct err *e)
{
    if (!require_self_or_admin(st, a, who, user_id, e))
        return false;
    return store_provider_list(st, a, user_id, PROVIDER_PER_USER_MAX, out, n, e);
}

bool provider_create(struct store *st, struct arena *a, const struct principal *who, int64_t user_id, json_t *body,
                     struct provider_assoc *out, struct err *e)
{
    if (!require_writer(st, a, who, user_id, e))
        return false;
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    memset(out, 0, sizeof *out);
    out->user_id = user_id;
    check_body_user(body, user_id, e);
    read_key(a, body, &out->provider, &out->ext_id, e);
    const char *url = NULL;
    if (field_text(a, body, "profile_url", &url_rule, &url, e) == FIELD_GIVEN && *url) {
        if (account_valid_website(url)) /* the profile website's rule */
            out->profile_url = url;
        else
            err_field(e, "profile_url", FIELD_CODE_INVALID, "Enter a valid http or https URL.");
    }
    field_bool(body, "show_in_profile", &out->show_in_profile, e);
    out->metadata = read_metadata(a, body, e);
    if (err_any(e))
        return false;
    if (!store_begin(st, e))
        return false;
    /* the user's lock: the check for an account of the same provider holds
     * until the insert */
    if (!store_lock_users(st, &user_id, 1, e) || !store_provider_insert(st, out, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

bool provider_delete(struct store *st, struct arena *a, const struct principal *who, int64_t user_id, json_t *body,
                     struct err *e)
{
    if (!require_writer(st, a, who, user_id, e))
        return false;
    if (!json_is_object(body))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    const char *provider, *ext_id;
    check_body_user(body, user_id, e);
    read_key(a, body, &provider, &ext_id, e);
    if (err_any(e))
        return false;
    int deleted = store_provider_delete(st, user_id, provider, ext_id, e);
    if (deleted < 0)
        return false;
    if (!deleted)
        return err_set(e, ERR_NOT_FOUND, "not_found", "The user has no such provider association.");
    return true;
}
