/* routes.c - every endpoint hearth serves: method, path pattern, handler,
 * and flags (authentication, admin, slow/argon2id pool, community mode).
 * Literal segments come before {id} patterns of the same shape, so that
 * /user/me/ is not read as a user id (the router tries routes in order). */
#include "api/routes.h"

#include "api/pref_api.h"
#include "api/search_api.h"
#include "api/sso_api.h"
#include "api/tag_api.h"
#include "api/user_api.h"
#include "auth/oauth.h"

const struct route api_routes[] = {
    /* authentication (contract §4) */
    {"POST", "/oauth/token/", oauth_token, ROUTE_SLOW},
    {"POST", "/oauth/revoke_token/", oauth_revoke, ROUTE_PUBLIC},
    {"POST", "/api/v2/jwt/verify_token/", oauth_jwt_verify, ROUTE_PUBLIC},

    /* SSO (contract §5) */
    {"POST", "/api/v2/sso/signup/", sso_api_signup, ROUTE_ADMIN | ROUTE_SLOW},
    {"POST", "/api/v2/sso/signin/", sso_api_signin, ROUTE_AUTH},

    /* preferences (contract §6) */
    {"GET", "/api/v2/dynamic_preference/", pref_api_list, ROUTE_PUBLIC},
    {"PATCH", "/api/v2/dynamic_preference/", pref_api_patch, ROUTE_ADMIN},
    {"GET", "/api/v2/dynamic_preference/{id}/", pref_api_get, ROUTE_PUBLIC},

    /* users: collection and fixed names */
    {"GET", "/api/v2/user/", user_api_list, ROUTE_AUTH},
    {"GET", "/api/v2/user/me/", user_api_me, ROUTE_AUTH},
    {"GET", "/api/v2/user/me/permission/", user_api_me_permission, ROUTE_AUTH},
    {"GET", "/api/v2/user/autocomplete/", user_api_autocomplete, ROUTE_AUTH},

    /* users: one user */
    {"GET", "/api/v2/user/{id}/", user_api_get, ROUTE_PUBLIC},

    /* account (issue 3) */

    /* graph (issue 4) */

    /* tags and search (issue 6) */
    {"GET", "/api/v2/user/search/", search_api_users, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/tags/", tag_api_user_tags, ROUTE_AUTH},
    {"GET", "/api/v2/tag/", tag_api_list, ROUTE_ADMIN},
    {"POST", "/api/v2/tag/", tag_api_create, ROUTE_ADMIN},
    {"GET", "/api/v2/tag/{id}/", tag_api_get, ROUTE_ADMIN},
    {"PATCH", "/api/v2/tag/{id}/", tag_api_patch, ROUTE_ADMIN},
    {"POST", "/api/v2/tag/{id}/assign/", tag_api_assign, ROUTE_ADMIN},
    {"POST", "/api/v2/tag/{id}/add/", tag_api_assign, ROUTE_ADMIN},
    {"POST", "/api/v2/tag/{id}/remove/", tag_api_remove, ROUTE_ADMIN},

    /* categories, posts and feed (issue 5) */
};

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
