/* user.h - users: the record, the caller (principal), and the rules for
 * reading them (visibility, listing, signup).
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

struct store;

enum {
    USER_USERNAME_MAX = 255, /* contract §5 */
    USER_EMAIL_MAX = 254,    /* RFC 5321 path limit */
    USER_PAGE_DEFAULT = 20,  /* contract §3 */
    USER_PAGE_MAX = 100,     /* contract §3 */
    USER_FILTER_MAX = 255,   /* bytes of a text filter term; longer terms cannot match any field */
};

/* A user row. Strings are arena copies; optional ones are NULL when unset. */
struct user {
    int64_t id;
    const char *username;
    const char *real_name;
    const char *email; /* NULL if none */
    bool email_isvalid;
    int64_t date_joined_us;
    const char *bio;
    const char *location;
    bool has_location_ll;
    double location_lat, location_lng;
    bool has_position_ll;
    double position_lat, position_lng;
    const char *date_of_birth; /* "YYYY-MM-DD" or NULL */
    const char *description;
    const char *gender;
    char status; /* 'a' approved, 'b' blocked, 'd' soft deleted, 'u' hard deleted */
    const char *website;
    const char *avatar; /* stored file name or NULL */
    const char *cover;
    bool has_ext_id;
    int64_t ext_id;
    int64_t reputation;
    const char *role; /* NULL, "admin", "moderator", "editor" */
    const char *password_hash;
    int64_t tokens_valid_after;
    int64_t followers_counter, followings_counter, connections_counter;
    int64_t connection_requests_sent_counter, connection_requests_received_counter;
    int64_t posts_counter, discussions_counter, categories_counter;
};

/* Who is calling: filled by authentication. user_id 0 = anonymous. */
struct principal {
    int64_t user_id;
    char status;
    const char *role;
    const char *username;
    int64_t token_id; /* the OAuth token row used, 0 for a JWT */
};

static inline bool principal_is_admin(const struct principal *p) { return p->role && !__builtin_strcmp(p->role, "admin"); }

/* One ordering key of a list: a column name allowed by the endpoint. */
struct user_order {
    const char *field; /* "username", "real_name", "location", "id", "date_joined", ... */
    bool desc;
};

enum { USER_MAX_ORDER = 6 };

/* Filters of GET /user/ (and, later, /user/search/). NULL = not given. */
struct user_filter {
    const char *search; /* matches username or real name, ranked */
    const char *username, *real_name, *location, *description, *gender;
    struct user_order order[USER_MAX_ORDER];
    int norder;
    int64_t viewer_id; /* excludes users hidden by the viewer, 0 = none */
    int64_t exclude_id;/* autocomplete's `exclude`, 0 = none */
    int limit, offset;
};

struct user_page {
    int64_t count;
    struct user *items;
    int n;
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
    const int64_t *tags;  /* tag ids to give (issue 6), sorted and distinct */
    int ntags;
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
