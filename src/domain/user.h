/* user.h - users: the rules for reading them (visibility, listing, signup)
 * and for their fields. The record and the caller are in model/user.h and
 * model/principal.h.
 *
 * Domain functions take a store and a request arena, return false with a
 * filled `struct err` on failure, and never speak HTTP.
 */
#ifndef HEARTH_DOMAIN_USER_H
#define HEARTH_DOMAIN_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/principal.h"
#include "model/user.h"

struct store;

enum {
    USER_USERNAME_MAX = 255, /* contract §5 */
    USER_EMAIL_MAX = 254,    /* RFC 5321 path limit */
    USER_PAGE_DEFAULT = 20,  /* contract §3 */
    USER_PAGE_MAX = 100,     /* contract §3 */
    USER_FILTER_MAX = 255,   /* bytes of a text filter term; longer terms cannot match any field */
};

/* Loads a user by id for reading by others: 404 if missing or hard deleted. */
bool user_get_visible(struct store *st, struct arena *a, int64_t id, struct user *out, struct err *e);

/* Lists active users (status a or b) matching the filter. */
bool user_list(struct store *st, struct arena *a, const struct user_filter *f, struct user_page *out, struct err *e);

/* Parses an `ordering` parameter against the allowed fields (NULL-terminated)
 * into f->order; unknown fields are ignored (contract §3). */
void user_parse_ordering(const char *ordering, const char *const *allowed, struct user_filter *f);

/* Signup input (contract §5). */
struct user_signup {
    const char *username;
    const char *email;    /* NULL if absent */
    const char *password; /* NULL if absent: the account cannot log in with a password */
    const char *role;     /* NULL if none */
    bool has_ext_id;
    int64_t ext_id;
    const int64_t *tags; /* tag ids to give, sorted and distinct */
    int ntags;
    /* NULL, or called inside the creating transaction after the insert: what
     * must commit with the user (a validation code and its mail) */
    bool (*in_tx)(void *ctx, struct store *st, int64_t id, struct err *e);
    void *in_tx_ctx;
};

/* Validates and creates a user; fills *id. Field errors on username, email,
 * password, role, ext_id (codes invalid, required, unique, ...). Hashes the
 * password (slow: call off the request threads). */
bool user_signup(struct store *st, struct arena *a, const struct user_signup *in, int64_t *id, struct err *e);

/* Reads a signup body (JSON object of any encoding) into *in. */
bool user_signup_from_json(struct arena *a, json_t *body, struct user_signup *in, struct err *e);

/* Username rule of contract §5: 1–255 of A-Z a-z 0-9 _ -. */
bool user_valid_username(const char *s);

/* A pragmatic email check (one @, a dot in the domain, no spaces, ≤ 254). */
bool user_valid_email(const char *s);

#endif
