/* provider.h - a user's accounts at external sign-in providers (the
 * official client's provider associations, /api/v2/user/{id}/provider/).
 *
 * Who: the user themself or an admin (403 otherwise); an unknown or
 * hard-deleted user is 404 first. hearth offers no social sign-in of its
 * own: these rows record associations an integrating system made.
 */
#ifndef HEARTH_DOMAIN_PROVIDER_H
#define HEARTH_DOMAIN_PROVIDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/principal.h"
#include "model/provider.h"

struct store;

enum {
    PROVIDER_EXT_ID_MAX = 255,    /* characters of an account id at a provider */
    PROVIDER_URL_MAX = 500,       /* characters of a profile URL */
    PROVIDER_METADATA_MAX = 4096, /* bytes of the metadata object, as compact JSON */
    PROVIDER_PER_USER_MAX = 16,   /* rows read per user: one per provider fits */
};

/* The providers the UI kit knows (react-ui's SCUserSocialAssociations;
 * Entra ID is sent as "azure-ad"), NULL-terminated. */
extern const char *const provider_names[];

/* GET: the user's associations, oldest first. *out is an arena array. */
bool provider_list(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                   struct provider_assoc **out, int *n, struct err *e);

/* POST {user_id?, provider, ext_id, profile_url?, show_in_profile?,
 * metadata?}: user_id, when given, must be the path's; provider one of
 * provider_names; ext_id 1..PROVIDER_EXT_ID_MAX characters; profile_url an
 * http(s) URL or empty; metadata a JSON object (or its text). 400 "unique"
 * when the account is associated already (ext_id) or the user has one of
 * that provider (provider). *out is the stored association. */
bool provider_create(struct store *st, struct arena *a, const struct principal *who, int64_t user_id, json_t *body,
                     struct provider_assoc *out, struct err *e);

/* DELETE {user_id?, provider, ext_id}: 404 when the user has no such
 * association. */
bool provider_delete(struct store *st, struct arena *a, const struct principal *who, int64_t user_id, json_t *body,
                     struct err *e);

#endif
