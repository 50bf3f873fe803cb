/* user_service.h - the smaller rules behind the official client's
 * UserService that hearth serves beside the User API: checking a pending
 * email-change code, the tags a caller may address a contribution to, and
 * the self-or-admin rule those and the provider, loyalty and order
 * endpoints share.
 */
#ifndef HEARTH_DOMAIN_USER_SERVICE_H
#define HEARTH_DOMAIN_USER_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/principal.h"
#include "model/tag.h"

struct store;

enum {
    ADDRESSING_TAGS_MAX = 1000, /* tags in one reply: an admin's vocabulary, far below this */
};

/* 404 for an unknown or hard-deleted user, then 403 (with `message`) unless
 * the caller is that user or an admin. */
bool user_require_self_or_admin(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                                const char *message, struct err *e);

/* GET /user/{id}/check_email_token/?email_token=: whether `token` is the
 * validation code of the user's pending email change (unexpired), without
 * using it. Self or admin. A wrong code counts as a wrong attempt of
 * confirm_email (the same bound: the fifth drops the change). 400 on the
 * email_token field when missing or longer than any code. */
bool email_token_check(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                       const char *token, bool *valid, struct err *e);

/* GET /user/tag/tags_to_address_a_contribution/: tags of type user that
 * are active and not deleted; staff (any role) may address every one of
 * them, other users the visible ones they carry. By name, at most
 * ADDRESSING_TAGS_MAX. *out is an arena array. */
bool addressing_tags(struct store *st, struct arena *a, const struct principal *who, struct tag **out, int *n,
                     struct err *e);

#endif
