/* user.h - the user record and the shapes of user lists (ordering, filters,
 * one page), shared by the domain rules and the store that answers them.
 * The rules on the fields (lengths, page sizes) stay in domain/user.h.
 */
#ifndef HEARTH_MODEL_USER_H
#define HEARTH_MODEL_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "model/user_status.h"

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
    enum user_status status;
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
    /* The user's tag ids as stored on the row (users.tag_ids), ascending:
     * ntag_ids of them; meaningful only when has_tag_ids (the row was read
     * with the column). Deleted tags included: the readers drop them with
     * the tag objects. */
    bool has_tag_ids;
    int ntag_ids;
    const int64_t *tag_ids;
};

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
    int64_t viewer_id;  /* excludes users hidden by the viewer, 0 = none */
    int64_t exclude_id; /* autocomplete's `exclude`, 0 = none */
    int limit, offset;
    const char *cursor; /* the keyset cursor (store/list_plan.h) the client passed, NULL = none */
};

struct user_page {
    int64_t count;
    struct user *items;
    int n;
    const char *next_cursor; /* with a cursor asked for: the next page's, when there is one */
};

#endif
