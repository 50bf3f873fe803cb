/* password.h - password hashing (argon2id) and the password policy.
 *
 * Hashing is slow on purpose; callers run it off the request threads (see
 * http/server.c's slow-route pool). Thread-safe after sodium_init().
 */
#ifndef HEARTH_AUTH_PASSWORD_H
#define HEARTH_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum {
    PASSWORD_MIN_CHARS = 8,   /* contract §4 */
    PASSWORD_MAX_CHARS = 128, /* contract §4; also bounds hashing cost */
    PASSWORD_HASH_MAX = 128,  /* >= crypto_pwhash_STRBYTES */
};

/* Cost of argon2id: PASSWORD_COST_INTERACTIVE is the production default
 * (libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE); PASSWORD_COST_MIN is for test
 * suites only (configured with HEARTH_PASSWORD_COST=min). */
enum password_cost { PASSWORD_COST_INTERACTIVE, PASSWORD_COST_MODERATE, PASSWORD_COST_MIN };

/* Sets the process-wide cost used by password_hash. Call once at start. */
void password_set_cost(enum password_cost cost);

/* The cost of a configured name (--password-cost): "interactive",
 * "moderate" or "min". False with a message in `msg` for any other name. */
bool password_cost_from_name(const char *name, enum password_cost *out, char *msg, size_t msg_size);

/* Hashes `pw` (NUL-terminated) into `out` (an encoded argon2id string, NUL-
 * terminated). Returns false on out-of-memory. */
bool password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* True if `pw` matches `hash` (an encoded string from password_hash). A NULL
 * or empty hash never matches. */
bool password_verify(const char *hash, const char *pw);

/* Checks the policy of contract §4: valid UTF-8; 8–128 characters (Unicode
 * characters, not bytes); at least three of the four classes lowercase,
 * uppercase, digit, other; not equal to the username (case-insensitively).
 * On failure adds one field error on `field` (code "password_too_short",
 * "password_too_long", "password_too_simple", "password_similar_to_username",
 * "invalid") and returns
 * false. `username` may be NULL. */
bool password_policy_check(const char *pw, const char *username, const char *field, struct err *e);

#endif
