/* user_json.h - the User object (contract §5), produced in one place.
 *
 * Privacy: email, email_isvalid and position_lat_lng only for the user
 * themself and admins. Counters: only the current mode's keys. */
#ifndef HEARTH_API_USER_JSON_H
#define HEARTH_API_USER_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "domain/user.h"

struct request;
struct response;

struct graph_relations;
struct user_tag;

/* What is computed once per request for rendering many users. */
struct user_view {
    bool follow_mode;
    /* the caller's relations (connection_status) to the users of a list,
     * loaded in one query by user_view_relations; users not loaded are
     * looked up one by one */
    const struct graph_relations *relations;
    /* tags of the users about to be rendered (user_view_load_tags), sorted
     * by user; without them user_json reads each user's tags itself */
    bool tags_loaded;
    const struct user_tag *tags;
    /* tags[i] as Tag object text, written at its first use and shared by
     * equal tags (NULL until then) */
    const char **tag_text;
    size_t *tag_len;
    int ntags;
};

void user_view_init(struct request *req, struct user_view *v);

/* Loads the caller's relations to users[0..n) into v, in one query (for
 * lists). On a storage error v is left without them (one lookup per user). */
void user_view_relations(struct request *req, struct user_view *v, const struct user *users, int n);
/* Reads the tags of users[0..n) in one query, for the user_json calls that
 * follow (a page of results). */
bool user_view_load_tags(struct request *req, struct user_view *v, const struct user *users, int n, struct err *e);

/* The User object of `u` as the caller of `req` may see it, written as
 * JSON text straight into b (no jansson values: the hot path of every page
 * of users). user_write_members writes its members without the braces, for
 * objects that extend it (GET /user/me/). */
void user_write(struct buf *b, struct request *req, const struct user_view *v, const struct user *u);
void user_write_members(struct buf *b, struct request *req, const struct user_view *v, const struct user *u);

/* The array of the User objects of users[0..n). */
void user_write_array(struct buf *b, struct request *req, const struct user_view *v, const struct user *users, int n);

/* Answers 200 with a page of users[0..n) (count, links and User objects,
 * with the caller's relations and the users' tags loaded for the page at
 * once). */
void user_page_respond(struct request *req, struct response *resp, struct user_view *v, const struct user *users, int n,
                       int64_t count, int limit, int offset);

/* The same object as a new jansson value, for objects that embed a user
 * (posts, connection requests, suggestions): parsed from user_write's text,
 * so that there is one serializer. */
json_t *user_json(struct request *req, const struct user_view *v, const struct user *u);

/* The autocomplete item {id, username, real_name, avatar, ext_id}. */
json_t *user_autocomplete_json(struct request *req, const struct user *u);

/* The absolute URL of an uploaded file, or JSON null. */
json_t *user_media_url(struct request *req, const char *file);

/* "lat,lng" as echoed back (contract §9). */
json_t *user_latlng_json(bool has, double lat, double lng);

#endif
