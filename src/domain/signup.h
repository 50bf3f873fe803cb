/* signup.h - accounts without an operator: self sign-up with email
 * verification, password recovery by email, and the admin's account lookup.
 *
 * Codes are 128 random bits (32 hex characters) sent by email and stored
 * only as their BLAKE2b hash; each is single use and expires
 * (SIGNUP_VERIFY_TTL_S, SIGNUP_RESET_TTL_S); a newer code of the same
 * purpose replaces the older. Wrong codes are counted per client address
 * (SIGNUP_WRONG_CODES_MAX per rate-limit window, then 429): a code cannot
 * be guessed, and a client cannot keep trying. Requests that send mail are
 * limited per client address and per email address. The mail is written to
 * the outbox in the transaction that writes its code.
 *
 * A self-signed-up account cannot log in until its email is verified (the
 * token endpoint answers invalid_grant), nor, when the community requires
 * approval, until an admin sets its status to a (it waits with status b).
 */
#ifndef HEARTH_DOMAIN_SIGNUP_H
#define HEARTH_DOMAIN_SIGNUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/principal.h"
#include "model/user.h"

struct store;

enum {
    SIGNUP_CODE_BYTES = 16,             /* 128 random bits, 32 hex characters */
    SIGNUP_CODE_MAX = 128,              /* bytes of a submitted code; longer ones cannot match */
    SIGNUP_VERIFY_TTL_S = 24 * 60 * 60, /* an email verification code lives 24 hours */
    SIGNUP_RESET_TTL_S = 60 * 60,       /* a password reset code lives 1 hour */
    SIGNUP_WRONG_CODES_MAX = 10,        /* wrong codes per client address per rate-limit window */
    SIGNUP_MAIL_PER_ADDRESS_MAX = 20,   /* mail-sending requests per client address per window */
    SIGNUP_MAIL_PER_EMAIL_MAX = 3,      /* mail-sending requests per email address per window */
};

/* POST /account/create/ {username, email, password}: public when the
 * preference configurations.signup_enabled is true, else 403
 * "signup_disabled" (admins may always). The rules of user_signup; email
 * and password are required; other keys are ignored (role, ext_id and tags
 * too: those are sso/signup's). The account starts unverified and a
 * verification code is mailed. *id is the new user. */
bool signup_create(struct store *st, struct arena *a, const struct principal *who, json_t *fields,
                   const char *client_address, int64_t *id, struct err *e);

/* POST /account/verify/ {validation_code}: uses a verification code: the
 * email becomes verified; *awaiting_approval says the account now waits for
 * an admin (configurations.signup_requires_approval), else it may log in.
 * Errors on validation_code: required, invalid (unknown or used), expired. */
bool signup_verify(struct store *st, struct arena *a, json_t *fields, const char *client_address, int64_t *user_id,
                   bool *awaiting_approval, struct err *e);

/* POST /account/verify/validation_code/ {validation_code}: whether the code
 * is one /account/reset/ or /account/verify/ would take now, without using
 * it. An unknown code counts as a wrong one. */
bool signup_code_check(struct store *st, struct arena *a, json_t *fields, const char *client_address, bool *valid,
                       struct err *e);

/* POST /account/recover/ {email}: the same answer whether or not an account
 * uses the address (a malformed address is 400 either way); when one does,
 * a reset code is mailed. The request only queues the address in the
 * outbox (a row of kind SIGNUP_RECOVER_KIND, recipient "", the address in
 * its params): the same single insert for every address, so that its time
 * says nothing; the mail sender looks the account up later
 * (signup_recover_process). */
bool signup_recover(struct store *st, struct arena *a, json_t *fields, const char *client_address, struct err *e);

#define SIGNUP_RECOVER_KIND "recover"

/* The sender's half of a recovery, for the claimed outbox row row_id whose
 * params name the email: in one transaction, when an active account uses
 * the email, a new reset code and its mail are written, and the row is
 * marked done (its params, the address, erased); nothing else for an
 * unknown address. False with e (the row stays claimed and is retried). */
bool signup_recover_process(struct store *st, struct arena *a, int64_t row_id, const char *params, struct err *e);

/* POST /account/reset/ {validation_code, password}: uses a reset code: the
 * password (policy of contract §4) is set, every token of the user revoked,
 * JWTs issued before now die; the email counts as verified (the code came
 * to it). Hashes: slow, call from the password pool. */
bool signup_reset(struct store *st, struct arena *a, json_t *fields, const char *client_address, struct err *e);

/* GET /account/search/ (admin): the user with that username, or email, or
 * ext_id (provider is required with it and names the identity provider;
 * hearth keeps one ext_id per user, whatever the provider). 400 when none
 * of them is given, 404 when nobody matches. */
bool signup_search(struct store *st, struct arena *a, const char *username, const char *email, const char *ext_id,
                   const char *provider, struct user *out, struct err *e);

/* Queues mail `kind` to `recipient` with the code in the caller's write
 * transaction: values username, code, email (may be NULL) and link_path
 * (appended to the base URL by the sender). */
bool signup_mail_enqueue(struct store *st, struct arena *a, const char *kind, const char *recipient,
                         const char *username, const char *code, const char *email, const char *link_path,
                         struct err *e);

/* Counts one request that will send mail to `email` against the client
 * address and, when count_email, against the email (folded): false with
 * 429 (Retry-After) once either is over SIGNUP_MAIL_PER_ADDRESS_MAX or
 * SIGNUP_MAIL_PER_EMAIL_MAX in the window. Every path that mails a
 * caller-chosen address goes through it, so that none can flood a mailbox. */
bool signup_mail_allowed(struct store *st, struct arena *a, const char *client_address, const char *email,
                         bool count_email, struct err *e);

/* The email-change confirmation's link path for user `id`. */
const char *signup_change_email_link(struct arena *a, int64_t id, const char *new_email, const char *code);

/* The hash under which a code is stored (exposed for tests): BLAKE2b-256 of
 * the code's first SIGNUP_CODE_MAX bytes, 64 hex characters. */
void signup_code_hash(const char *code, char out[65]);

#endif
