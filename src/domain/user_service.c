/* user_service.c - see user_service.h. */
#include "domain/user_service.h"

#include <string.h>

#include "auth/token.h"
#include "core/clock.h"
#include "domain/account.h"
#include "domain/field.h"
#include "domain/user.h"
#include "store/store.h"

bool user_require_self_or_admin(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                                const char *message, struct err *e)
{
    struct user u;
    if (!user_get_visible(st, a, user_id, &u, e))
        return false;
    if (who->user_id != user_id && !principal_is_admin(who))
        return err_forbidden(e, message);
    return true;
}

bool email_token_check(struct store *st, struct arena *a, const struct principal *who, int64_t user_id,
                       const char *token, bool *valid, struct err *e)
{
    *valid = false;
    if (!user_require_self_or_admin(st, a, who, user_id, "You can only check your own email tokens.", e))
        return false;
    if (!token || !*token)
        return field_error_required(e, "email_token");
    size_t len = strlen(token);
    if (len > ACCOUNT_EMAIL_CODE_MAX)
        return field_error_query_max(a, e, "email_token", FIELD_CODE_MAX_LENGTH, ACCOUNT_EMAIL_CODE_MAX);

    /* compared as confirm_email compares: the hash of the code, in
     * constant time, in the transaction that counts a wrong one */
    if (!store_begin(st, e))
        return false;
    struct email_change c;
    int found = store_lock_users(st, &user_id, 1, e) ? store_email_change_get(st, a, user_id, &c, e) : -1;
    if (found < 0) {
        store_rollback(st);
        return false;
    }
    if (!found || clock_now_us() >= c.expires_us) {
        store_rollback(st);
        return true;
    }
    char hash[TOKEN_HASH_HEX + 1];
    token_hash_hex(token, len, hash);
    *valid = strlen(c.code_hash) == TOKEN_HASH_HEX && token_equal(hash, c.code_hash, TOKEN_HASH_HEX);
    bool ok = true;
    if (!*valid)
        ok = c.attempts + 1 >= ACCOUNT_EMAIL_CODE_ATTEMPTS ? store_email_change_delete(st, user_id, e)
                                                           : store_email_change_count_attempt(st, user_id, e);
    if (!ok || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

bool addressing_tags(struct store *st, struct arena *a, const struct principal *who, struct tag **out, int *n,
                     struct err *e)
{
    bool staff = who->role && *who->role;
    return store_tag_addressable(st, a, staff ? 0 : who->user_id, ADDRESSING_TAGS_MAX, out, n, e);
}
