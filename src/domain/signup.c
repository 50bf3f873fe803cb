/* signup.c - self sign-up, email verification, password recovery, the
 * admin's account lookup (signup.h). */
#include "domain/signup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "core/clock.h"
#include "core/text.h"
#include "domain/field.h"
#include "domain/prefs.h"
#include "domain/user.h"
#include "store/account_store.h"
#include "store/store.h"

/* ================================================================ */
/* codes, limits and mail                                           */

void signup_code_hash(const char *code, char out[65])
{
    size_t n = strlen(code);
    token_hash_hex(code, n > SIGNUP_CODE_MAX ? SIGNUP_CODE_MAX : n, out);
}

/* A new code (arena) and its hash. */
static const char *new_code(struct arena *a, char hash[65])
{
    char *plain = arena_alloc(a, 2 * SIGNUP_CODE_BYTES + 1);
    token_random_hex(plain, SIGNUP_CODE_BYTES);
    signup_code_hash(plain, hash);
    return plain;
}

static const char *email_key(struct arena *a, const char *email)
{
    return arena_printf(a, "account-mail:email:%s", text_fold(a, email));
}

/* Counts one request that may send mail against the client address, and
 * when count_email against the email address (folded) too; false (429)
 * once either is over its limit. A sign-up counts its email only when it
 * succeeds (mail_sent_to), so that fixing a typo is not throttled. */
bool signup_mail_allowed(struct store *st, struct arena *a, const char *client_address, const char *email,
                         bool count_email, struct err *e)
{
    const char *addr_key = arena_printf(a, "account-mail:addr:%s", client_address ? client_address : "-");
    int retry = 0;
    if (!ratelimit_allow(st, addr_key, SIGNUP_MAIL_PER_ADDRESS_MAX, &retry))
        return ratelimit_throttled(e, SIGNUP_MAIL_PER_ADDRESS_MAX, retry, "Too many requests. Try again later.");
    if (!ratelimit_allow(st, email_key(a, email), SIGNUP_MAIL_PER_EMAIL_MAX, &retry))
        return ratelimit_throttled(e, SIGNUP_MAIL_PER_EMAIL_MAX, retry, "Too many requests. Try again later.");
    ratelimit_fail(st, addr_key);
    if (count_email)
        ratelimit_fail(st, email_key(a, email));
    return true;
}

static const char *wrong_code_key(struct arena *a, const char *client_address)
{
    return arena_printf(a, "account-code:addr:%s", client_address ? client_address : "-");
}

/* Whether the client may submit another code (429 if not). */
static bool code_attempt_allowed(struct store *st, struct arena *a, const char *client_address, struct err *e)
{
    int retry = 0;
    if (!ratelimit_allow(st, wrong_code_key(a, client_address), SIGNUP_WRONG_CODES_MAX, &retry))
        return ratelimit_throttled(e, SIGNUP_WRONG_CODES_MAX, retry,
                                   "Too many wrong validation codes. Try again later.");
    return true;
}

/* Counts a wrong code (outside any transaction: on PostgreSQL the count is
 * a statement of its own, which a rollback would undo). */
static bool wrong_code(struct store *st, struct arena *a, const char *client_address, const char *code,
                       const char *message, struct err *e)
{
    ratelimit_fail(st, wrong_code_key(a, client_address));
    return err_field(e, "validation_code", code, message);
}

bool signup_mail_enqueue(struct store *st, struct arena *a, const char *kind, const char *recipient,
                         const char *username, const char *code, const char *email, const char *link_path,
                         struct err *e)
{
    json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "username", username ? username : "", "code", code, "email",
                          email ? email : "", "link_path", link_path);
    char *text = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    if (!text)
        return err_internal(e);
    bool ok = store_mail_enqueue(st, kind, recipient, text, clock_now_us(), e);
    free(text);
    (void)a;
    return ok;
}

/* s percent-encoded for a query value. */
static const char *url_encode(struct arena *a, const char *s)
{
    char *out = arena_alloc(a, 3 * strlen(s) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            *o++ = (char)*p;
        else {
            static const char hex[] = "0123456789ABCDEF";
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

const char *signup_change_email_link(struct arena *a, int64_t id, const char *new_email, const char *code)
{
    return arena_printf(a, "/account/confirm_email/?user_id=%lld&new_email=%s&validation_code=%s", (long long)id,
                        url_encode(a, new_email), code);
}

static const char *code_field(struct arena *a, json_t *fields, struct err *e)
{
    static const struct field_text_rule as_code = {.null = FIELD_NULL_ERROR, .any_chars = true};
    const char *s = NULL;
    return field_required_text(a, fields, "validation_code", &as_code, &s, e) == FIELD_GIVEN ? s : NULL;
}

/* ================================================================ */
/* sign-up                                                          */

struct create_ctx {
    struct arena *a;
    const char *username, *email;
};

/* Inside the creating transaction: the pending sign-up, its code, its mail. */
static bool create_in_tx(void *ctx, struct store *st, int64_t id, struct err *e)
{
    struct create_ctx *c = ctx;
    char hash[65];
    const char *code = new_code(c->a, hash);
    int64_t now = clock_now_us();
    return store_signup_put(st, id, STORE_SIGNUP_UNVERIFIED, now, e) &&
           store_code_put(st, id, STORE_CODE_VERIFY, hash, now, now + (int64_t)SIGNUP_VERIFY_TTL_S * 1000000, e) &&
           signup_mail_enqueue(st, c->a, "verify", c->email, c->username, code, NULL,
                               arena_printf(c->a, "/account/verify/?validation_code=%s", code), e);
}

bool signup_create(struct store *st, struct arena *a, const struct principal *who, json_t *fields,
                   const char *client_address, int64_t *id, struct err *e)
{
    if (!principal_is_admin(who) && !prefs_get_bool(st, a, "configurations", "signup_enabled", false))
        return err_set(e, ERR_FORBIDDEN, "signup_disabled",
                       "Sign-up is disabled in this community (configurations.signup_enabled).");
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    /* only these three: role, ext_id and tags are not one's own to give */
    json_t *mine = json_object();
    static const char *const keys[] = {"username", "email", "password"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(fields, keys[i]);
        if (v)
            json_object_set(mine, keys[i], v);
    }
    struct user_signup in;
    bool read = user_signup_from_json(a, mine, &in, e);
    json_decref(mine);
    if (!read)
        return false;
    if (!in.username)
        field_error_required(e, "username");
    if (!in.email)
        field_error_required(e, "email");
    if (!in.password)
        field_error_required(e, "password");
    if (err_any(e))
        return false;
    struct user_signup only = {.username = in.username, .email = in.email, .password = in.password};
    if (!signup_mail_allowed(st, a, client_address, in.email, false, e))
        return false;
    struct create_ctx c = {.a = a, .username = in.username, .email = in.email};
    only.in_tx = create_in_tx;
    only.in_tx_ctx = &c;
    if (!user_signup(st, a, &only, id, e))
        return false;
    ratelimit_fail(st, email_key(a, in.email));
    return true;
}

/* ================================================================ */
/* codes in use                                                     */

/* Reads and checks a code in the write transaction open: 1 with *c (of
 * `purpose`, or either when NULL) unexpired, 0 with a field error (an
 * expired code is deleted and committed), -1 engine error. */
static int take_code(struct store *st, struct arena *a, const char *code, const char *purpose,
                     const char *client_address, struct account_code *c, struct err *e)
{
    char hash[65];
    signup_code_hash(code, hash);
    int found = strlen(code) <= SIGNUP_CODE_MAX ? store_code_get(st, a, hash, c, e) : 0;
    if (found < 0)
        return -1;
    if (!found || (purpose && strcmp(c->purpose, purpose))) {
        store_rollback(st); /* nothing written yet; the count must not roll back with it */
        wrong_code(st, a, client_address, "invalid", "The validation code is not valid, or has been used.", e);
        return 0;
    }
    if (clock_now_us() >= c->expires_us) {
        struct err io = {0};
        if (!store_code_delete(st, c->id, &io) || !store_commit(st, &io)) {
            err_internal(e);
            return -1;
        }
        err_field(e, "validation_code", "expired", "The validation code has expired: ask for a new one.");
        return 0;
    }
    return 1;
}

/* take_code, then the code's user locked (store_lock_users) and the code
 * read again: a concurrent use of the same code has then committed, and
 * this one finds the code gone. Same returns. */
static int take_code_locked(struct store *st, struct arena *a, const char *code, const char *purpose,
                            const char *client_address, struct account_code *c, struct err *e)
{
    int ok = take_code(st, a, code, purpose, client_address, c, e);
    if (ok <= 0)
        return ok;
    if (!store_lock_users(st, &c->user_id, 1, e))
        return -1;
    return take_code(st, a, code, purpose, client_address, c, e);
}

bool signup_verify(struct store *st, struct arena *a, json_t *fields, const char *client_address, int64_t *user_id,
                   bool *awaiting_approval, struct err *e)
{
    *awaiting_approval = false;
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    const char *code = code_field(a, fields, e);
    if (!code || !code_attempt_allowed(st, a, client_address, e))
        return false;
    bool approval = prefs_get_bool(st, a, "configurations", "signup_requires_approval", false);
    if (!store_begin(st, e))
        return false;
    struct account_code c;
    int ok = take_code_locked(st, a, code, STORE_CODE_VERIFY, client_address, &c, e);
    if (ok <= 0) {
        store_rollback(st);
        return false;
    }
    struct user u;
    int found = store_user_get(st, a, c.user_id, &u, e);
    if (found < 0 || !store_code_delete(st, c.id, e)) {
        store_rollback(st);
        return false;
    }
    if (!found || !user_status_active(u.status) || !u.email) { /* deleted since: the code dies with nothing to do */
        struct err io = {0};
        if (!store_commit(st, &io))
            return err_internal(e);
        return wrong_code(st, a, client_address, "invalid", "The validation code is not valid, or has been used.", e);
    }
    const char *state = NULL;
    int pending = store_signup_get(st, u.id, &state, e);
    bool wait = pending > 0 && approval;
    bool done = pending >= 0 && store_account_set_email(st, u.id, u.email, true, e) &&
                (wait ? store_signup_put(st, u.id, STORE_SIGNUP_AWAITING_APPROVAL, clock_now_us(), e) &&
                            store_signup_set_status(st, u.id, USER_BLOCKED, e)
                      : store_signup_delete(st, u.id, e)) &&
                store_commit(st, e);
    if (!done) {
        store_rollback(st);
        return false;
    }
    *user_id = u.id;
    *awaiting_approval = wait;
    return true;
}

bool signup_code_check(struct store *st, struct arena *a, json_t *fields, const char *client_address, bool *valid,
                       struct err *e)
{
    *valid = false;
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    const char *code = code_field(a, fields, e);
    if (!code || !code_attempt_allowed(st, a, client_address, e))
        return false;
    char hash[65];
    signup_code_hash(code, hash);
    struct account_code c;
    int found = strlen(code) <= SIGNUP_CODE_MAX ? store_code_get(st, a, hash, &c, e) : 0;
    if (found < 0)
        return false;
    if (!found) {
        ratelimit_fail(st, wrong_code_key(a, client_address));
        return true;
    }
    *valid = clock_now_us() < c.expires_us;
    return true;
}

/* ================================================================ */
/* recovery                                                         */

bool signup_recover(struct store *st, struct arena *a, json_t *fields, const char *client_address, struct err *e)
{
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    static const struct field_text_rule as_email = {.null = FIELD_NULL_ERROR, .any_chars = true};
    const char *email = NULL;
    if (field_required_text(a, fields, "email", &as_email, &email, e) != FIELD_GIVEN)
        return false;
    if (!user_valid_email(email))
        return err_field(e, "email", "invalid", "Enter a valid email address.");
    if (!signup_mail_allowed(st, a, client_address, email, true, e))
        return false;
    /* no lookup here: a known address made this request slower (a code and
     * a mail written) than an unknown one, measurably (bench/
     * recover_timing.sh); the sender does that part */
    json_t *p = json_pack("{s:s}", "email", email);
    char *text = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    if (!text)
        return err_internal(e);
    bool ok = store_mail_enqueue(st, SIGNUP_RECOVER_KIND, "", text, clock_now_us(), e);
    free(text);
    return ok;
}

bool signup_recover_process(struct store *st, struct arena *a, int64_t row_id, const char *params, struct err *e)
{
    json_t *p = json_loads(params, 0, NULL);
    const char *email = json_string_value(json_object_get(p, "email"));
    email = email ? arena_strdup(a, email) : NULL;
    json_decref(p);
    if (!store_begin(st, e))
        return false;
    struct user u;
    int found = email ? store_account_find_email(st, a, email, &u, e) : 0;
    if (found < 0) {
        store_rollback(st);
        return false;
    }
    int64_t now = clock_now_us();
    bool ok = true;
    /* the user's lock, then the user read again (still at that address):
     * two recoveries of one address leave one code */
    if (found > 0 && (!store_lock_users(st, &u.id, 1, e) || (found = store_user_get(st, a, u.id, &u, e)) < 0)) {
        store_rollback(st);
        return false;
    }
    if (found > 0 && (!u.email || strcmp(text_fold(a, u.email), text_fold(a, email))))
        found = 0;
    if (found && user_status_active(u.status) && u.email) {
        char hash[65];
        const char *code = new_code(a, hash);
        ok = store_code_put(st, u.id, STORE_CODE_RESET, hash, now, now + (int64_t)SIGNUP_RESET_TTL_S * 1000000, e) &&
             signup_mail_enqueue(st, a, "reset", u.email, u.username, code, NULL,
                                 arena_printf(a, "/account/reset/?validation_code=%s", code), e);
    }
    /* done in the same transaction: a crash never makes two codes */
    if (!ok || !store_mail_sent(st, row_id, now, e) || !store_commit(st, e)) {
        store_rollback(st);
        return false;
    }
    return true;
}

bool signup_reset(struct store *st, struct arena *a, json_t *fields, const char *client_address, struct err *e)
{
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, FIELD_CODE_INVALID, FIELD_MSG_OBJECT);
    const char *code = code_field(a, fields, e);
    const char *password = field_password(fields, "password", e);
    if (err_any(e) || !code_attempt_allowed(st, a, client_address, e))
        return false;
    /* check the code before the slow hash, then again under the write lock */
    char hash_code[65];
    signup_code_hash(code, hash_code);
    struct account_code c;
    int found = strlen(code) <= SIGNUP_CODE_MAX ? store_code_get(st, a, hash_code, &c, e) : 0;
    if (found < 0)
        return false;
    if (!found || strcmp(c.purpose, STORE_CODE_RESET))
        return wrong_code(st, a, client_address, "invalid", "The validation code is not valid, or has been used.", e);
    struct user u;
    found = store_user_get(st, a, c.user_id, &u, e);
    if (found < 0)
        return false;
    if (found && user_status_active(u.status) && !password_policy_check(password, u.username, "password", e))
        return false;
    char pw_hash[PASSWORD_HASH_MAX];
    if (!password_hash(password, pw_hash))
        return err_internal(e);

    if (!store_begin(st, e))
        return false;
    int ok = take_code_locked(st, a, code, STORE_CODE_RESET, client_address, &c, e);
    if (ok <= 0) {
        store_rollback(st);
        return false;
    }
    found = store_user_get(st, a, c.user_id, &u, e);
    if (found < 0 || !store_code_delete(st, c.id, e)) {
        store_rollback(st);
        return false;
    }
    if (!found || !user_status_active(u.status)) {
        struct err io = {0};
        if (!store_commit(st, &io))
            return err_internal(e);
        return wrong_code(st, a, client_address, "invalid", "The validation code is not valid, or has been used.", e);
    }
    /* the code reached the mailbox: the address is verified; a sign-up
     * waiting for approval keeps waiting */
    const char *state = NULL;
    int pending = store_signup_get(st, u.id, &state, e);
    bool done = pending >= 0 && store_account_set_password(st, u.id, pw_hash, clock_now(), e) &&
                store_token_delete_user(st, u.id, 0, e) &&
                (!u.email || store_account_set_email(st, u.id, u.email, true, e)) &&
                (pending == 0 || strcmp(state, STORE_SIGNUP_UNVERIFIED) || store_signup_delete(st, u.id, e)) &&
                store_commit(st, e);
    if (!done) {
        store_rollback(st);
        return false;
    }
    return true;
}

/* ================================================================ */
/* lookup                                                          */

bool signup_search(struct store *st, struct arena *a, const char *username, const char *email, const char *ext_id,
                   const char *provider, struct user *out, struct err *e)
{
    int found;
    if (username && *username)
        found = store_account_find_username(st, a, username, out, e);
    else if (email && *email)
        found = store_account_find_email(st, a, email, out, e);
    else if (ext_id && *ext_id) {
        if (!provider || !*provider)
            return err_field(e, "provider", "required", "provider is required with ext_id.");
        char *end;
        errno = 0;
        long long id = strtoll(ext_id, &end, 10);
        if (errno || end == ext_id || *end)
            return err_field(e, "ext_id", "invalid", "ext_id must be an integer.");
        found = store_account_find_ext_id(st, a, id, out, e);
    } else
        return err_set(e, ERR_INVALID, "required", "Give username, email, or ext_id and provider.");
    if (found < 0)
        return false;
    if (!found)
        return err_not_found(e);
    return true;
}
